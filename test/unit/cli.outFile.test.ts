// `forensics triage --out` never replaces a report silently and fails before any work on a
// path it cannot write: an existing file needs --force, a folder is refused, a path through
// a file fails at once. The incident is a saved event in the shape Sentry's API documents.
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runForensics } from './harness/cli';
import { makeTempDir } from './harness/git';

const EVENT = join(__dirname, 'sentry', 'fixtures', 'reference', 'openapi-issue-event-latest.example.json');

describe('cli: triage --out', function () {
  this.timeout(60_000);
  let dir: string;
  const triage = (...args: string[]) => runForensics(['triage', '--event', EVENT, '--workspace', dir, ...args], {}, { cwd: dir });
  before(() => (dir = makeTempDir('forensics-out-')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a new report, refuses to replace it without --force, and replaces it with --force', async () => {
    const first = await triage('--out', 'reports/incident.md');
    assert.equal(first.code, 0, first.err);
    const file = join(dir, 'reports', 'incident.md');
    assert.match(readFileSync(file, 'utf8'), /This is an example Python exception/);
    assert.deepEqual(readdirSync(join(dir, 'reports')), ['incident.md'], 'the write probe is removed');
    writeFileSync(file, 'my notes, edited by hand');
    const again = await triage('--out', 'reports/incident.md');
    assert.equal(again.code, 2);
    assert.equal(again.err, `forensics: --out ${file} already exists; pass --force to replace it, or choose another name\n`);
    assert.equal(again.out, '', 'nothing was investigated');
    assert.equal(readFileSync(file, 'utf8'), 'my notes, edited by hand');
    const viaReport = await triage('--report', 'reports/incident.md');
    assert.equal(viaReport.code, 2);
    assert.match(viaReport.err, /^forensics: --report .* already exists; pass --force/);
    const forced = await triage('--out', 'reports/incident.md', '--force');
    assert.equal(forced.code, 0, forced.err);
    assert.match(readFileSync(file, 'utf8'), /This is an example Python exception/);
  });

  it('a folder or a path through a file fails before the investigation, and leaves nothing behind', async () => {
    mkdirSync(join(dir, 'folder'));
    const folder = await triage('--out', 'folder');
    assert.equal(folder.code, 2);
    assert.match(folder.err, /^forensics: --out .*folder is a folder; give the path of the file to write, e\.g\. .*folder\/name\n$/);
    writeFileSync(join(dir, 'plain.txt'), 'x');
    const through = await triage('--out', 'plain.txt/report.md');
    assert.equal(through.code, 2);
    assert.match(
      through.err,
      /^forensics: --out .*plain\.txt\/report\.md: cannot write there: a part of the path is a file, not a folder\n$/,
    );
    assert.equal(through.out, '');
  });
});
