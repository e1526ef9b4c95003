// Blame, line history, the window before first seen and release correlation against
// real git repositories: renames, a merge, a shallow clone, untracked files, no repo.
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, makeTempDir, TestRepo } from '../harness/git';
import { markerLabel, recentChanges, type ChangeEntry } from '../../../src/core/git/changes';
import { blameLines, fileHistory, lineHistory } from '../../../src/core/git/history';
import { openRepo } from '../../../src/core/git/repo';
import { resolveRelease, shippedIn } from '../../../src/core/git/release';
import { lineStory } from '../../../src/core/git/lineStory';

const maya = { name: 'Maya Chen', email: 'maya@example.com' };
const jordan = { name: 'Jordan Blake', email: 'jordan@example.com' };
const sam = { name: 'Sam Okafor', email: 'sam@example.com' };

const v1 = [
  'async function reserveStock(sku, qty) {',
  "  await db.query('BEGIN');",
  "  const row = await db.query('SELECT stock FROM inventory WHERE sku = $1 FOR UPDATE', [sku]);",
  '  if (row.stock < qty) throw new OutOfStock(sku);',
  "  await db.query('UPDATE inventory SET stock = $1 WHERE sku = $2', [row.stock - qty, sku]);",
  "  await db.query('COMMIT');",
  '}',
  '',
].join('\n');
const v2 = [
  'async function reserveStock(sku, qty) {',
  "  const row = await db.query('SELECT stock FROM inventory WHERE sku = $1', [sku]);",
  '  if (row.stock < qty) throw new OutOfStock(sku);',
  "  await db.query('UPDATE inventory SET stock = $1 WHERE sku = $2', [row.stock - qty, sku]);",
  '}',
  '',
].join('\n');
const FAILING = 4; // the UPDATE in v2
const labels = (c: ChangeEntry | undefined) => c?.markers.map(markerLabel) ?? [];

