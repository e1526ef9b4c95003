// Which files a scan reads, on real folders and real git repositories: a package's own
// dist/ or build/ is scanned unless the project ignores it, .gitignore is honoured the
// way git reads it (nested files, negation, anchoring, `**`), --exclude adds to it, and
// every skip comes with its reason.
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decidingRule, parseIgnoreFile } from '../../../src/core/fixes/gitignore';
import { walkSources } from '../../../src/core/fixes/walk';
import { runForensics } from '../harness/cli';
import { makeRepo, makeTempDir } from '../harness/git';

const write = (dir: string, files: Record<string, string>) => {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
};
const tree = {
  'package.json': '{}',
  'dist/index.js': 'module.exports = 1;\n',
  'build/tool.js': 'module.exports = 2;\n',
  'lib/a.js': 'module.exports = 3;\n',
  'lib/gen/out.js': 'module.exports = 4;\n',
  'lib/gen/keep.js': 'module.exports = 5;\n',
  'lib/deep/x.test.js': 'module.exports = 6;\n',
  '.github/scripts/release.js': 'module.exports = 7;\n',
  'node_modules/dep/index.js': 'module.exports = 8;\n',
};

describe('what fixes scan walks', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('scans a package root with dist/ and build/ when nothing says to skip them', async () => {
    dir = makeTempDir('forensics-walk-');
    write(dir, tree);
    const r = await runForensics(['fixes', 'scan', '--json'], {}, { cwd: dir });
    const json = JSON.parse(r.out) as { filesScanned: number; skipped: { file: string; reason: string }[] };
    assert.equal(json.filesScanned, 7);
    assert.deepEqual(json.skipped, [{ file: 'node_modules/', reason: 'dependencies (node_modules is never scanned)' }]);
  });

  it('in a git repository, asks git: nested .gitignore, negation and .git/info/exclude all count', () => {
    const repo = makeRepo('forensics-walk-git-');
    dir = repo.dir;
    write(dir, {
      ...tree,
      '.gitignore': 'build/\n*.test.js\n',
      'lib/gen/.gitignore': '*\n!keep.js\n!.gitignore\n',
      '.git/info/exclude': '.github/\n',
    });
    repo.commit({ message: 'init', date: '2026-01-01T00:00:00Z', files: {} });
    const { files, skipped } = walkSources(dir, [dir]);
    assert.deepEqual(
      files.map((f) => f.shown),
      ['dist/index.js', 'lib/a.js', 'lib/gen/keep.js'],
    );
    assert.deepEqual(
      skipped.map((s) => `${s.file}: ${s.reason}`),
      [
        '.github/: ignored by git (.gitignore)',
        'build/: ignored by git (.gitignore)',
        'lib/deep/: ignored by git (.gitignore)', // git folds a folder that holds only ignored files
        'lib/gen/out.js: ignored by git (.gitignore)',
        'node_modules/: dependencies (node_modules is never scanned)',
      ],
    );
  });

  it('a folder the user names is scanned even when ignored, and --exclude adds patterns', async () => {
    const repo = makeRepo('forensics-walk-named-');
    dir = repo.dir;
    write(dir, { ...tree, '.gitignore': 'dist/\n' });
    repo.commit({ message: 'init', date: '2026-01-01T00:00:00Z', files: {} });
    assert.deepEqual(
      walkSources(dir, [join(dir, 'dist')]).files.map((f) => f.shown),
      ['dist/index.js'],
    );
    const r = await runForensics(['fixes', 'scan', '--exclude', 'lib/gen/', '--exclude', '*.test.js'], {}, { cwd: dir });
    assert.match(r.err, /skipped lib\/gen\/: --exclude lib\/gen\//);
    assert.match(r.err, /skipped lib\/deep\/x\.test\.js: --exclude \*\.test\.js/);
    assert.match(r.err, /skipped dist\/: ignored by git/);
    assert.match(r.out, /0 findings in 0 of 3 files, 4 skipped/);
  });

  it('outside git, reads the .gitignore files itself and names the rule that skipped a path', () => {
    dir = makeTempDir('forensics-walk-plain-');
    write(dir, { ...tree, '.gitignore': '/build\n**/deep/\n', 'lib/gen/.gitignore': '*.js\n!keep.js\n' });
    const { files, skipped } = walkSources(dir, [dir], { useGit: false });
    assert.deepEqual(
      files.map((f) => f.shown),
      ['.github/scripts/release.js', 'dist/index.js', 'lib/a.js', 'lib/gen/keep.js'],
    );
    assert.deepEqual(
      skipped.map((s) => `${s.file}: ${s.reason}`),
      [
        'build/: ignored by .gitignore (/build)',
        'lib/deep/: ignored by .gitignore (**/deep/)',
        'lib/gen/out.js: ignored by lib/gen/.gitignore (*.js)',
        'node_modules/: dependencies (node_modules is never scanned)',
      ],
    );
  });
});

describe('the gitignore pattern language', () => {
  const ignored = (patterns: string, path: string, isDir = false, base = '') => {
    const rule = decidingRule(parseIgnoreFile(patterns, base), path, isDir);
    return rule !== undefined && !rule.negated;
  };

  it('matches names at any depth, slashes anchor, a trailing slash means folders only', () => {
    assert.equal(ignored('dist', 'a/b/dist', true), true);
    assert.equal(ignored('/dist', 'a/dist', true), false);
    assert.equal(ignored('/dist', 'dist', true), true);
    assert.equal(ignored('a/dist', 'x/a/dist', true), false);
    assert.equal(ignored('out/', 'out', false), false);
    assert.equal(ignored('out/', 'out', true), true);
  });

  it('globs stop at slashes, ** spans folders, classes and escapes work', () => {
    assert.equal(ignored('*.js', 'src/a.js'), true);
    assert.equal(ignored('src/*.js', 'src/deep/a.js'), false);
    assert.equal(ignored('src/**/*.js', 'src/deep/er/a.js'), true);
    assert.equal(ignored('src/**/*.js', 'src/a.js'), true);
    assert.equal(ignored('src/**', 'src/a/b.js'), true);
    assert.equal(ignored('src/**', 'src', true), false);
    assert.equal(ignored('a?.js', 'ab.js'), true);
    assert.equal(ignored('a?.js', 'a/.js'), false);
    assert.equal(ignored('[ab].js', 'b.js'), true);
    assert.equal(ignored('[!ab].js', 'b.js'), false);
    assert.equal(ignored('\\#x.js', '#x.js'), true);
    assert.equal(ignored('# comment', '# comment'), false);
    assert.equal(ignored('x.js   ', 'x.js'), true);
  });

  it('the last matching line wins, so ! re-includes; rules are relative to their own folder', () => {
    assert.equal(ignored('*.js\n!keep.js', 'keep.js'), false);
    assert.equal(ignored('!keep.js\n*.js', 'keep.js'), true);
    assert.equal(ignored('/gen.js', 'lib/gen.js', false, 'lib'), true);
    assert.equal(ignored('/gen.js', 'gen.js', false, 'lib'), false);
  });
});
