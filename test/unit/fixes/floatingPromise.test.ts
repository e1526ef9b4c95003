// floating-promise: the demo's createOrder() fires recordAudit() without awaiting it. Run
// for real: unfixed, the audit failure escapes as an unhandled rejection; awaited, the
// caller gets it; in the background variant, it is reported and nothing escapes.
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { assertQuiet, fixed, loadModule, only, runDir } from './ruleHarness';

const orders = `async function recordAudit(orderId, action) {
  await new Promise((resolve) => setImmediate(resolve));
  throw new Error(\`audit_log is read-only: \${action} \${orderId}\`);
}

async function createOrder(orderId) {
  recordAudit(orderId, 'created');
  return { orderId };
}

module.exports = { createOrder };
`;

type Orders = { createOrder(id: number): Promise<{ orderId: number }> };

async function unhandledDuring(run: () => Promise<unknown>): Promise<{ unhandled: string[]; result: PromiseSettledResult<unknown> }> {
  const unhandled: string[] = [];
  const listener = (reason: unknown) => unhandled.push(String(reason));
  // Mocha installs its own handler; take it off while the code under test runs.
  const previous = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', listener);
  try {
    const [result] = await Promise.allSettled([run()]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { unhandled, result };
  } finally {
    process.off('unhandledRejection', listener);
    previous.forEach((l) => process.on('unhandledRejection', l));
  }
}

describe('floating-promise', () => {
  let dir: string;
  before(() => (dir = runDir('floating')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('flags the un-awaited async call; unfixed it is an unhandled rejection, awaited the caller gets the error', async () => {
    const finding = only(orders, 'floating-promise');
    assert.equal(finding.range.startLine, 7);
    assert.match(finding.message, /unhandled rejection/);
    const unfixed = await unhandledDuring(() => loadModule<Orders>(dir, 'unfixed-orders.js', orders).createOrder(1));
    assert.equal(unfixed.result.status, 'fulfilled');
    assert.match(unfixed.unhandled.join(), /audit_log is read-only/);

    const out = fixed(orders, 'floating-promise');
    assert.match(out, /\n {2}await recordAudit\(orderId, 'created'\);\n/);
    const awaited = await unhandledDuring(() => loadModule<Orders>(dir, 'awaited-orders.js', out).createOrder(2));
    assert.deepEqual(awaited.unhandled, []);
    assert.equal(awaited.result.status, 'rejected');
  });

  it('the background variant reports the error and lets the order through', async () => {
    const out = fixed(orders, 'floating-promise', 'orders.js', /background/);
    assert.match(out, /void recordAudit\(orderId, 'created'\)\.catch\(\(err\) => console\.error\('createOrder failed:', err\)\);/);
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const run = await unhandledDuring(() => loadModule<Orders>(dir, 'background-orders.js', out).createOrder(3));
      assert.deepEqual(run.unhandled, []);
      assert.equal(run.result.status, 'fulfilled');
    } finally {
      console.error = original;
    }
    assert.equal(errors.length, 1);
  });

  it('flags pool.query and fetch left floating in TypeScript', () => {
    only(
      'import { pool } from "./db"\nexport async function touch(id: string): Promise<void> {\n  pool.query("UPDATE sessions SET seen = now() WHERE id = $1", [id])\n}\n',
      'floating-promise',
      'touch.ts',
    );
    only('export async function ping(url: string) {\n  fetch(url).then((r) => r.json());\n}\n', 'floating-promise', 'ping.ts');
  });

  describe('stays quiet on', () => {
    it('awaited, returned, stored and caught promises', () =>
      assertQuiet(
        'async function a() {}\nasync function b() {\n  await a();\n  const p = a();\n  a().catch(() => {});\n  a().then(() => {}, () => {});\n  return a();\n}\n',
        'floating-promise',
      ));
    it('calls of sync functions and client.release()', () =>
      assertQuiet(
        'function sync() {}\nasync function f(client) {\n  sync();\n  client.release();\n  console.log("x");\n}\n',
        'floating-promise',
      ));
    it('calls outside async functions', () =>
      assertQuiet('async function a() {}\nfunction handler(req, res) {\n  a();\n  res.end();\n}\n', 'floating-promise'));
  });
});
