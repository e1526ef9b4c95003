// The editor's background scan of a workspace (what Problems shows for files nobody
// opened), on the demo's real git repository: every file's findings, the project's
// ignores and dependencies left out, paths as the editor names them, a bound on files,
// and the re-read of files that changed or went away.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanWorkspaceFolder } from '../../../src/core/fixes/workspaceScan';
import { buildDemoWorkspace } from '../../demo/workspace';
import { makeTempDir } from '../harness/git';

describe('the workspace scan behind the editor diagnostics', () => {
  let tmp: string;
  let root: string;
  before(() => {
    tmp = makeTempDir('forensics-wscan-');
    root = join(tmp, 'checkout-api');
    buildDemoWorkspace(root);
    // An ignored copy and a dependency with the same bug: neither is the project's to fix.
    writeFileSync(join(root, '.gitignore'), 'generated/\n');
    mkdirSync(join(root, 'generated'));
    copyFileSync(join(root, 'src/inventory.js'), join(root, 'generated/inventory.js'));
    mkdirSync(join(root, 'node_modules/dep'), { recursive: true });
    copyFileSync(join(root, 'src/inventory.js'), join(root, 'node_modules/dep/index.js'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const rulesByFile = (r: ReturnType<typeof scanWorkspaceFolder>) =>
    Object.fromEntries(r.files.map((f) => [f.path, [...new Set(f.findings.map((x) => x.ruleId))].sort()]));

  it('finds the race in inventory.js and the pool-client leak in orders.js, with no file open, and nothing ignored', () => {
    const r = scanWorkspaceFolder({ root });
    const found = rulesByFile(r);
    assert.deepEqual(Object.keys(found).sort(), [join(root, 'src/inventory.js'), join(root, 'src/orders.js')]);
    assert.ok(found[join(root, 'src/inventory.js')].includes('read-then-write'), JSON.stringify(found));
    assert.ok(found[join(root, 'src/orders.js')].includes('pool-client-leak'), JSON.stringify(found));
    assert.ok(r.scanned.includes(join(root, 'src/server.js')), 'files without findings are known too (their changes are followed)');
    assert.ok(!r.scanned.some((f) => f.includes('generated') || f.includes('node_modules')), r.scanned.join('\n'));
    assert.equal(r.leftOut, 0);
  });

  it('names files under the folder as opened, not where a symlinked folder resolves (so editor and scan agree)', () => {
    const link = join(tmp, 'linked');
    symlinkSync(root, link);
    const r = scanWorkspaceFolder({ root: link });
    assert.ok(
      r.files.every((f) => f.path.startsWith(link)),
      r.files.map((f) => f.path).join('\n'),
    );
  });

  it('stops at the file bound and says how many it left out', () => {
    const all = scanWorkspaceFolder({ root }).scanned.length;
    const r = scanWorkspaceFolder({ root, maxFiles: 2 });
    assert.equal(r.scanned.length, 2);
    assert.equal(r.leftOut, all - 2);
  });

  it('re-reads only the files it is given: a fixed file has no findings left, a deleted one is nothing', () => {
    const inventory = join(root, 'src/inventory.js');
    const before = readFileSync(inventory, 'utf8');
    try {
      writeFileSync(inventory, 'module.exports = {};\n');
      const extra = join(root, 'src/gone.js');
      writeFileSync(extra, before);
      unlinkSync(extra);
      const r = scanWorkspaceFolder({ root, files: [inventory, extra] });
      assert.deepEqual(r.files, []);
      assert.deepEqual(r.scanned, [inventory]);
    } finally {
      writeFileSync(inventory, before);
    }
  });
});
