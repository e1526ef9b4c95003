// `forensics fixes scan` against a hostile tree, through the real CLI on real temp
// folders: symlinks out of the tree, read-only files while running as root, symlink
// loops, a huge file named on the command line, files that do not parse, and a --fix
// that meets an unwritable file half way.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runForensics } from '../harness/cli';
import { makeTempDir } from '../harness/git';

const leak =
  "const { Pool } = require('pg');\nconst pool = new Pool();\n\nasync function report(id) {\n  const client = await pool.connect();\n  const { rows } = await client.query('SELECT * FROM reports WHERE id = $1', [id]);\n  client.release();\n  return rows;\n}\n\nmodule.exports = { report };\n";
const cli = (cwd: string, ...argv: string[]) => runForensics(argv, {}, { cwd });
const write = (dir: string, rel: string, text: string) => {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
const findingsOf = (out: string) => (JSON.parse(out) as { findings: { file: string; rule: string }[] }).findings;

describe('forensics fixes scan on a hostile tree', () => {
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = makeTempDir('forensics-scan-safety-');
    outside = makeTempDir('forensics-scan-outside-');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('never follows a symlink out of the tree: the target is not scanned, not labelled src/…, and --fix leaves it alone', async () => {
    write(outside, 'secret.js', leak);
    write(dir, 'src/own.js', leak);
    symlinkSync(join(outside, 'secret.js'), join(dir, 'src/linked.js'));
    symlinkSync(outside, join(dir, 'src/linkedDir'));
    const r = await cli(dir, 'fixes', 'scan', '--json');
    assert.deepEqual(
      findingsOf(r.out).map((f) => f.file),
      ['src/own.js'],
    );
    assert.match(r.err, /skipped src\/linked\.js: a symlink to outside the scanned tree/);
    assert.match(r.err, /skipped src\/linkedDir: a symlink to outside the scanned tree/);
    const fixed = await cli(dir, 'fixes', 'scan', '--fix');
    assert.equal(fixed.code, 0, fixed.err);
    assert.equal(readFileSync(join(outside, 'secret.js'), 'utf8'), leak, 'the file outside the tree is untouched');
    assert.doesNotMatch(fixed.out, /linked/);
  });

  it('a file named on the command line through a symlink to outside is refused too', async () => {
    write(outside, 'secret.js', leak);
    mkdirSync(join(dir, 'src'));
    symlinkSync(join(outside, 'secret.js'), join(dir, 'src/linked.js'));
    const r = await cli(dir, 'fixes', 'scan', 'src/linked.js', '--fix');
    assert.match(r.err, /skipped src\/linked\.js: a symlink to outside the scanned tree/);
    assert.equal(readFileSync(join(outside, 'secret.js'), 'utf8'), leak);
  });

  it('--fix leaves a read-only file alone even as root, fixes the others, and says exactly which were changed', async () => {
    write(dir, 'src/a.js', leak);
    write(dir, 'src/b.js', leak);
    chmodSync(join(dir, 'src/a.js'), 0o444);
    chmodSync(join(dir, 'src/b.js'), 0o640);
    const inodeBefore = statSync(join(dir, 'src/b.js')).ino;
    const r = await cli(dir, 'fixes', 'scan', '--fix');
    assert.equal(readFileSync(join(dir, 'src/a.js'), 'utf8'), leak, 'the read-only file is not rewritten');
    assert.match(
      readFileSync(join(dir, 'src/b.js'), 'utf8'),
      /finally \{\n {4}client\.release\(\);/,
      'the writable file after it is still fixed',
    );
    assert.match(r.out, /^--- a\/src\/b\.js\n/, 'the diff of what was changed is printed');
    assert.doesNotMatch(r.out, /a\/src\/a\.js/);
    assert.match(r.err, /not fixed src\/a\.js: read-only/);
    assert.match(r.err, /1 fix applied in 1 file \(src\/b\.js\); 1 file not changed \(src\/a\.js\); 1 finding left/);
    assert.equal(r.code, 1);
    const after = statSync(join(dir, 'src/b.js'));
    assert.equal(after.mode & 0o7777, 0o640, 'the mode is kept');
    assert.notEqual(after.ino, inodeBefore, 'written to a temporary file and renamed over the original');
    assert.deepEqual(readdirSync(join(dir, 'src')).sort(), ['a.js', 'b.js'], 'no temporary file is left behind');
  });

  it('walks each real path once: a symlink loop does not multiply the findings', async () => {
    write(dir, 'src/a.js', leak);
    symlinkSync('..', join(dir, 'src/loop'));
    symlinkSync('.', join(dir, 'src/self'));
    const r = await cli(dir, 'fixes', 'scan', '--json');
    assert.deepEqual(
      findingsOf(r.out).map((f) => f.file),
      ['src/a.js'],
    );
    assert.equal((JSON.parse(r.out) as { filesScanned: number }).filesScanned, 1);
    assert.match(r.err, /skipped src\/loop\/: the same folder as \.\/ \(symlink\), scanned once/);
  });

  it('applies the size cap to a file named on the command line and says it was skipped', async () => {
    write(dir, 'big.js', `${leak}\n${'// padding line to make a bundle-sized file\n'.repeat(25_000)}`);
    const r = await cli(dir, 'fixes', 'scan', 'big.js');
    assert.equal(r.code, 0);
    assert.match(r.err, /skipped big\.js: 1\.\d MB, over the 1\.0 MB limit/);
    assert.match(r.out, /0 findings in 0 of 0 files, 1 skipped/);
  });

  it('exits 3 with a summary line when a file could not be parsed, unless --skip-unparsable', async () => {
    write(dir, 'src/broken.js', 'export function (\n');
    write(dir, 'src/ok.js', 'export const x = 1;\n');
    const r = await cli(dir, 'fixes', 'scan');
    assert.equal(r.code, 3);
    assert.match(r.err, /could not parse src\/broken\.js: /);
    assert.match(
      r.out,
      /1 file could not be read or parsed, so its code was not checked: src\/broken\.js \(exit code 3; --skip-unparsable accepts this\)/,
    );
    const accepted = await cli(dir, 'fixes', 'scan', '--skip-unparsable');
    assert.equal(accepted.code, 0);
    const json = JSON.parse((await cli(dir, 'fixes', 'scan', '--json')).out) as { unparsable: { file: string }[] };
    assert.deepEqual(
      json.unparsable.map((u) => u.file),
      ['src/broken.js'],
    );
  });
});
