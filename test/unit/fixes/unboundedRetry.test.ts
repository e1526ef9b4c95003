// unbounded-retry: the retry-storm scenario's deliverer retries a 429 forever. Fixed, it
// stops after 5 attempts against a real HTTP server that always answers 429, waiting
// longer between attempts; loops with a cap, a deadline or no failure check stay quiet.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { assertQuiet, fixed, loadModule, only, runDir } from './ruleHarness';

const scenario = (v: 'before' | 'after') =>
  readFileSync(join(__dirname, '..', '..', 'scenarios', 'retry-storm', v, 'src', 'webhooks.js'), 'utf8');

// A message publisher that calls itself from its catch (a common "retry" in queue clients).
const recursive = `const broker = require('./broker');

async function publish(topic, message) {
  try {
    await broker.send(topic, message);
  } catch (err) {
    console.warn('publish failed, retrying', err.message);
    return publish(topic, message);
  }
}

module.exports = { publish, broker };
`;

describe('unbounded-retry', function () {
  this.timeout(60_000);
  let dir: string;
  let server: Server;
  let url: string;
  const arrivals: number[] = [];
  before(async () => {
    dir = runDir('retry');
    server = createServer((req, res) => {
      arrivals.push(Date.now());
      req.resume();
      res.writeHead(429, { 'retry-after': '30' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags the retry-storm loop; fixed, it gives up after 5 attempts against an endpoint that always answers 429, with growing waits', async () => {
    const source = scenario('after');
    const finding = only(source, 'unbounded-retry');
    assert.equal(finding.range.startLine, source.split('\n').findIndex((l) => l.includes('while (true)')) + 1);
    assert.equal(finding.range.endLine, finding.range.startLine, 'the loop header only, not the whole loop');
    assert.match(finding.message, /no cap on attempts and no delay/);
    const out = fixed(source, 'unbounded-retry');
    // The loop's own counter is reused: checked before it goes up.
    assert.match(
      out,
      /\n {2}let attempt = 0;\n {2}while \(true\) \{\n {4}if \(attempt >= 5\) throw new Error\(`gave up after \$\{attempt\} attempts`\);\n {4}if \(attempt > 0\) await new Promise/,
    );
    assert.match(out, /Math\.random\(\) \/ 2\)\)\);\n {4}attempt\+\+;\n/);
    assert.doesNotMatch(out, /attempts = 0/);
    const mod = loadModule<{ deliver(url: string, payload: unknown, onFailure: (e: Error) => void): Promise<number> }>(
      dir,
      'webhooks.js',
      out,
    );
    arrivals.length = 0;
    const failures: string[] = [];
    await assert.rejects(
      mod.deliver(url, { id: 'ord_1' }, (e) => failures.push(e.message)),
      /gave up after 5 attempts/,
    );
    assert.equal(arrivals.length, 5);
    assert.equal(failures.length, 5);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
    // Backoff 2^n·100 ms with jitter in [0.5, 1): at least 100, 200, 400, 800 ms.
    gaps.forEach((gap, i) => assert.ok(gap >= 2 ** (i + 1) * 50 - 5, `gap ${i + 1} was ${gap} ms: ${gaps.join(', ')}`));
  });

  it('caps a recursive retry: an attempt parameter, the caught error rethrown after 5 attempts, backoff between them', async () => {
    const out = fixed(recursive, 'unbounded-retry');
    assert.match(out, /async function publish\(topic, message, attempt = 1\)/);
    assert.match(out, /if \(attempt >= 5\) throw err;\n {4}await new Promise/);
    assert.match(out, /return publish\(topic, message, attempt \+ 1\);/);
    // The broker of the test always fails and counts the sends; the log goes nowhere.
    const runnable = out
      .replace("require('./broker')", "{ sends: 0, async send() { this.sends++; throw new Error('broker unavailable'); } }")
      .replace("console.warn('publish failed, retrying', err.message);", 'void err;');
    const mod = loadModule<{ publish(t: string, m: string): Promise<void>; broker: { sends: number } }>(dir, 'publisher.js', runnable);
    await assert.rejects(mod.publish('orders', 'm1'), /broker unavailable/);
    assert.equal(mod.broker.sends, 5);
  });

  it('flags for (;;) around try/catch and a flag loop, keeping double quotes', () => {
    only(
      'async function getJson(url) {\n  for (;;) {\n    try {\n      return await fetchJson(url);\n    } catch (err) {\n      log.warn(err);\n    }\n  }\n}\n',
      'unbounded-retry',
    );
    const out = fixed(
      'async function send(msg) {\n  let sent = false\n  while (!sent) {\n    try {\n      await queue.push(msg)\n      sent = true\n    } catch (error) {\n      console.error("push failed", error)\n    }\n  }\n}\n',
      'unbounded-retry',
    );
    assert.match(out, /let attempts = 0\n {2}while \(!sent\) \{\n {4}if \(attempts >= 5\)/);
    assert.doesNotMatch(out, /;\n/, 'no semicolons added to a file without them');
  });

  it('keeps an existing backoff and only adds the cap', () => {
    const out = fixed(
      'async function connect(db) {\n  while (true) {\n    try {\n      return await db.connect();\n    } catch (err) {\n      await sleep(1000);\n    }\n  }\n}\n',
      'unbounded-retry',
    );
    assert.equal(out.match(/setTimeout/g), null);
    assert.match(out, /if \(attempts >= 5\)/);
  });

  describe('stays quiet on', () => {
    it('the scenario before the breaking change (capped with backoff)', () => assertQuiet(scenario('before'), 'unbounded-retry'));
    it('a worker loop that never exits on success', () =>
      assertQuiet(
        'async function work(queue) {\n  while (true) {\n    const job = await queue.next();\n    try {\n      await handle(job);\n    } catch (err) {\n      report(err);\n    }\n  }\n}\n',
        'unbounded-retry',
      ));
    it('polling a status until done', () =>
      assertQuiet(
        "async function waitFor(id) {\n  while (true) {\n    const job = await getJob(id);\n    if (job.status === 'done') return job;\n    await sleep(1000);\n  }\n}\n",
        'unbounded-retry',
      ));
    it('a counter compared inside the loop', () =>
      assertQuiet(
        'async function f(url) {\n  let attempt = 0;\n  while (true) {\n    attempt++;\n    try {\n      return await fetch(url);\n    } catch (err) {\n      if (attempt >= 3) throw err;\n    }\n  }\n}\n',
        'unbounded-retry',
      ));
    it('a deadline', () =>
      assertQuiet(
        'async function f(url, deadline) {\n  while (Date.now() < deadline) {\n    const res = await fetch(url);\n    if (res.ok) return res;\n  }\n}\n',
        'unbounded-retry',
      ));
    it('recursion with an attempt parameter', () =>
      assertQuiet(
        'async function send(m, attempt = 1) {\n  try {\n    await broker.send(m);\n  } catch (err) {\n    if (attempt > 4) throw err;\n    return send(m, attempt + 1);\n  }\n}\n',
        'unbounded-retry',
      ));
  });
});
