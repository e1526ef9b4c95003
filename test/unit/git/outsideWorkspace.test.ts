// `forensics changes FILE:LINE` on real repositories: a FILE that climbs out of --workspace,
// names an absolute path elsewhere, or goes through a symbolic link to another repository
// must not have its lines blamed (blame prints them); a file inside still works.
import { strict as assert } from 'node:assert';
import { symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runForensics as cli } from '../harness/cli';
import { makeRepo, type TestRepo } from '../harness/git';
import { recentChanges } from '../../../src/core/git/changes';

const SECRET = 'the other repository was blamed here';

describe('forensics changes: files outside the workspace', () => {
  let ws: TestRepo;
  let other: TestRepo;
  before(() => {
    ws = makeRepo('forensics-changes-ws-');
    ws.commit({
      message: 'app',
      date: '2026-11-01T10:00:00Z',
      files: { 'src/app.js': 'function main() {\n  throw new Error("boom");\n}\n' },
    });
    other = makeRepo('forensics-changes-other-');
    other.commit({ message: 'secret', date: '2026-11-01T10:00:00Z', files: { 'secret.js': `// ${SECRET}\n` } });
    symlinkSync(other.dir, join(ws.dir, 'link-dir'));
  });
  after(() => {
    ws.remove();
    other.remove();
  });

  for (const [label, spec] of [
    ['a relative path that climbs out', () => `${relative(ws.dir, join(other.dir, 'secret.js'))}:1`],
    ['an absolute path elsewhere', () => `${join(other.dir, 'secret.js')}:1`],
    ['a directory symlink to another repository', () => 'link-dir/secret.js:1'],
  ] as const) {
    it(`refuses ${label}, blaming nothing`, async () => {
      const r = await cli(['changes', spec(), '--workspace', ws.dir]);
      assert.notEqual(r.code, 0);
      assert.ok(!r.out.includes(SECRET) && !r.err.includes(SECRET), r.out);
      assert.match(r.err, /(outside the workspace folders|symbolic link out of the workspace folders); its history is not read/);
    });
  }

  it('still shows the history of a file inside the workspace', async () => {
    const r = await cli(['changes', 'src/app.js:2', '--workspace', ws.dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /throw new Error\("boom"\)/);
    const viaCore = await recentChanges({ file: join(ws.dir, 'src', 'app.js'), line: 2, workspace: [ws.dir] });
    assert.equal(viaCore.ok, true);
  });
});