describe('git: what changed around the failing line', () => {
  let repo: TestRepo;
  const sha: Record<string, string> = {};
  before(() => {
    repo = makeRepo();
    sha.initial = repo.commit({
      message: 'inventory with row lock',
      author: maya,
      date: '2026-11-01T10:00:00Z',
      files: { 'src/stock.js': v1, 'README.md': 'x\n' },
    });
    repo.tag('checkout@1.0.0');
    sha.readme = repo.commit({ message: 'readme', author: sam, date: '2026-11-05T10:00:00Z', files: { 'README.md': 'y\n' } });
    sha.rename = repo.commit({
      message: 'move stock into inventory/',
      author: sam,
      date: '2026-11-08T10:00:00Z',
      renames: { 'src/stock.js': 'src/inventory/stock.js' },
    });
    repo.tag('v1.1.0');
    sha.refactor = repo.commit({
      message: 'perf: drop the row lock',
      author: jordan,
      date: '2026-11-17T14:20:00Z',
      files: { 'src/inventory/stock.js': v2 },
    });
    sha.release = repo.commit({ message: 'release 1.2.0', author: sam, date: '2026-11-17T17:00:00Z', files: { 'README.md': 'z\n' } });
    repo.tag('v1.2.0');
  });
  after(() => repo.remove());

  const file = () => join(repo.dir, 'src/inventory/stock.js');

  it('blames the lines around the failing one with porcelain commit details', async () => {
    const opened = await openRepo(file());
    assert.ok(opened.ok);
    const blame = await blameLines(opened.repo, 'src/inventory/stock.js', FAILING - 1, FAILING + 1);
    assert.deepEqual(
      blame.map((b) => b.line),
      [3, 4, 5],
    );
    const failing = blame[1];
    assert.equal(failing.sha, sha.initial); // the UPDATE text is unchanged since the first commit
    assert.equal(failing.commit.authorName, 'Maya Chen');
    assert.equal(failing.commit.authorEmail, 'maya@example.com');
    assert.equal(failing.commit.date, '2026-11-01T10:00:00.000Z');
    assert.equal(failing.originalLine, 5);
    assert.equal(failing.commit.path, 'src/stock.js');
    assert.equal(blame[0].sha, sha.initial);
    assert.equal(blame[2].content, '}');
  });

  it('follows the line through the rename with log -L and the file with --follow', async () => {
    const opened = await openRepo(file());
    assert.ok(opened.ok);
    const lines = await lineHistory(opened.repo, 'src/inventory/stock.js', 2, 2);
    assert.deepEqual(
      lines.map((c) => c.sha),
      [sha.refactor, sha.initial],
    );
    assert.equal(lines[1].path, 'src/stock.js');
    const all = await fileHistory(opened.repo, 'src/inventory/stock.js');
    assert.deepEqual(
      all.map((c) => c.subject),
      ['perf: drop the row lock', 'move stock into inventory/', 'inventory with row lock'],
    );
    const renamed = all[1];
    assert.equal(renamed.previousPath, 'src/stock.js');
    assert.equal(renamed.path, 'src/inventory/stock.js');
    const inWindow = await fileHistory(opened.repo, 'src/inventory/stock.js', {
      since: '2026-11-10T00:00:00Z',
      until: '2026-11-18T00:00:00Z',
    });
    assert.deepEqual(
      inWindow.map((c) => c.sha),
      [sha.refactor],
    );
  });

  it('maps releases named by tag (with package prefix or v) or by sha to commits', async () => {
    const opened = await openRepo(repo.dir);
    assert.ok(opened.ok);
    const byTag = await resolveRelease(opened.repo, 'checkout-api@1.2.0');
    assert.equal(byTag?.commit, sha.release);
    assert.equal(byTag?.ref, 'v1.2.0');
    assert.deepEqual(byTag?.previous, { ref: 'v1.1.0', commit: sha.rename });
    const bySha = await resolveRelease(opened.repo, sha.refactor.slice(0, 12));
    assert.equal(bySha?.commit, sha.refactor);
    assert.equal(await resolveRelease(opened.repo, '9.9.9'), undefined);
    assert.equal(await resolveRelease(opened.repo, '--output=/tmp/x'), undefined);
    assert.equal(await shippedIn(opened.repo, sha.refactor, byTag!), true);
    assert.equal(await shippedIn(opened.repo, sha.rename, byTag!), false); // shipped in 1.1.0 already
  });

  it('marks the commit that introduced the failing line, the window and the release', async () => {
    // The crash is on the read now (line 2): the refactor rewrote it.
    const report = await recentChanges({
      file: file(),
      line: 2,
      firstSeen: '2026-11-17T18:00:00Z',
      windowDays: 14,
      release: 'checkout@1.2.0',
    });
    assert.ok(report.ok, !report.ok ? report.reason : '');
    assert.equal(report.relPath, 'src/inventory/stock.js');
    const bySha = new Map(report.commits.map((c) => [c.sha, c]));
    assert.deepEqual(labels(bySha.get(sha.refactor)), [
      'introduced this line',
      'in the window before first seen',
      'shipped in release checkout@1.2.0',
    ]);
    assert.deepEqual(labels(bySha.get(sha.initial)), ['changed this line']);
    assert.deepEqual(labels(bySha.get(sha.rename)), ['in the window before first seen']);
    assert.equal(bySha.has(sha.readme), false); // another file
    assert.deepEqual(report.window, { since: '2026-11-03T18:00:00.000Z', until: '2026-11-17T18:00:00Z' });
    assert.deepEqual(
      report.commits.map((c) => c.sha),
      [sha.refactor, sha.rename, sha.initial],
    ); // newest first
    assert.deepEqual(report.notes, []);

    // Beside the line: the commit that wrote it first, then the one that changed it, then
    // the window; the rename is newer than the initial commit but matters less here.
    const story = lineStory(report, 2, Date.parse('2026-11-19T14:20:00Z'));
    assert.equal(story?.inline, 'introduced by ' + report.commits[0].shortSha + ' (Jordan Blake, 2 days ago)');
    assert.deepEqual(
      story?.entries.map((e) => [e.sha, e.subject, e.why]),
      [
        [
          sha.refactor,
          'perf: drop the row lock',
          'introduced this line · in the window before first seen · shipped in release checkout@1.2.0',
        ],
        [sha.initial, 'inventory with row lock', 'changed this line'],
      ],
    );
    assert.equal(story?.more, 1);
  });

  it('notes an unknown release and uncommitted edits instead of failing', async () => {
    writeFileSync(file(), v2.replace('throw new OutOfStock(sku)', 'throw new OutOfStock(sku, qty)'));
    try {
      const report = await recentChanges({ file: file(), line: 3, release: 'checkout@7.0.0' });
      assert.ok(report.ok);
      assert.deepEqual(report.notes, [
        'line 3 has uncommitted changes',
        'release "checkout@7.0.0" matches no tag or commit in this repository, so "shipped in" is not shown',
      ]);
      assert.equal(report.window, undefined);
      assert.ok(report.commits.length >= 3); // recent history of the file when there is no window
    } finally {
      repo.git(['checkout', '--', 'src/inventory/stock.js']);
    }
  });

  it('says why for untracked files, missing files and folders outside git', async () => {
    writeFileSync(join(repo.dir, 'src', 'scratch.js'), 'x\n');
    assert.deepEqual(await recentChanges({ file: join(repo.dir, 'src', 'scratch.js'), line: 1 }), {
      ok: false,
      reason: 'src/scratch.js is not tracked by git (a new or ignored file), so it has no history yet',
    });
    const plain = makeTempDir('forensics-nogit-');
    writeFileSync(join(plain, 'a.js'), 'x\n');
    const outside = await recentChanges({ file: join(plain, 'a.js'), line: 1 });
    assert.deepEqual(outside, { ok: false, reason: `${plain} is not inside a git repository, so there is no history to show` });
    assert.deepEqual(await recentChanges({ file: join(plain, 'gone.js'), line: 1 }), {
      ok: false,
      reason: `${join(plain, 'gone.js')} does not exist`,
    });
    rmSync(plain, { recursive: true, force: true });
  });

  it('reads a shallow clone and says that history is cut off', async () => {
    const clone = new TestRepo(makeTempDir('forensics-shallow-'));
    try {
      clone.git(['clone', '--quiet', '--depth', '1', `file://${repo.dir}`, '.']);
      const report = await recentChanges({ file: join(clone.dir, 'src/inventory/stock.js'), line: 1 });
      assert.ok(report.ok);
      assert.match(report.notes.join('\n'), /shallow clone/);
      assert.match(report.notes.join('\n'), /line 1 is attributed to [0-9a-f]{7}, the shallow-clone boundary: it may be older/);
      assert.ok(report.commits.every((c) => !c.markers.some((m) => m.kind === 'introduced-line')));
    } finally {
      clone.remove();
    }
  });
});

