// Frame paths to workspace files on a real directory tree: path maps, Sentry's URL
// prefixes, suffix matching across roots, dependencies, and an index kept fresh.
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../harness/git';
import { parsePathMappings, resolveFramePath, stripPathPrefixes } from '../../../src/core/stack/pathResolve';
import { WorkspaceIndex, isCaseSensitiveDirectory, pathSegments } from '../../../src/core/stack/workspaceIndex';

function write(root: string, files: string[]): void {
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), `// ${f}\n`);
  }
}

describe('frame path resolution', () => {
  let dir: string;
  let api: string;
  let web: string;
  let index: WorkspaceIndex;
  let folders: { name: string; path: string }[];

  before(async () => {
    dir = makeTempDir('forensics-paths-');
    api = join(dir, 'services', 'api');
    web = join(dir, 'apps', 'web');
    write(api, ['src/orders/reserve.js', 'src/index.js', 'lib/util.js', 'node_modules/pg/lib/client.js']);
    write(web, ['src/index.js', 'src/components/Cart.tsx', 'node_modules/react/index.js']);
    folders = [
      { name: 'api', path: api },
      { name: 'web', path: web },
    ];
    index = await WorkspaceIndex.build(folders);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes every root but not node_modules', () => {
    assert.equal(index.size, 5);
    assert.equal(index.lookup('node_modules/pg/lib/client.js'), undefined);
  });

  it('applies configured path maps with ${workspaceFolder} and ${workspaceFolder:name}', () => {
    const mappings = parsePathMappings({ '/app/': '${workspaceFolder}/', '/srv/web/': '${workspaceFolder:web}/' });
    const a = resolveFramePath({ absPath: '/app/src/orders/reserve.js' }, { folders, mappings });
    assert.deepEqual(a, { ok: true, file: join(api, 'src/orders/reserve.js'), via: 'path-mapping' });
    const b = resolveFramePath({ absPath: '/srv/web/src/index.js' }, { folders, mappings });
    assert.equal(b.ok && b.file, join(web, 'src/index.js'));
    assert.deepEqual(
      parsePathMappings([
        { from: '/x/', to: 'y/' },
        { from: '', to: 'z' },
      ]),
      [{ from: '/x/', to: 'y/' }],
    );
  });

  it('strips app:///, webpack:// and file:// before looking the path up', () => {
    assert.equal(stripPathPrefixes('app:///src/orders/reserve.js'), 'src/orders/reserve.js');
    assert.equal(stripPathPrefixes('webpack:///./src/components/Cart.tsx'), 'src/components/Cart.tsx');
    assert.equal(stripPathPrefixes('webpack://my-app/./src/x.js'), 'src/x.js');
    assert.equal(stripPathPrefixes('file:///srv/a%20b/x.js'), '/srv/a b/x.js');
    const viaApp = resolveFramePath({ filename: 'app:///src/orders/reserve.js' }, { folders, index });
    assert.equal(viaApp.ok && viaApp.file, join(api, 'src/orders/reserve.js'));
    const viaWebpack = resolveFramePath({ absPath: 'webpack:///./src/components/Cart.tsx' }, { folders, index });
    assert.equal(viaWebpack.ok && viaWebpack.file, join(web, 'src/components/Cart.tsx'));
    const viaFileUrl = resolveFramePath({ absPath: `file://${join(api, 'lib/util.js')}` }, { folders, index });
    assert.deepEqual(viaFileUrl, { ok: true, file: join(api, 'lib/util.js'), via: 'absolute' });
  });

  it('finds a container path by its longest suffix in a multi-root workspace, and reports ties', () => {
    const r = resolveFramePath({ absPath: '/usr/src/app/src/orders/reserve.js' }, { folders, index });
    assert.ok(r.ok);
    assert.equal(r.file, join(api, 'src/orders/reserve.js'));
    assert.equal(r.via, 'suffix');
    assert.equal(r.matchedSegments, 3);
    const tie = index.lookup('/deploy/src/index.js');
    assert.equal(tie?.matchedSegments, 2);
    assert.equal(tie?.alsoMatched.length, 1);
    const cart = index.lookup('C:\\build\\web\\src\\components\\Cart.tsx');
    assert.equal(cart?.file, join(web, 'src/components/Cart.tsx'));
  });

  it('honours case where the file system does', () => {
    const sensitive = isCaseSensitiveDirectory(api);
    const hit = index.lookup('/x/SRC/Orders/Reserve.js');
    assert.equal(hit === undefined, sensitive);
  });

  it('resolves dependencies under node_modules, and says when one is not installed', () => {
    const pg = resolveFramePath({ absPath: '/app/node_modules/pg/lib/client.js', inApp: false }, { folders, index });
    assert.deepEqual(pg, { ok: true, file: join(api, 'node_modules/pg/lib/client.js'), via: 'node_modules' });
    const missing = resolveFramePath({ absPath: '/app/node_modules/express/lib/router.js' }, { folders, index });
    assert.deepEqual(missing, {
      ok: false,
      reason: 'node_modules/express/lib/router.js is a dependency that is not installed in the workspace',
    });
  });

  it('explains runtime frames, eval frames and unknown files', () => {
    const internal = resolveFramePath({ absPath: 'node:internal/process/task_queues' }, { folders, index });
    assert.match(!internal.ok ? internal.reason : '', /Node\.js runtime/);
    const evaluated = resolveFramePath({ absPath: 'eval at <anonymous> (/app/src/x.js:3:5), <anonymous>' }, { folders, index });
    assert.match(!evaluated.ok ? evaluated.reason : '', /eval\(\).*\/app\/src\/x\.js:3:5/);
    const unknown = resolveFramePath({ absPath: '/app/src/gone.js' }, { folders, index });
    assert.deepEqual(unknown, { ok: false, reason: 'no file named gone.js in the workspace' });
  });

  it('stays fresh as files are added, removed and directories deleted', () => {
    const fresh = new WorkspaceIndex();
    fresh.addRoot({ path: api, name: 'api' }, ['src/index.js']);
    fresh.add(join(api, 'src', 'new.js'));
    fresh.add(join(dir, 'outside.js'));
    assert.equal(fresh.size, 2);
    assert.equal(fresh.lookup('/x/src/new.js')?.file, join(api, 'src/new.js'));
    fresh.remove(join(api, 'src'));
    assert.equal(fresh.size, 0);
    assert.equal(fresh.lookup('new.js'), undefined);
    assert.deepEqual(pathSegments('C:\\a\\.\\b//c.js'), ['a', 'b', 'c.js']);
  });

  it('keeps the longest-suffix rule when hundreds of files share a name', () => {
    const big = new WorkspaceIndex();
    const paths = [];
    for (let p = 0; p < 300; p++) paths.push(`packages/p${p}/src/index.ts`, `packages/p${p}/index.ts`);
    paths.push('index.ts');
    big.addRoot({ path: '/ws', name: 'ws', caseSensitive: true }, paths);
    assert.equal(big.size, 601);
    assert.equal(big.lookup('/app/packages/p123/src/index.ts')?.file, join('/ws', 'packages/p123/src/index.ts'));
    assert.equal(big.lookup('/app/packages/p123/src/index.ts')?.matchedSegments, 4);
    // Only the file name matches: the shortest path wins, and nothing else is as short.
    assert.deepEqual(big.lookup('/elsewhere/index.ts'), {
      file: join('/ws', 'index.ts'),
      root: big.rootList[0],
      matchedSegments: 1,
      alsoMatched: [],
    });
    const src = big.lookup('/elsewhere/src/index.ts');
    assert.equal(src?.matchedSegments, 2);
    assert.equal(src?.alsoMatched.length, 299);
    big.remove(join('/ws', 'packages/p123/src/index.ts'));
    // Now only `src/index.ts` matches best, in 299 packages: the first by name is chosen.
    const after = big.lookup('/app/packages/p123/src/index.ts');
    assert.equal(after?.file, join('/ws', 'packages/p0/src/index.ts'));
    assert.equal(after?.matchedSegments, 2);
    assert.equal(after?.alsoMatched.length, 298);
    big.remove(join('/ws', 'packages'));
    assert.equal(big.size, 1);
  });
});
