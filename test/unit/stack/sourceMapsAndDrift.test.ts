// Build outputs mapped back through real esbuild and tsc source maps (inline and in a
// file), and the failing line found again after the file changed since the crash.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import ts from 'typescript';
import { makeRepo, makeTempDir, type TestRepo } from '../harness/git';
import { findSourceMappingUrl, mapToOriginal } from '../../../src/core/stack/sourceMaps';
import { contextAt, locateFailingLine } from '../../../src/core/stack/lineDrift';
import { resolveFrame } from '../../../src/core/stack/resolveFrame';
import { parseStackTrace } from '../../../src/core/stack/parseTrace';
import { WorkspaceIndex } from '../../../src/core/stack/workspaceIndex';
import { culpritFrame } from '../../../src/core/model/frame';
import { fileTextAtRelease } from '../../../src/core/git/release';
import { snipLine } from '@sentry/core';

const SOURCE = `export interface Item { sku: string; stock: number }

export function reserve(item: Item, quantity: number): number {
  const left: number = item.stock - quantity;
  if (left < 0) {
    throw new RangeError(\`stock of \${item.sku} went negative\`);
  }
  return left;
}

reserve({ sku: 'A-1', stock: 1 }, 2);
`;
const THROW_LINE = SOURCE.split('\n').findIndex((l) => l.includes('throw new RangeError')) + 1;

