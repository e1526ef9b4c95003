// Traces as they come out of real logs: real pino JSON lines from a child process, the
// real Node traces of fixtures/throwers.js behind the prefixes log collectors add, and
// log prose that must not turn into frames.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStackTrace } from '../../../src/core/stack/parseTrace';
import { makeTempDir } from '../harness/git';

const throwers = join(__dirname, 'fixtures', 'throwers.js');
const prefixes: Record<string, (i: number) => string> = {
  'docker compose': () => 'checkout-api-1  | ',
  'kubectl --timestamps': (i) => `2026-12-01T10:00:0${i % 10}.${String(100000000 + i * 7919).slice(0, 9)}Z `,
  journald: () => 'Dec 01 10:00:00 web-01 node[4242]: ',
  'timestamp and level': (i) => `2026-12-01T10:00:${String(i % 60).padStart(2, '0')}Z ERROR `,
};

describe('parseStackTrace on traces from real logs', () => {
  let tmp: string;
  before(() => (tmp = makeTempDir('forensics-log-traces-')));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads the err.stack and its caused by: chain out of real pino JSON lines', () => {
    const script = join(tmp, 'pino-app.js');
    writeFileSync(
      script,
      [
        `const pino = require(${JSON.stringify(require.resolve('pino'))});`,
        'const log = pino();',
        "log.info('starting');",
        "function charge() { throw new TypeError('card declined'); }",
        "function checkout() { try { charge(); } catch (cause) { throw new Error('checkout failed', { cause }); } }",
        "try { checkout(); } catch (err) { log.error({ err }, 'request failed'); }",
        "log.info('still serving');",
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(out.trim().split('\n').length, 3, out);
    const exceptions = parseStackTrace(out);
    assert.deepEqual(
      exceptions.map((e) => `${e.type}: ${e.value}`),
      ['TypeError: card declined', 'Error: checkout failed'],
    );
    assert.deepEqual(
      exceptions.map((e) => [e.frames.at(-1)?.absPath, e.frames.at(-1)?.lineNo, e.frames.at(-1)?.function]),
      [
        [script, 4, 'charge'],
        [script, 5, 'checkout'],
      ],
    );
  });

  it('finds the same exceptions and frames behind every log prefix as without one', () => {
    const traces = execFileSync(process.execPath, [throwers], { encoding: 'utf8' }).split('\n-----8<-----\n');
    for (const trace of traces) {
      const plain = parseStackTrace(trace);
      assert.ok(
        plain.some((e) => e.frames.length > 0),
        trace,
      );
      for (const [style, prefix] of Object.entries(prefixes)) {
        const logged = trace
          .split('\n')
          .map((l, i) => prefix(i) + l)
          .join('\n');
        assert.deepEqual(parseStackTrace(logged), plain, `${style}:\n${logged}`);
      }
    }
  });

  it('keeps the frames of a pino line behind a docker compose prefix', () => {
    const stack = 'Error: boom\n    at run (/srv/app/src/run.js:3:9)\n    at main (/srv/app/src/main.js:1:1)';
    const line = `api-1  | ${JSON.stringify({ level: 50, err: { type: 'Error', message: 'boom', stack }, msg: 'boom' })}`;
    const [e] = parseStackTrace(line);
    assert.deepEqual(
      e.frames.map((f) => f.function),
      ['main', 'run'],
    );
  });

  it('does not read log prose, URLs or addresses as frames', () => {
    const prose = [
      '2026-12-01T10:00:00Z INFO server listening at http://localhost:3000',
      '2026-12-01T10:00:01Z INFO request at /cart took 12ms',
      'web-1  | retrying at 10:00:05 (attempt 2)',
      'deploy@build-01:22 connected',
      'see https://example.com/docs/errors#E42 for details',
      'Error: failed at startup',
      'contact ops@example.com:443 if this persists',
      'ops@example.com:443',
      '    at least 3 items (see the docs)',
      '    at 10:00:05 (attempt 2)',
    ].join('\n');
    const exceptions = parseStackTrace(prose);
    assert.deepEqual(
      exceptions.flatMap((e) => e.frames),
      [],
    );
    assert.deepEqual(
      exceptions.map((e) => e.value.split('\n')[0]),
      ['failed at startup'],
    );
  });
});
