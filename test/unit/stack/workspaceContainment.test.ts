// Frame paths, path maps, source maps and symbolic links that lead out of the workspace,
// on a real directory tree with a real secret file beside it: the resolver must refuse
// each one (and say so) without reading the secret, and keep the legitimate cases working.
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeTempDir } from '../harness/git';
import { hostileTree, SECRET } from './hostileTree';
import { isPathInside, resolveInsideWorkspace } from '../../../src/core/stack/fsUtil';
import { parsePathMappings, resolveFramePath, type PathResolution } from '../../../src/core/stack/pathResolve';
import { resolveFrame } from '../../../src/core/stack/resolveFrame';
import { mapToOriginal } from '../../../src/core/stack/sourceMaps';
import { WorkspaceIndex } from '../../../src/core/stack/workspaceIndex';

const refusedWithReason = (r: PathResolution, pattern: RegExp) => {
  assert.equal(r.ok, false, `resolved to ${r.ok ? r.file : ''}`);
  assert.equal(!r.ok && r.refused, true, !r.ok ? r.reason : '');
  assert.match(!r.ok ? r.reason : '', pattern);
  assert.ok(!(!r.ok && r.reason.includes(SECRET)));
};

describe('workspace containment: hostile frame paths', () => {
  let base: string;
  let ws: string;
  let secret: string;
  let index: WorkspaceIndex;
  let folders: { name: string; path: string }[];

  before(async () => {
    base = makeTempDir('forensics-contain-');
    ({ ws, secret } = hostileTree(base));
    folders = [{ name: 'ws', path: ws }];
    index = await WorkspaceIndex.build(folders);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('tells inside from outside by path: prefixes, trailing separators, case where it is folded', () => {
    assert.equal(isPathInside('/ws', '/ws/a.js'), true);
    assert.equal(isPathInside('/ws/', '/ws/a.js'), true);
    assert.equal(isPathInside('/ws', '/ws'), true);
    assert.equal(isPathInside('/ws', '/ws-evil/a.js'), false);
    assert.equal(isPathInside('/ws', '/ws/../x'), false);
    assert.equal(isPathInside('/ws', '/ws/..x/a.js'), true);
    assert.equal(isPathInside('/ws', '/WS/a.js'), false);
    assert.equal(isPathInside('/ws', '/WS/a.js', false), true);
  });

  it('refuses a relative path that climbs out (../../etc/shadow style), without telling whether it exists', () => {
    refusedWithReason(
      resolveFramePath({ filename: relative(ws, secret) }, { folders, index }),
      /resolves outside the workspace folders; not opened/,
    );
    // A path that does not exist is refused the same way: the answer says nothing about the disk.
    refusedWithReason(
      resolveFramePath({ filename: '../../../../../../etc/shadow' }, { folders, index }),
      /resolves outside the workspace folders; not opened/,
    );
  });

  it('refuses an absolute path under the workspace that normalises out, and a sibling sharing its prefix', () => {
    refusedWithReason(resolveFramePath({ absPath: `${ws}/../outside/secret.js` }, { folders, index }), /not opened/);
    const evil = resolveFramePath({ absPath: join(base, 'ws-evil', 'secret.js') }, { folders });
    assert.equal(evil.ok, false);
  });

  it('refuses a path map whose result climbs out with ..', () => {
    const mappings = parsePathMappings({ '/app/': '${workspaceFolder}/' });
    refusedWithReason(resolveFramePath({ absPath: '/app/../outside/secret.js' }, { folders, mappings }), /not opened/);
  });

  it('refuses node_modules/../../x and webpack:///../x', () => {
    refusedWithReason(resolveFramePath({ filename: 'node_modules/../../outside/secret.js' }, { folders, index }), /not opened/);
    refusedWithReason(resolveFramePath({ absPath: 'webpack:///../outside/secret.js' }, { folders, index }), /not opened/);
  });

  it('refuses file and directory symlinks inside the workspace that lead out', () => {
    refusedWithReason(
      resolveFramePath({ absPath: join(ws, 'link-file.js') }, { folders, index }),
      /symbolic link out of the workspace folders; not opened/,
    );
    refusedWithReason(resolveFramePath({ filename: 'link-file.js' }, { folders, index }), /symbolic link/);
    refusedWithReason(resolveFramePath({ absPath: join(ws, 'link-dir', 'secret.js') }, { folders, index }), /symbolic link/);
    // An index filled by a search that follows links (VS Code's findFiles) does not lead out either.
    const linked = new WorkspaceIndex();
    linked.addRoot({ name: 'ws', path: ws }, ['link-dir/secret.js']);
    assert.equal(resolveFramePath({ absPath: '/app/link-dir/secret.js' }, { folders, index: linked }).ok, false);
  });

  it('never reads the secret through resolveFrame, whatever the path says', async () => {
    for (const absPath of [
      `${ws}/../outside/secret.js`,
      join(ws, 'link-file.js'),
      join(ws, 'link-dir', 'secret.js'),
      relative(ws, secret),
    ]) {
      const r = await resolveFrame({ absPath, lineNo: 1, colNo: 1, contextLine: `const words = '${SECRET}';` }, { folders, index });
      assert.equal(r.status, 'unresolved', absPath);
      assert.equal(r.refused, true);
      assert.equal(r.file, undefined);
      assert.ok(!JSON.stringify(r.drift ?? null).includes('secret.js'));
    }
  });

  it('keeps legitimate paths: .. that stays inside, links to inside files, multi-root, Windows separators, roots with a trailing separator or behind a link', async () => {
    const app = join(ws, 'src', 'app.js');
    assert.deepEqual(resolveFramePath({ absPath: `${ws}/lib/../src/app.js` }, { folders }), { ok: true, file: app, via: 'absolute' });
    assert.deepEqual(resolveFramePath({ filename: 'lib/../src/app.js' }, { folders }), { ok: true, file: app, via: 'absolute' });
    assert.deepEqual(resolveFramePath({ absPath: join(ws, 'inside-link.js') }, { folders }), {
      ok: true,
      file: join(ws, 'inside-link.js'),
      via: 'absolute',
    });
    assert.deepEqual(resolveFramePath({ filename: 'node_modules/pkg/index.js' }, { folders }), {
      ok: true,
      file: join(ws, 'node_modules', 'pkg', 'index.js'),
      via: 'node_modules',
    });
    const windows = resolveFramePath({ absPath: 'C:\\build\\app\\src\\app.js' }, { folders, index });
    assert.equal(windows.ok && windows.file, app);
    const trailing = resolveFramePath({ absPath: app }, { folders: [{ name: 'ws', path: `${ws}/` }] });
    assert.equal(trailing.ok && trailing.file, app);
    const mapped = resolveFramePath(
      { absPath: '/app/src/../src/app.js' },
      { folders, mappings: parsePathMappings({ '/app/': '${workspaceFolder}/' }) },
    );
    assert.equal(mapped.ok && mapped.file, app);
    // Two roots: a file in the second one, and a path from the first that climbs into the second.
    const other = join(base, 'other');
    mkdirSync(join(other, 'src'), { recursive: true });
    writeFileSync(join(other, 'src', 'b.js'), 'b();\n');
    const two = [
      { name: 'ws', path: ws },
      { name: 'other', path: other },
    ];
    assert.equal(resolveFramePath({ absPath: join(other, 'src', 'b.js') }, { folders: two }).ok, true);
    assert.equal(resolveFramePath({ absPath: `${ws}/../other/src/b.js` }, { folders: two }).ok, true);
    // A workspace opened through a link: a frame naming the real path is named under the link.
    const viaLink = join(base, 'ws-link');
    symlinkSync(ws, viaLink);
    const real = resolveFramePath({ absPath: app }, { folders: [{ name: 'ws', path: viaLink }] });
    assert.equal(real.ok && real.file, join(viaLink, 'src', 'app.js'));
    const r = await resolveFrame({ absPath: join(ws, 'inside-link.js'), lineNo: 2, colNo: 3 }, { folders, index });
    assert.equal(r.status, 'resolved');
    assert.equal(r.line, 2);
  });

  it('resolveInsideWorkspace: refuses outside by path before touching the disk, names links that lead out, finds nothing in no workspace', () => {
    const byPath = resolveInsideWorkspace([ws], '/no/such/place/at/all');
    assert.deepEqual(byPath, { ok: false, kind: 'outside', reason: 'resolves outside the workspace folders' });
    const link = resolveInsideWorkspace([ws], join(ws, 'link-file.js'));
    assert.equal(!link.ok && link.throughLink, true);
    assert.equal(
      resolveInsideWorkspace([ws], join(ws, 'missing.js')).ok === false &&
        (resolveInsideWorkspace([ws], join(ws, 'missing.js')) as { kind: string }).kind,
      'missing',
    );
    assert.equal(resolveInsideWorkspace([], join(ws, 'src', 'app.js')).ok, false);
    assert.equal(resolveInsideWorkspace([ws], 'src/app.js').ok, false);
  });
});

describe('workspace containment: source maps', () => {
  let base: string;
  let ws: string;
  let secret: string;
  let index: WorkspaceIndex;
  let folders: { name: string; path: string }[];

  before(async () => {
    base = makeTempDir('forensics-contain-maps-');
    ({ ws, secret } = hostileTree(base));
    folders = [{ name: 'ws', path: ws }];
    index = await WorkspaceIndex.build(folders);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  const resolveBuilt = (name: string) => resolveFrame({ absPath: join(ws, 'dist', name), lineNo: 1, colNo: 1 }, { folders, index });

  it('refuses a map whose sources point outside the workspace, and keeps the frame on the build output', async () => {
    const r = await resolveBuilt('by-sources.js');
    assert.notEqual(r.file, secret);
    assert.equal(r.file, join(ws, 'dist', 'by-sources.js'));
    assert.equal(r.refused, true);
    assert.match(r.reason ?? '', /source map points to .*secret\.js, which resolves outside the workspace folders; not opened/);
  });

  it('refuses a map whose sourceRoot points outside', async () => {
    const r = await resolveBuilt('by-root.js');
    assert.notEqual(r.file, secret);
    assert.equal(r.refused, true);
  });

  it('refuses a source that climbs above the map’s own sourceRoot, even into the workspace', async () => {
    const r = await resolveBuilt('above-root.js');
    assert.equal(r.file, join(ws, 'dist', 'above-root.js'));
    assert.match(r.reason ?? '', /above its own sourceRoot; not opened/);
  });

  it('does not read a map file outside the workspace', () => {
    const r = mapToOriginal(join(ws, 'dist', 'far.js'), 1, 1, [ws]);
    assert.equal(r.kind, 'error');
    assert.match(r.kind === 'error' ? r.reason : '', /outside the workspace folders; not read/);
  });

  it('still maps a map whose sourceRoot and sources stay inside', async () => {
    const r = await resolveBuilt('good.js');
    assert.equal(r.file, join(ws, 'src', 'app.js'), r.reason);
    assert.equal(r.refused, undefined);
  });
});
