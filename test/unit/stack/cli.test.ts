// `forensics stack resolve` and `forensics changes` on the demo workspace (its real git
// history): the culprit frame lands on the read-then-write in reserveStock(), and the
// Tuesday refactor is the commit that introduced the line.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/framework';
import { commands } from '../../../src/cli/commands';
import { makeTempDir } from '../harness/git';
import { buildDemoWorkspace, type DemoWorkspace } from '../../demo/workspace';

async function cli(argv: string[], stdinText = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  stdin.end(stdinText);
  const code = await runCli(commands, argv, { stdout, stderr, stdin, env: {}, cwd: process.cwd() }, '0.0.0');
  return { code, out, err };
}

describe('forensics stack resolve / changes (CLI) on the demo workspace', () => {
  let demo: DemoWorkspace;
  let tmp: string;
  let line: number;
  before(() => {
    tmp = makeTempDir('forensics-cli-stack-');
    demo = buildDemoWorkspace(join(tmp, 'checkout-api'));
    line =
      readFileSync(join(demo.dir, 'src/inventory.js'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('UPDATE inventory SET stock = stock - $1')) + 1;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('resolves a container trace from stdin, innermost first, with the reasons for what it cannot open', async () => {
    const trace = [
      'error: new row for relation "inventory" violates check constraint "inventory_stock_check"',
      '    at /app/node_modules/pg/lib/client.js:545:17',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `    at async reserveStock (/app/src/inventory.js:${line}:3)`,
    ].join('\n');
    const r = await cli(['stack', 'resolve', '--workspace', demo.dir, '--map', '/app/=./'], trace);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^error: new row for relation "inventory"/);
    assert.match(r.out, new RegExp(`\\* reserveStock \\(/app/src/inventory\\.js:${line}:3\\)\\n\\s+-> src/inventory\\.js:${line}:3\\n`));
    assert.match(r.out, /-> unresolved: node_modules\/pg\/lib\/client\.js is a dependency that is not installed in the workspace/);
    assert.match(r.out, /-> unresolved: node:internal\/process\/task_queues is part of the Node\.js runtime/);
  });

  it('reads a raw SDK event with context lines and reports the drift of a line that moved', async () => {
    const text = readFileSync(join(demo.dir, 'src/inventory.js'), 'utf8').split('\n');
    const event = {
      release: 'checkout-api@1.4.0',
      exception: {
        values: [
          {
            type: 'error',
            value: 'check constraint',
            stacktrace: {
              frames: [
                {
                  filename: 'app:///src/inventory.js',
                  abs_path: '/app/src/inventory.js',
                  function: 'reserveStock',
                  lineno: line - 2,
                  colno: 3,
                  in_app: true,
                  context_line: text[line - 1],
                  pre_context: text.slice(line - 4, line - 1),
                  post_context: text.slice(line, line + 2),
                },
              ],
            },
          },
        ],
      },
    };
    const file = join(tmp, 'event.json');
    writeFileSync(file, JSON.stringify(event));
    const r = await cli(['stack', 'resolve', '--workspace', demo.dir, '--event', file, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.release, 'checkout-api@1.4.0');
    const frame = json.exceptions[0].frames[0];
    assert.equal(frame.file, join(demo.dir, 'src/inventory.js'));
    assert.equal(frame.line, line);
    assert.equal(frame.drift.status, 'moved');
  });

  it('marks the Tuesday refactor as the commit that introduced the failing line, shipped in 1.4.0', async () => {
    const firstSeen = new Date(demo.refactorDate.getTime() + 86_400_000).toISOString();
    const r = await cli([
      'changes',
      `src/inventory.js:${line}`,
      '--workspace',
      demo.dir,
      '--first-seen',
      firstSeen,
      '--release',
      'checkout-api@1.4.0',
    ]);
    assert.equal(r.code, 0, r.err);
    const refactor = r.out
      .split('\n')
      .find((l) => l.includes(demo.commits.refactor.slice(0, 7)) && l.includes('perf: drop the transaction'));
    assert.ok(refactor, r.out);
    assert.match(refactor, /Jordan Blake/);
    assert.match(refactor, /\[introduced this line; in the window before first seen; shipped in release checkout-api@1\.4\.0\]/);
    assert.match(r.out, new RegExp(`>\\s+${line}  ${demo.commits.refactor.slice(0, 7)}  Jordan Blake`));
    const bad = await cli(['changes', 'src/inventory.js', '--workspace', demo.dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /expected FILE:LINE/);
  });
});
