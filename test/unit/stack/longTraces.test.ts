// Traces longer than what is kept: a real 120-frame recursion, a trace whose in-app frames
// sit below 60 library frames, a 120,000-line message, and inputs of tens of megabytes.
// The assertions are on what comes out (counts, sizes, notes), never on time.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { commands } from '../../../src/cli/commands';
import { runCli } from '../../../src/cli/framework';
import { culpritFrame } from '../../../src/core/model/frame';
import { parseStackTrace } from '../../../src/core/stack/parseTrace';
import { makeTempDir } from '../harness/git';

async function stackResolve(workspace: string, trace: string, json: boolean): Promise<{ code: number; out: string; err: string }> {
  const [stdout, stderr, stdin] = [new PassThrough(), new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  stdin.end(trace);
  const argv = ['stack', 'resolve', '--workspace', workspace, ...(json ? ['--json'] : [])];
  const code = await runCli(commands, argv, { stdout, stderr, stdin, env: {}, cwd: workspace }, '0.0.0');
  return { code, out, err };
}

/** A trace whose innermost `libraryFrames` frames are in node_modules and the next `appFrames` in the app. */
function libraryOverApp(libraryFrames: number, appFrames: number): string {
  return [
    'Error: deep',
    ...Array.from({ length: libraryFrames }, (_, i) => `    at lib${i} (/srv/app/node_modules/router/index.js:${i + 1}:5)`),
    ...Array.from({ length: appFrames }, (_, i) => `    at app${i} (/srv/app/src/handlers.js:${i + 1}:9)`),
  ].join('\n');
}

describe('long traces: what is kept and what is said about the rest', () => {
  let tmp: string;
  let recursionTrace: string;
  before(() => {
    tmp = makeTempDir('forensics-long-trace-');
    const script = join(tmp, 'recurse.js');
    writeFileSync(
      script,
      [
        'Error.stackTraceLimit = Infinity;',
        'function down(n) { if (n === 0) throw new RangeError("bottom"); return down(n - 1); }',
        'try { down(117); } catch (e) { process.stdout.write(e.stack); }',
      ].join('\n'),
    );
    recursionTrace = execFileSync(process.execPath, [script], { encoding: 'utf8' });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('a real 120-frame trace keeps 50 frames, innermost included, and counts the other 70', () => {
    const frameLines = recursionTrace.split('\n').filter((l) => /^\s+at /.test(l)).length;
    assert.ok(frameLines >= 120, `the child printed ${frameLines} frames`);
    const [e] = parseStackTrace(recursionTrace);
    assert.equal(e.frames.length, 50);
    assert.equal(e.omittedFrames, frameLines - 50);
    const innermost = e.frames.at(-1);
    assert.equal(innermost?.function, 'down');
    assert.equal(innermost?.lineNo, 2);
  });

  it('keeps the in-app frames that sit below 60 library frames, and the innermost frame', () => {
    const [e] = parseStackTrace(libraryOverApp(60, 10));
    assert.equal(e.frames.length, 50);
    assert.equal(e.omittedFrames, 20);
    const app = e.frames.filter((f) => f.inApp).map((f) => f.function);
    assert.deepEqual(
      app,
      Array.from({ length: 10 }, (_, i) => `app${9 - i}`),
    );
    assert.equal(e.frames.at(-1)?.function, 'lib0');
    assert.equal(culpritFrame(e.frames)?.function, 'app0');
  });

  it('forensics stack resolve says how many frames there were and which were kept, in text and JSON', async () => {
    const text = await stackResolve(tmp, libraryOverApp(100, 20), false);
    assert.equal(text.code, 0, text.err);
    assert.match(
      text.out,
      /^Error: deep\n {2}\(120 frames, 50 kept: the innermost frame and the innermost in-app ones first, then the closest to the failure; 70 not kept\)\n/,
    );
    const json = await stackResolve(tmp, libraryOverApp(100, 20), true);
    const [e] = JSON.parse(json.out).exceptions;
    assert.equal(e.totalFrames, 120);
    assert.equal(e.omittedFrames, 70);
    assert.equal(e.frames.length, 50);
    assert.match(e.note, /^120 frames, 50 kept/);
    const short = JSON.parse((await stackResolve(tmp, libraryOverApp(3, 3), true)).out).exceptions[0];
    assert.equal(short.omittedFrames, undefined);
    assert.equal(short.frames.length, 6);
  });

  it('caps a 120,000-line message before the first frame, with a note of what was left out', () => {
    const message = Array.from({ length: 120_000 }, (_, i) => `row ${i}: ${'x'.repeat(40)}`);
    const [e] = parseStackTrace(['Error: bulk import failed', ...message, '    at importRows (/srv/app/src/import.js:9:11)'].join('\n'));
    assert.ok(e.value.length < 5_000, `message of ${e.value.length} characters`);
    assert.match(e.value, /^bulk import failed\nrow 0: x+\n/);
    assert.match(e.value, /… \(\d{6} more lines of the message not kept\)$/);
    const dropped = Number(/\((\d+) more lines/.exec(e.value)?.[1]);
    assert.equal(dropped + e.value.split('\n').length - 2, 120_000);
    assert.equal(e.frames[0].function, 'importRows');
  });

  it('reads tens of megabytes of log with traces and hostile lines, and the result stays small', () => {
    const trace = libraryOverApp(2, 3).split('\n');
    const chunk = [
      ...trace.map((l) => `web-1  | ${l}`),
      `web-1  | ${'at '.repeat(20_000)}`, // one long line full of `at `
      `${'('.repeat(400)}@x:/${')'.repeat(390)}:1`, // cubic for Gecko's regex: 0.5 s a line unguarded
      `x ${'at (1:2) '.repeat(100)}done`, // many `at`s, each tried as a frame start
      `web-1  | {"level":50,"msg":"${'y'.repeat(10_000)}"}`,
      ...Array.from({ length: 40 }, (_, i) => `web-1  | info: request ${i} at /cart took 12ms`),
    ];
    const input = Array.from({ length: 300 }, () => chunk.join('\n')).join('\n');
    assert.ok(input.length > 20_000_000, `${input.length} characters`);
    const exceptions = parseStackTrace(input);
    assert.equal(exceptions.length, 300);
    assert.ok(exceptions.every((e) => e.frames.length === 5 && e.frames.at(-1)?.function === 'lib0'));
    assert.ok(JSON.stringify(exceptions).length < 300 * 2_000);
  });
});
