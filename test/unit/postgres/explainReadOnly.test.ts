// `db explain --sql` and every other statement the tool sends cannot write, whatever text
// it is given: the inputs that got past the old single-statement scanner (a carriage
// return ending a `--` comment, an identifier such as é$a$ taken for a dollar quote) are
// refused by the server itself, and EXPLAIN ANALYZE of a writing statement cannot commit.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { DEFAULT_SESSION_SETTINGS, withSession, type ReadOnlySession } from '../../../src/core/postgres/session';
import { parseTarget } from '../../../src/core/postgres/target';
import { explainSql } from '../../../src/core/postgres/explain';
import { PgForensicsError } from '../../../src/core/postgres/errors';

const ESCAPE = 'set default_transaction_read_only = off; commit; drop table victim';

describe('explain cannot write', () => {
  let pg: TestPostgres;
  let admin: Client;
  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres();
    admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`SET check_function_bodies = off;
      CREATE FUNCTION burn() RETURNS bigint LANGUAGE sql AS 'DELETE FROM victim RETURNING 1';
      CREATE FUNCTION burn_harder() RETURNS int LANGUAGE plpgsql AS $$
        BEGIN PERFORM set_config('transaction_read_only', 'off', true); DELETE FROM victim; RETURN 1; END $$;
      -- At top level a procedure may COMMIT and start a read-write transaction of its own.
      CREATE PROCEDURE escape() LANGUAGE plpgsql AS $$
        BEGIN COMMIT; SET TRANSACTION READ WRITE; DELETE FROM victim; COMMIT; END $$;
      CREATE ROLE writer LOGIN PASSWORD 'writer-pw';
      GRANT ALL ON SCHEMA public TO writer; ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO writer;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO writer`);
  });
  // Each case starts from the same table, so one that got through cannot hide the next.
  beforeEach(async () => {
    await admin.query(`CREATE TABLE IF NOT EXISTS victim (id int PRIMARY KEY, note text); TRUNCATE victim; INSERT INTO victim VALUES (1, 'intact');
      CREATE SEQUENCE IF NOT EXISTS victim_seq; SELECT setval('victim_seq', 1, false)`);
  });
  after(async () => {
    await admin?.end();
    await pg?.stop();
  });

  async function victimIntact(): Promise<void> {
    const { rows } = await admin.query<{ note: string }>('SELECT note FROM victim WHERE id = 1');
    assert.deepEqual(rows, [{ note: 'intact' }]);
    const seq = await admin.query<{ last_value: string; is_called: boolean }>('SELECT last_value::text, is_called FROM victim_seq');
    assert.deepEqual(seq.rows, [{ last_value: '1', is_called: false }]);
  }
  // A role that may write to everything the tests touch: only the read-only transaction stands in its way.
  const explainAsWriter = (sql: string, analyze = false) =>
    withSession(parseTarget(pg.urlFor('writer', 'writer-pw')), DEFAULT_SESSION_SETTINGS, (s) => explainSql(s, sql, { analyze }));
  const asAdmin = <T>(job: (s: ReadOnlySession) => Promise<T>) => withSession(parseTarget(pg.adminUrl), DEFAULT_SESSION_SETTINGS, job);

  // The admin URL on purpose: the guarantee must hold even for a superuser.
  const explain = (sql: string, analyze = false) =>
    withSession(parseTarget(pg.adminUrl), DEFAULT_SESSION_SETTINGS, (s) => explainSql(s, sql, { analyze }));

  const smuggled: [string, string][] = [
    ['a carriage return ending a -- comment', `SELECT 1 --\r; ${ESCAPE}`],
    ['an identifier that looks like a dollar quote', `SELECT 1 AS é$a$; ${ESCAPE}; SELECT 1 AS é$a$`],
    ['a CRLF comment', `SELECT 1 -- x\r\n; ${ESCAPE}`],
    ['a nested comment', `SELECT 1 /* a /* b */ ; */; ${ESCAPE}`],
  ];
  for (const [what, sql] of smuggled) {
    it(`refuses a second statement behind ${what}`, async () => {
      await assert.rejects(explain(sql), (e: PgForensicsError) => {
        assert.equal(e.kind, 'invalid-input', e.message);
        assert.match(e.message, /exactly one statement/);
        return true;
      });
      await victimIntact();
    });
  }

  describe('every statement the session sends', () => {
    it('goes through the extended protocol: the server refuses two commands in one string, even without parameters', async () => {
      await asAdmin(async (s) => {
        await assert.rejects(s.query('two statements', 'SELECT 1; SELECT 2'), /cannot insert multiple commands into a prepared statement/);
        await assert.rejects(s.query('smuggled', `SELECT 1 --\r; ${ESCAPE}`), /cannot insert multiple commands into a prepared statement/);
      });
      await victimIntact();
    });

    it('runs in its own READ ONLY transaction, whatever the session default was turned into', async () => {
      await asAdmin(async (s) => {
        await s.query('turning the default off', 'SET default_transaction_read_only = off');
        const [row] = await s.query<{ ro: string; block: boolean }>(
          'reading the mode',
          "SELECT current_setting('transaction_read_only') AS ro, now() = statement_timestamp() AS block",
        );
        // Inside an explicit block now() is the BEGIN's time, earlier than the statement's.
        assert.deepEqual(row, { ro: 'on', block: false });
        await assert.rejects(s.query('a write', "UPDATE victim SET note = 'changed'"), (e: PgForensicsError) => e.kind === 'read-only');
      });
      await victimIntact();
    });

    it('a procedure cannot COMMIT its way out of the transaction', async () => {
      await asAdmin(async (s) => {
        await assert.rejects(s.query('calling a procedure', 'CALL escape()'), /invalid transaction termination/);
      });
      await victimIntact();
    });
  });

  describe('EXPLAIN ANALYZE', () => {
    it('runs a read when asked, and says it did', async () => {
      const result = await explainAsWriter('SELECT count(*) FROM victim', true);
      assert.equal(result.analyzed, true);
      assert.equal(result.plan['Actual Rows'], 1);
      const plain = await explainAsWriter('SELECT count(*) FROM victim');
      assert.equal(plain.analyzed, false);
      assert.equal(plain.plan['Actual Rows'], undefined);
    });

    it('is refused to a superuser, whose functions a read-only transaction does not hold back', async () => {
      await assert.rejects(
        explain('SELECT 1', true),
        (e: PgForensicsError) => e.kind === 'invalid-input' && /role "postgres" is a superuser/.test(e.message),
      );
    });

    it('is not offered for a writing statement', async () => {
      for (const sql of [
        'DELETE FROM victim',
        "UPDATE victim SET note = 'x'",
        'INSERT INTO victim VALUES (2)',
        'MERGE INTO victim v USING victim w ON false WHEN NOT MATCHED THEN DO NOTHING',
      ]) {
        await assert.rejects(
          explainAsWriter(sql, true),
          (e: PgForensicsError) => e.kind === 'invalid-input' && /only offered for reads/.test(e.message),
          sql,
        );
      }
      await victimIntact();
    });

    it('cannot write through a read that writes: CTEs, functions, sequences, set_config are refused and rolled back', async () => {
      const writes = [
        'WITH gone AS (DELETE FROM victim RETURNING *) SELECT count(*) FROM gone',
        'SELECT burn()',
        'SELECT burn_harder()',
        "SELECT nextval('victim_seq')",
        "SELECT setval('victim_seq', 42)",
        "SELECT set_config('transaction_read_only', 'off', true), (SELECT count(*) FROM victim)",
        "VALUES (set_config('default_transaction_read_only', 'off', false)), ((SELECT burn()::text))",
      ];
      for (const sql of writes) {
        await assert.rejects(explainAsWriter(sql, true), (e: PgForensicsError) => /read-only|read-write mode/.test(e.message), sql);
      }
      await victimIntact();
    });

    it('needs literal values: a statement with $n parameters is only planned', async () => {
      await assert.rejects(explainAsWriter('SELECT * FROM victim WHERE id = $1', true), /needs values for the statement's 1 parameter/);
      const generic = await explainAsWriter('SELECT * FROM victim WHERE id = $1');
      assert.equal(generic.generic, true);
      assert.match(JSON.stringify(generic.plan), /\$1/);
    });
  });
});