describe('git: a line that came in through a merge', () => {
  let repo: TestRepo;
  let branchCommit: string;
  before(() => {
    repo = makeRepo();
    repo.commit({ message: 'start', author: maya, date: '2026-11-01T10:00:00Z', files: { 'a.js': 'one\ntwo\nthree\nfour\nfive\n' } });
    repo.git(['checkout', '--quiet', '-b', 'feature']);
    branchCommit = repo.commit({
      message: 'feature: change two',
      author: jordan,
      date: '2026-11-02T10:00:00Z',
      files: { 'a.js': 'one\nTWO\nthree\nfour\nfive\n' },
    });
    repo.git(['checkout', '--quiet', 'main']);
    repo.commit({
      message: 'main: change five',
      author: sam,
      date: '2026-11-03T10:00:00Z',
      files: { 'a.js': 'one\ntwo\nthree\nfour\nFIVE\n' },
    });
    repo.git(['merge', '--quiet', '--no-ff', '--no-edit', 'feature'], {
      GIT_AUTHOR_DATE: '2026-11-04T10:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-04T10:00:00Z',
    });
  });
  after(() => repo.remove());

  it('credits the branch commit, not the merge, with introducing the line', async () => {
    const report = await recentChanges({
      file: join(repo.dir, 'a.js'),
      line: 2,
      since: '2026-11-01T12:00:00Z',
      firstSeen: '2026-11-05T00:00:00Z',
    });
    assert.ok(report.ok);
    const introduced = report.commits.filter((c) => c.markers.some((m) => m.kind === 'introduced-line'));
    assert.deepEqual(
      introduced.map((c) => c.sha),
      [branchCommit],
    );
    assert.deepEqual(
      report.commits
        .filter((c) => labels(c).includes('in the window before first seen'))
        .map((c) => c.subject)
        .sort(),
      ['feature: change two', 'main: change five'],
    );
  });
});
