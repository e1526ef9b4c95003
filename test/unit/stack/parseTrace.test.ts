// parseStackTrace against traces printed by real Node errors (thrown in a child process),
// plus the forms this machine cannot print (Windows paths) and log noise around them.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStackTrace } from '../../../src/core/stack/parseTrace';
import { culpritFrame, type ExceptionInfo } from '../../../src/core/model/frame';

const fixtures = join(__dirname, 'fixtures');
const thrower = join(fixtures, 'throwers.js');
const lineOf = (snippet: string) =>
  readFileSync(thrower, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(snippet)) + 1;

describe('parseStackTrace on traces from real Node errors', () => {
  let traces: string[];
  before(() => {
    const out = execFileSync(process.execPath, [thrower], { encoding: 'utf8' });
    traces = out.split('\n-----8<-----\n');
    assert.equal(traces.length, 5, out);
  });

  it('reads `new`, named and `async` frames, innermost last, with 1-based lines and columns', () => {
    const [e] = parseStackTrace(traces[0]);
    assert.equal(e.type, 'RangeError');
    assert.equal(e.value, 'stock went negative');
    assert.deepEqual(
      e.frames.map((f) => f.function),
      ['checkout', 'reserveLater', 'makeStore', 'new Store'],
    );
    const inner = e.frames[e.frames.length - 1];
    assert.equal(inner.absPath, thrower);
    assert.equal(inner.lineNo, lineOf('throw new RangeError'));
    assert.equal(inner.colNo, 26);
    assert.equal(inner.inApp, true);
    assert.equal(culpritFrame(e.frames), inner);
  });

  it('marks `node:` internals as not in-app so the culprit is the caller', () => {
    const [e] = parseStackTrace(traces[1]);
    assert.match(e.value, /ENOENT/);
    const internals = e.frames.filter((f) => f.absPath === 'node:fs');
    assert.equal(internals.length, 2);
    assert.ok(internals.every((f) => f.inApp === false));
    const culprit = culpritFrame(e.frames);
    assert.equal(culprit?.absPath, thrower);
    assert.equal(culprit?.function, '?'); // Sentry's name for an anonymous function
  });

  it('splits `[cause]:` chains, deepest cause first as Sentry orders exception.values, and skips <anonymous> natives', () => {
    const exceptions = parseStackTrace(traces[2]);
    assert.deepEqual(
      exceptions.map((e) => `${e.type}: ${e.value}`),
      ['TypeError: inner cause', 'Error: outer failure'],
    );
    const anon = exceptions[1].frames.find((f) => f.absPath === '<anonymous>');
    assert.equal(anon?.function, 'Array.map');
    assert.equal(anon?.inApp, false);
    assert.equal(exceptions[1].frames.at(-1)?.lineNo, lineOf("throw new Error('outer failure'"));
    assert.equal(exceptions[0].frames.at(-1)?.colNo, 49);
  });

  it('places eval frames at the line that ran eval, the outermost real location', () => {
    const [e] = parseStackTrace(traces[3]);
    assert.equal(e.type, 'SyntaxError');
    const evalLine = lineOf("eval('(function evaluated()");
    const evaluated = e.frames.find((f) => f.function === 'evaluated');
    assert.equal(evaluated?.absPath, thrower);
    assert.equal(evaluated?.lineNo, evalLine);
    assert.equal(evaluated?.colNo, 5);
    assert.equal(evaluated?.inApp, true);
    assert.deepEqual(
      e.frames.map((f) => `${f.function}@${f.lineNo}`),
      [`?@${evalLine}`, `eval@${evalLine}`, `evaluated@${evalLine}`],
    );
  });

  it('turns file:// URLs of ES modules into paths', () => {
    const [e] = parseStackTrace(traces[4]);
    const boom = e.frames.at(-1);
    assert.equal(boom?.absPath, join(fixtures, 'thrower.mjs'));
    assert.equal(boom?.function, 'Module.boom');
    assert.equal(boom?.lineNo, 3);
  });

  it('finds every trace in a log excerpt with prefixes and printed error properties', () => {
    const log = [
      '2026-11-17T10:00:00Z ERROR request failed',
      traces[0],
      "  code: '23514',",
      '2026-11-17T10:00:01Z INFO retrying',
      traces[1],
    ].join('\n');
    const exceptions = parseStackTrace(log);
    assert.deepEqual(exceptions.map((e) => e.type).sort(), ['Error', 'RangeError']);
    assert.equal(
      exceptions.reduce((n, e) => n + e.frames.length, 0),
      4 + 3,
    );
  });
});

describe('parseStackTrace on forms typed by hand', () => {
  it('reads Windows paths and treats backslashed node_modules as a dependency', () => {
    const [e] = parseStackTrace(
      [
        'TypeError [ERR_INVALID_ARG_TYPE]: bad argument',
        '    at run (C:\\app\\src\\orders.js:3:9)',
        '    at Object.parse (C:\\app\\node_modules\\lib\\index.js:1:2)',
      ].join('\r\n'),
    );
    assert.equal(e.type, 'TypeError [ERR_INVALID_ARG_TYPE]');
    const [lib, run] = e.frames;
    assert.equal(run.absPath, 'C:\\app\\src\\orders.js');
    assert.equal(run.inApp, true);
    assert.equal(lib.inApp, false);
  });

  it('takes the file Node names above a SyntaxError as the culprit only with its caret line', () => {
    const internals = [
      '    at wrapSafe (node:internal/modules/cjs/loader:1469:18)',
      '    at Module._compile (node:internal/modules/cjs/loader:1491:20)',
    ];
    const [syntax] = parseStackTrace(
      ['/srv/app/src/bad.cjs:3', 'const total = ;', '              ^', '', "SyntaxError: Unexpected token ';'", ...internals].join('\n'),
    );
    assert.deepEqual(culpritFrame(syntax.frames), {
      filename: '/srv/app/src/bad.cjs',
      absPath: '/srv/app/src/bad.cjs',
      function: '?',
      lineNo: 3,
      colNo: 15,
      inApp: true,
    });
    const [logged] = parseStackTrace(
      ['tail of /var/log/app/app.log:3', '/var/log/app/app.log:3', 'rotated', "SyntaxError: Unexpected token ';'", ...internals].join('\n'),
    );
    assert.equal(logged.frames.length, 2);
    assert.equal(culpritFrame(logged.frames)?.function, 'wrapSafe');
  });

  it('keeps a multi-line message and a lone header without frames', () => {
    const [multi] = parseStackTrace('Error: first line\nsecond line\n    at f (/srv/a.js:1:1)');
    assert.equal(multi.value, 'first line\nsecond line');
    const lone: ExceptionInfo[] = parseStackTrace('Error: nothing else');
    assert.deepEqual(lone, [{ type: 'Error', value: 'nothing else', frames: [] }]);
    assert.deepEqual(parseStackTrace('just some words'), []);
  });
});
