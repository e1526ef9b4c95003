// check-then-insert: a sign-up that looks for the e-mail, then inserts it. Against a real
// PostgreSQL, 20 concurrent sign-ups of one address insert duplicates; with the fix and
// the unique index its message names, exactly one row and no error.
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { Pool } from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { assertQuiet, fixed, loadModule, only, runDir } from './ruleHarness';

const signup = `'use strict'

function createAccounts(pool) {
  async function signUp(email, name) {
    const { rows } = await pool.query('SELECT id FROM users WHERE email = $1', [email])
    if (rows.length > 0) {
      return { created: false }
    }
    await pool.query('INSERT INTO users (email, name) VALUES ($1, $2)', [email, name])
    return { created: true }
  }
  return { signUp }
}

module.exports = { createAccounts }
`;

describe('check-then-insert', function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let pool: Pool;
  let dir: string;
  before(async () => {
    pg = await startPostgres();
    pool = new Pool({ connectionString: pg.adminUrl, max: 20 });
    pool.on('connect', (client) => client.on('error', () => undefined));
    pool.on('error', () => undefined);
    dir = runDir('insert');
  });
  after(async () => {
    await pool?.end();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  type Accounts = { createAccounts(pool: Pool): { signUp(email: string, name: string): Promise<{ created: boolean }> } };
  async function rush(mod: Accounts): Promise<{ rows: number; created: number; errors: string[] }> {
    await pool.query('TRUNCATE users');
    const accounts = mod.createAccounts(pool);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => accounts.signUp('ada@example.com', `Ada ${i}`)));
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE email = 'ada@example.com'");
    return {
      rows: Number(rows[0].n),
      created: results.filter((r) => r.status === 'fulfilled' && r.value.created).length,
      errors: results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])),
    };
  }

  it('unfixed, concurrent sign-ups of one e-mail insert duplicates', async () => {
    await pool.query('CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, name text)');
    const mod = loadModule<Accounts>(dir, 'unfixed-accounts.js', signup);
    let outcome = await rush(mod);
    for (let round = 0; round < 5 && outcome.rows < 2; round++) outcome = await rush(mod);
    assert.ok(outcome.rows > 1, `expected duplicates: ${JSON.stringify(outcome)}`);
  });

  it('fixed with ON CONFLICT and the unique index the message names: one row, no error, and exactly one caller told "created"', async () => {
    const finding = only(signup, 'check-then-insert');
    assert.equal(finding.range.startLine, 9);
    assert.match(finding.message, /CREATE UNIQUE INDEX CONCURRENTLY ON users \(email\)/);
    const out = fixed(signup, 'check-then-insert');
    assert.match(
      out,
      /const inserted = await pool\.query\('INSERT INTO users \(email, name\) VALUES \(\$1, \$2\) ON CONFLICT \(email\) DO NOTHING'/,
    );
    assert.match(out, /if \(inserted\.rowCount === 0\) \{\n {6}return \{ created: false \}\n {4}\}/);
    assert.equal(
      only(signup, 'check-then-insert').fixes[0].isPreferred,
      false,
      'never auto-applied: without the unique index ON CONFLICT (email) fails',
    );
    await pool.query('TRUNCATE users');
    await pool.query('CREATE UNIQUE INDEX CONCURRENTLY ON users (email)');
    const mod = loadModule<Accounts>(dir, 'fixed-accounts.js', out);
    for (let round = 0; round < 3; round++) assert.deepEqual(await rush(mod), { rows: 1, created: 1, errors: [] });
    // A correct input (a new address, no race) behaves as before: created, then "exists".
    const accounts = mod.createAccounts(pool);
    assert.deepEqual(await accounts.signUp('grace@example.com', 'Grace'), { created: true });
    assert.deepEqual(await accounts.signUp('grace@example.com', 'Grace'), { created: false });
  });

  it('flags the insert inside the "not found" branch, but offers no fix where rowCount 0 cannot be answered (rows[0] would be undefined)', () => {
    const code =
      'async function tag(db, name) {\n  const existing = await db.query(`SELECT id FROM tags WHERE name = $1`, [name]);\n  if (existing.rowCount === 0) {\n    const { rows } = await db.query(`INSERT INTO tags (name) VALUES ($1) RETURNING id`, [name]);\n    return rows[0].id;\n  }\n  return existing.rows[0].id;\n}\n';
    assert.deepEqual(only(code, 'check-then-insert').fixes, []);
  });

  it("the exists branch may not read the SELECT's rows: they are empty when another request won", () => {
    const code =
      "async function add(db, email) {\n  const { rows } = await db.query('SELECT id FROM users WHERE email = $1', [email]);\n  if (rows.length) return rows[0].id;\n  const r = await db.query('INSERT INTO users (email) VALUES ($1) RETURNING id', [email]);\n  return r.rows[0].id;\n}\n";
    assert.deepEqual(only(code, 'check-then-insert').fixes, []);
  });

  describe('stays quiet on', () => {
    it('an INSERT that already has ON CONFLICT', () =>
      assertQuiet(signup.replace("VALUES ($1, $2)'", "VALUES ($1, $2) ON CONFLICT (email) DO NOTHING'"), 'check-then-insert'));
    it('a SELECT of another table', () =>
      assertQuiet(
        "async function f(db, id) {\n  const { rows } = await db.query('SELECT id FROM carts WHERE user_id = $1', [id]);\n  if (rows.length === 0) return;\n  await db.query('INSERT INTO audit (user_id) VALUES ($1)', [id]);\n}\n",
        'check-then-insert',
      ));
    it('an INSERT that does not depend on the lookup', () =>
      assertQuiet(
        "async function f(db, email) {\n  const { rows } = await db.query('SELECT id FROM users WHERE email = $1', [email]);\n  log(rows);\n  await db.query('INSERT INTO users (email) VALUES ($1)', [email]);\n}\n",
        'check-then-insert',
      ));
  });
});
