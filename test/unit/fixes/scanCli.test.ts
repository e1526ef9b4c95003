// `forensics fixes scan` over a real folder tree: what it reads and skips (node_modules,
// .gitignore'd output), the table and JSON it prints, the exit code CI relies on, and
// --fix rewriting the files and printing the diff.
import { strict as assert } from 'node:assert';
import { runForensics } from '../harness/cli';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../harness/git';

const leak =
  "const { Pool } = require('pg');\nconst pool = new Pool();\n\nasync function report(id) {\n  const client = await pool.connect();\n  const { rows } = await client.query('SELECT * FROM reports WHERE id = $1', [id]);\n  client.release();\n  return rows;\n}\n\nmodule.exports = { report };\n";
const clean = "async function ok(pool) {\n  const { rows } = await pool.query('SELECT 1');\n  return rows;\n}\n";

const cli = (cwd: string, ...argv: string[]) => runForensics(argv, {}, { cwd });

describe('forensics fixes scan', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('forensics-scan-');
    const files: Record<string, string> = {
      'src/reports.js': leak,
      'src/ok.ts': clean,
      'node_modules/dep/index.js': leak,
      'generated/reports.js': leak,
      'vendor.min.js': leak,
      '.gitignore': '# build output\ngenerated/\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists findings as file:line:column, skips dependencies and ignored folders, and exits 1', async () => {
    const r = await cli(dir, 'fixes', 'scan');
    assert.equal(r.code, 1);
    assert.match(r.out, /^src\/reports\.js:5:24 {2}error {2}pool-client-leak\n {2}pool-client-leak: /);
    assert.match(r.out, /fix: Release the client in finally/);
    assert.match(r.out, /1 finding in 1 of 2 files, 3 skipped/);
    assert.match(r.err, /skipped generated\/: ignored by .gitignore \(generated\/\)/);
    assert.match(r.err, /skipped node_modules\/: dependencies/);
    assert.match(r.err, /skipped vendor\.min\.js: minified/);
    assert.doesNotMatch(r.out, /node_modules|generated|vendor/);
  });

  it('prints JSON for machines and exits 0 when a path has nothing to report', async () => {
    const r = await cli(dir, 'scan', 'src', '--json');
    const json = JSON.parse(r.out) as {
      filesScanned: number;
      findings: { rule: string; file: string; line: number; column: number; fixes: { preferred: boolean }[]; docs: string }[];
    };
    assert.equal(json.filesScanned, 2);
    assert.deepEqual(
      json.findings.map((f) => [f.rule, f.file, f.line, f.column, f.docs]),
      [['pool-client-leak', 'src/reports.js', 5, 24, 'docs/bug-classes.md#pool-client-leak']],
    );
    const clean = await cli(dir, 'fixes', 'scan', 'src/ok.ts');
    assert.equal(clean.code, 0);
    assert.match(clean.out, /0 findings in 0 of 1 file\n/);
    const filtered = await cli(dir, 'fixes', 'scan', '--rule', 'listener-leak');
    assert.equal(filtered.code, 0);
  });

  it('--fix rewrites the file, prints the diff, and a second scan is clean', async () => {
    const r = await cli(dir, 'fixes', 'scan', '--fix');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^--- a\/src\/reports\.js\n\+\+\+ b\/src\/reports\.js\n@@/);
    assert.match(r.out, /\n\+ {2}\} finally \{\n\+ {4}client\.release\(\);\n/);
    assert.match(r.err, /1 fix applied in 1 file \(src\/reports\.js\); 0 findings left/);
    assert.match(readFileSync(join(dir, 'src/reports.js'), 'utf8'), /try \{\n {4}const \{ rows \}/);
    assert.equal(readFileSync(join(dir, 'node_modules/dep/index.js'), 'utf8'), leak, 'dependencies are never touched');
    assert.equal((await cli(dir, 'fixes', 'scan')).code, 0);
  });

  it('--fix applies only fixes that cannot change behaviour: a suggestion is listed, never written', async () => {
    const floating =
      "async function audit(id) {\n  await fetch('https://audit.example/' + id);\n}\n\nasync function handle(req) {\n  audit(req.id);\n  return 'ok';\n}\n\nmodule.exports = { handle };\n";
    writeFileSync(join(dir, 'src/handler.js'), floating);
    const listed = await cli(dir, 'fixes', 'scan', 'src/handler.js');
    assert.match(listed.out, /floating-promise\n.*\n {2}suggestion: Await it/);
    const r = await cli(dir, 'fixes', 'scan', 'src/handler.js', '--fix');
    assert.equal(readFileSync(join(dir, 'src/handler.js'), 'utf8'), floating, 'awaiting would make handle() wait for the audit call');
    assert.equal(r.out, '');
    assert.match(r.err, /0 fixes applied in 0 files; 1 finding left/);
    assert.equal(r.code, 1);
  });

  it('says what is wrong with a bad rule or path, with exit code 2', async () => {
    const rule = await cli(dir, 'fixes', 'scan', '--rule', 'nope');
    assert.equal(rule.code, 2);
    assert.match(rule.err, /unknown rule "nope"; the rules are read-then-write, /);
    const path = await cli(dir, 'fixes', 'scan', 'missing');
    assert.equal(path.code, 2);
    assert.match(path.err, /no such file or folder: .*missing/);
  });
});