/** Runs a built file and returns the innermost frame of the trace it prints. */
function crash(file: string) {
  let stderr = '';
  try {
    execFileSync(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    stderr = (err as { stderr: string }).stderr;
  }
  const [e] = parseStackTrace(stderr);
  assert.ok(e, `no trace in: ${stderr}`);
  return culpritFrame(e.frames)!;
}

describe('source maps from real builds', () => {
  let dir: string;
  let index: WorkspaceIndex;
  before(async () => {
    dir = makeTempDir('forensics-maps-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'reserve.ts'), SOURCE);
    buildSync({
      entryPoints: [join(dir, 'src', 'reserve.ts')],
      outfile: join(dir, 'dist', 'inline.js'),
      sourcemap: 'inline',
      format: 'cjs',
      platform: 'node',
      bundle: true,
      logLevel: 'silent',
    });
    buildSync({
      entryPoints: [join(dir, 'src', 'reserve.ts')],
      outfile: join(dir, 'dist', 'linked.js'),
      sourcemap: 'linked',
      format: 'cjs',
      platform: 'node',
      bundle: true,
      minify: true,
      logLevel: 'silent',
    });
    buildSync({
      entryPoints: [join(dir, 'src', 'reserve.ts')],
      outfile: join(dir, 'dist', 'hidden.js'),
      sourcemap: 'external',
      format: 'cjs',
      platform: 'node',
      bundle: true,
      logLevel: 'silent',
    });
    const out = ts.transpileModule(SOURCE, {
      fileName: 'reserve.ts',
      compilerOptions: { sourceMap: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2015, sourceRoot: '../src' },
    });
    mkdirSync(join(dir, 'tsc'));
    writeFileSync(join(dir, 'tsc', 'reserve.js'), out.outputText.replace(/sourceMappingURL=.*$/m, 'sourceMappingURL=reserve.js.map'));
    writeFileSync(join(dir, 'tsc', 'reserve.js.map'), out.sourceMapText ?? '');
    index = await WorkspaceIndex.build([{ path: dir, name: 'ws' }]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, built] of [
    ['esbuild inline map', 'dist/inline.js'],
    ['esbuild minified, linked map file', 'dist/linked.js'],
    ['esbuild hidden map (no comment)', 'dist/hidden.js'],
    ['tsc, map file', 'tsc/reserve.js'],
  ] as const) {
    it(`maps a real crash in ${label} back to the TypeScript line`, async () => {
      const frame = crash(join(dir, built));
      assert.equal(frame.absPath, join(dir, built));
      const r = await resolveFrame(frame, { index, folders: [{ name: 'ws', path: dir }] });
      assert.equal(r.status, 'resolved', r.reason);
      assert.equal(r.file, join(dir, 'src', 'reserve.ts'));
      assert.equal(r.line, THROW_LINE);
      assert.equal(r.generated?.file, join(dir, built));
      assert.equal(r.generated?.map, built.includes('inline') ? 'inline' : join(dir, `${built}.map`));
    });
  }

  it('says why when a map is broken, and reports no map for plain files', () => {
    writeFileSync(join(dir, 'dist', 'broken.js'), 'throw new Error("x");\n//# sourceMappingURL=missing.js.map\n');
    const broken = mapToOriginal(join(dir, 'dist', 'broken.js'), 1, 1, [dir]);
    assert.equal(broken.kind, 'error');
    assert.match(broken.kind === 'error' ? broken.reason : '', /source map of .*broken\.js could not be read/);
    writeFileSync(join(dir, 'dist', 'plain.js'), 'throw new Error("x");\n');
    assert.deepEqual(mapToOriginal(join(dir, 'dist', 'plain.js'), 1, 1, [dir]), { kind: 'no-map' });
    assert.equal(
      findSourceMappingUrl(readFileSync(join(dir, 'dist', 'inline.js'), 'utf8'))?.startsWith('data:application/json;base64,'),
      true,
    );
  });
});

describe('line drift', () => {
  const then = [
    'function reserve(sku, qty) {',
    '  const row = read(sku);',
    '  if (row.stock < qty) throw new Error("out");',
    '  write(sku, row.stock - qty);',
    '}',
  ].join('\n');
  const ctx = contextAt(then, 4, 2);

  it('keeps an unchanged line, follows a moved one, and says when it is gone', () => {
    assert.deepEqual(locateFailingLine(then, 4, ctx), { status: 'unchanged', line: 4 });
    const moved = `// a header\n// added later\n${then}`;
    const m = locateFailingLine(moved, 4, ctx);
    assert.equal(m.status, 'moved');
    assert.equal(m.line, 6);
    assert.match(m.status === 'moved' ? m.message : '', /moved from line 4 to line 6/);
    const gone = then.replace('write(sku, row.stock - qty);', 'await atomicDecrement(sku, qty);');
    const g = locateFailingLine(gone, 4, ctx);
    assert.equal(g.status, 'not-found');
    assert.match(g.status === 'not-found' ? g.message : '', /no longer in the file/);
    assert.equal(locateFailingLine(then, 4, {}).status, 'unknown');
  });

  it('a context line the SDK cut with {snip} is the same line, not a change since the crash', () => {
    const long = `  const total = items.reduce((sum, item) => sum + item.price * item.quantity * (1 - (item.discount ?? 0)) + computeTax(item, region, exemptions), 0); // ${'x'.repeat(60)}`;
    const source = ['function total(items, region, exemptions) {', long, '  return total;', '}'].join('\n');
    // Exactly what @sentry/node's context-lines integration sends for a line this long.
    const sent = {
      contextLine: snipLine(long, 0),
      preContext: [snipLine('function total(items, region, exemptions) {', 0)],
      postContext: ['  return total;', '}'].map((l) => snipLine(l, 0)),
    };
    assert.match(sent.contextLine, / \{snip\}$/);
    assert.deepEqual(locateFailingLine(source, 2, sent), { status: 'unchanged', line: 2 });
    const moved = locateFailingLine(`// header\n${source}`, 2, sent);
    assert.equal(moved.status, 'moved');
    assert.equal(moved.line, 3);
    // A real edit inside the kept window is still a change.
    const edited = source.replace('item.price * item.quantity', 'item.price');
    assert.equal(locateFailingLine(edited, 2, sent).status, 'not-found');
    // A window cut at both ends (a crash far into the line) matches where it sits.
    const middle = snipLine(long, 150);
    assert.match(middle, /^'?\{snip\} .* \{snip\}$|^'?\{snip\} /);
    assert.deepEqual(locateFailingLine(source, 2, { contextLine: middle }), { status: 'unchanged', line: 2 });
  });

  it('prefers the copy whose neighbours match when the line appears twice', () => {
    const twice = ['  write(sku, row.stock - qty);', '', ...then.split('\n')].join('\n');
    assert.deepEqual(locateFailingLine(twice, 4, ctx), {
      status: 'moved',
      line: 6,
      fromLine: 4,
      message: 'the failing line moved from line 4 to line 6 since the crash',
    });
  });

  describe('from the release commit when the event has no context lines', () => {
    let repo: TestRepo;
    before(() => {
      repo = makeRepo('forensics-drift-');
      repo.commit({ message: 'v1', date: '2026-11-01T10:00:00Z', files: { 'src/stock.js': then + '\n' } });
      repo.tag('v1.0.0');
      repo.commit({ message: 'docs', date: '2026-11-02T10:00:00Z', files: { 'src/stock.js': `/** Stock. */\n${then}\n` } });
    });
    after(() => repo.remove());

    it('finds the line that moved since the release', async () => {
      const file = join(repo.dir, 'src', 'stock.js');
      assert.equal(await fileTextAtRelease(file, 'v1.0.0'), then + '\n');
      assert.equal(await fileTextAtRelease(file, 'no-such-release'), undefined);
      const r = await resolveFrame(
        { absPath: file, lineNo: 4, colNo: 3 },
        { folders: [{ name: 'r', path: repo.dir }], textAtRelease: (f) => fileTextAtRelease(f, 'checkout@1.0.0') },
      );
      assert.equal(r.drift?.status, 'moved');
      assert.equal(r.line, 5);
    });
  });
});
