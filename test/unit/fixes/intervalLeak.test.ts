// interval-leak: per-connection timers whose handle is dropped or never cleared. The
// fixed heartbeat run for 200 connections leaves no timer behind once they close.
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { assertQuiet, fixed, loadModule, only, runDir } from './ruleHarness';

// A WebSocket heartbeat per connection (the ws README pattern, with the clear forgotten).
const heartbeat = `function handleConnection(ws) {
  ws.isAlive = true;
  ws.on('pong', () => {
    ws.isAlive = true;
  });
  setInterval(() => {
    if (!ws.isAlive) return ws.terminate();
    ws.isAlive = false;
    ws.ping();
  }, 30000);
}

module.exports = { handleConnection };
`;

describe('interval-leak', () => {
  let dir: string;
  before(() => (dir = runDir('interval')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('flags a dropped per-connection heartbeat; fixed, 200 closed connections leave no timer running', () => {
    const finding = only(heartbeat, 'interval-leak');
    assert.equal(finding.range.startLine, 6);
    assert.match(finding.message, /drops its handle/);
    const out = fixed(heartbeat, 'interval-leak');
    assert.match(out, /\n {2}const timer = setInterval\(\(\) => \{/);
    assert.match(out, /\}, 30000\);\n {2}ws\.on\('close', \(\) => clearInterval\(timer\)\);\n\}/);
    // The module's timers go through a counting setInterval/clearInterval, so the test
    // sees exactly which are still live and stops them afterwards.
    const counted = (source: string) =>
      'const live = new Set();\n' +
      'const setInterval = (...args) => { const h = global.setInterval(...args); live.add(h); return h; };\n' +
      'const clearInterval = (h) => { live.delete(h); global.clearInterval(h); };\n' +
      `${source}module.exports.live = live;\n`;
    const run = (name: string, source: string) => {
      const mod = loadModule<{ handleConnection(ws: EventEmitter): void; live: Set<NodeJS.Timeout> }>(dir, name, counted(source));
      const sockets = Array.from({ length: 200 }, () => Object.assign(new EventEmitter(), { ping() {}, terminate() {} }));
      sockets.forEach((ws) => mod.handleConnection(ws));
      const during = mod.live.size;
      sockets.forEach((ws) => ws.emit('close'));
      const left = mod.live.size;
      mod.live.forEach((h) => clearInterval(h));
      return { during, after: left };
    };
    assert.deepEqual(run('unfixed-heartbeat.js', heartbeat), { during: 200, after: 200 }, 'the unfixed code leaves every timer running');
    assert.deepEqual(run('fixed-heartbeat.js', out), { during: 200, after: 0 });
  });

  it("clears a timer kept on this in the class's close() method", () => {
    const code =
      'export class Poller {\n  constructor(private readonly url: string) {\n    setInterval(() => this.poll(), 5000)\n  }\n\n  poll(): void {}\n\n  close(): void {\n    console.log("closed")\n  }\n}\n';
    const out = fixed(code, 'interval-leak', 'poller.ts');
    assert.match(out, /this\.timer = setInterval\(\(\) => this\.poll\(\), 5000\)/);
    assert.match(out, /close\(\): void \{\n {4}clearInterval\(this\.timer\)\n {4}console\.log/);
  });

  it('flags a named handle that nothing clears, in an async handler, and clears it in finally', () => {
    const code =
      "async function exportReport(req, res) {\n  const progress = setInterval(() => res.write('.'), 1000);\n  const rows = await loadRows(req.query);\n  res.end(JSON.stringify(rows));\n}\n";
    const out = fixed(code, 'interval-leak', 'report.js', /finally/);
    assert.match(out, /\} finally \{\n {4}clearInterval\(progress\);\n {2}\}/);
  });

  describe('stays quiet on', () => {
    it('a handle cleared on close', () =>
      assertQuiet(
        "function handle(ws) {\n  const t = setInterval(() => ws.ping(), 1000);\n  ws.on('close', () => clearInterval(t));\n}\n",
        'interval-leak',
      ));
    it('a module-level timer', () => assertQuiet('setInterval(() => flushMetrics(), 10000).unref();\n', 'interval-leak'));
    it('one-time setup', () =>
      assertQuiet('function startMetrics(registry) {\n  setInterval(() => registry.flush(), 10000);\n}\n', 'interval-leak'));
    it('a handle returned to the caller', () =>
      assertQuiet('function every(ms, fn) {\n  return setInterval(fn, ms);\n}\n', 'interval-leak'));
    it('a timer kept on this and cleared in stop()', () =>
      assertQuiet(
        'class Job {\n  constructor(fn) {\n    this.timer = setInterval(fn, 100);\n  }\n  stop() {\n    clearInterval(this.timer);\n  }\n}\n',
        'interval-leak',
      ));
  });
});
