// Thousands of generated hostile strings sent the ways the tool sends SQL (db explain,
// db explain --analyze, and a bare session statement) against a real server; after each
// one, no catalog entry, row or sequence value may have changed. Strings mix statements
// with comments (`--`, nested `/* */`), CR / LF / CRLF, dollar quotes with tags,
// identifiers that look like dollar quotes, E'' strings with escapes, quoted identifiers,
// semicolons and the statements that would escape a read-only default.
// Reproduce a failure with FORENSICS_FUZZ_SEED=<seed printed in the failure>.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { DEFAULT_SESSION_SETTINGS, openSession } from '../../../src/core/postgres/session';
import { parseTarget } from '../../../src/core/postgres/target';
import { explainSql } from '../../../src/core/postgres/explain';

const CASES = 2400;
/** The full catalog fingerprint is slow; it runs this often, the quick check after every case. */
const FULL_EVERY = 200;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATEMENTS = [
  'SELECT 1',
  'SELECT * FROM fz_orders',
  'WITH x AS (SELECT 1) SELECT * FROM x',
  'VALUES (1)',
  'TABLE fz_orders',
  'SELECT id FROM fz_orders WHERE id = $1',
  'UPDATE fz_orders SET total = 0',
  'DELETE FROM fz_orders',
  'INSERT INTO fz_orders VALUES (99, 1)',
  "SELECT nextval('fz_seq')",
  "SELECT setval('fz_seq', 99)",
  'SELECT fz_burn()',
  'WITH d AS (DELETE FROM fz_orders RETURNING *) SELECT * FROM d',
  'SELECT é$a$ FROM (SELECT 1 AS é$a$) t',
];
const ESCAPES = [
  'set default_transaction_read_only = off',
  'SET transaction_read_only = off',
  'set transaction read write',
  'commit',
  'COMMIT',
  'rollback',
  'begin',
  'end',
  'start transaction read write',
  'drop table fz_orders',
  'insert into fz_orders values (100, 1)',
  'update fz_orders set total = -1',
  'delete from fz_orders',
  'truncate fz_orders',
  "select nextval('fz_seq')",
  "select setval('fz_seq', 1000)",
  'create table fz_new (x int)',
  'alter sequence fz_seq restart with 500',
  'call fz_escape()',
  'select fz_burn()',
  'do $$ begin delete from fz_orders; end $$',
  "comment on table fz_orders is 'x'",
  'grant all on fz_orders to public',
  "select set_config('default_transaction_read_only', 'off', false)",
  'drop sequence fz_seq',
  'alter table fz_orders add column y int',
];
const HIDERS = [
  '--',
  '-- x',
  '/*',
  '*/',
  '/* a /* b */',
  '/* ; */',
  '\r',
  '\n',
  '\r\n',
  '\n\r',
  ';',
  ';;',
  ' ; ',
  '$$',
  '$a$',
  '$é$',
  'é$a$',
  'x$a$',
  '$_$',
  '"',
  '""',
  '"x;y"',
  '"é$a$"',
  "'",
  "''",
  "';'",
  "E'\\''",
  "E'\\\\'",
  "e'",
  "E'",
  'U&"d\\0061t"',
  '(',
  ')',
  '$1',
  '\\',
  '\t',
  '\u00a0',
  '\u2028',
  'é',
  '$',
  '$$;$$',
  "'$$'",
  '/**/',
  '-',
  '*',
];
const SPACES = ['', ' ', '\n', '\r', '\r\n', '\t'];
/** Tails PostgreSQL reads as nothing: the statement stays one, with an escape inside a comment. */
const QUIET_TAILS = [
  '',
  ';',
  ' ;',
  ';;',
  '\n',
  ' -- ; commit; drop table fz_orders',
  ' /* ; commit; drop table fz_orders */',
  '\r\n-- x\r\n;',
  ' /* a /* ; */ delete from fz_orders */;',
];

/** What fooled the old scanner (CR, é$a$), and the like, before the smuggled statements. */
const FOOLERS = [
  '',
  ' --\r',
  ' -- x\r',
  '--\n\r',
  ' AS é$a$',
  ' AS x$a$',
  ' AS "$a$"',
  ' /* */',
  " || E'\\\\'",
  " || E'\\''",
  ' /* /* */ */',
  ' AS ü$q$',
];
const CLOSERS = ['', '; SELECT 1 AS é$a$', '; SELECT 1 AS x$a$', ' -- end', ';', '; SELECT 1 AS ü$q$', " /* '' */"];
const TURN_OFF = [
  'set default_transaction_read_only = off',
  "select set_config('default_transaction_read_only', 'off', false)",
  'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE',
];
const WRITES = ESCAPES.filter((e) => /drop|insert|update|delete|truncate|nextval|setval|create|alter|call|grant|comment|do /.test(e));

function generate(next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const mode = next();
  if (mode < 0.3) return `${pick(STATEMENTS)}${pick(QUIET_TAILS)}`;
  if (mode < 0.6) {
    const sep = () => `${pick(SPACES)};${pick(SPACES)}`;
    return `SELECT 1${pick(FOOLERS)}${sep()}${pick(TURN_OFF)}${sep()}${pick(['commit', 'COMMIT', 'end', 'rollback'])}${sep()}${pick(WRITES)}${pick(CLOSERS)}`;
  }
  const parts: string[] = [next() < 0.8 ? pick(STATEMENTS) : pick(HIDERS)];
  const length = 1 + Math.floor(next() * 8);
  for (let i = 0; i < length; i++) {
    const r = next();
    parts.push(pick(SPACES), r < 0.5 ? pick(HIDERS) : r < 0.85 ? pick(ESCAPES) : pick(STATEMENTS));
  }
  return parts.join(next() < 0.5 ? ' ' : '');
}

const CATALOG_FINGERPRINT = `
  SELECT md5(string_agg(x, E'\\n' ORDER BY x)) AS h FROM (
    SELECT 'c' || c.oid || ':' || c.relname || ':' || c.relkind::text || ':' || c.relnamespace || ':' || c.relowner || ':' || c.relnatts || ':' || coalesce(c.relacl::text, '') || c.relhastriggers || c.relrowsecurity
      FROM pg_class c WHERE c.relpersistence <> 't'
    UNION ALL SELECT 'a' || a.attrelid || ':' || a.attname || ':' || a.atttypid || ':' || a.attnotnull || a.attisdropped || a.atthasdef
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relpersistence <> 't'
    UNION ALL SELECT 'p' || oid || ':' || proname || ':' || md5(coalesce(prosrc, '')) || coalesce(proacl::text, '') FROM pg_proc
    UNION ALL SELECT 'n' || oid || ':' || nspname || coalesce(nspacl::text, '') FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%temp\\_%'
    UNION ALL SELECT 'r' || oid || ':' || rolname || rolsuper || rolcanlogin || rolcreaterole || rolcreatedb || rolbypassrls || coalesce(rolpassword, '') FROM pg_authid
    UNION ALL SELECT 'm' || roleid || ':' || member FROM pg_auth_members
    UNION ALL SELECT 's' || setdatabase || ':' || setrole || ':' || setconfig::text FROM pg_db_role_setting
    UNION ALL SELECT 'd' || oid || ':' || datname || datallowconn || coalesce(datacl::text, '') FROM pg_database
    UNION ALL SELECT 'e' || oid || ':' || extname || extversion FROM pg_extension
    UNION ALL SELECT 't' || oid || ':' || tgname || tgenabled::text FROM pg_trigger
    UNION ALL SELECT 'k' || oid || ':' || conname FROM pg_constraint
    UNION ALL SELECT 'i' || indexrelid || ':' || indisvalid FROM pg_index
    UNION ALL SELECT 'o' || objoid || ':' || classoid || ':' || objsubid || ':' || description FROM pg_description
    UNION ALL SELECT 'l' || oid FROM pg_largeobject_metadata
    UNION ALL SELECT 'y' || oid || ':' || polname FROM pg_policy
    UNION ALL SELECT 'v' || oid || ':' || evtname FROM pg_event_trigger
    UNION ALL SELECT 'x' || oid FROM pg_default_acl
  ) f(x)`;

/**
 * After every case: the rows and sequences of the fixture, and the next transaction id.
 * With autovacuum off nothing else on the server takes a transaction id, and any write
 * that commits (DDL, DML, grants, comments) needs one: a moved horizon means a write.
 */
const QUICK_CHECK = `SELECT (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM fz_orders t) AS orders,
  (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM fz_notes t) AS notes,
  (SELECT last_value || '/' || is_called FROM fz_seq) AS seq, (SELECT last_value || '/' || is_called FROM fz_notes_id_seq) AS notes_seq,
  pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid`;

async function quickCheck(admin: Client): Promise<string> {
  return JSON.stringify((await admin.query(QUICK_CHECK)).rows[0]);
}

/** Catalogs, every row of every table in public, and every sequence's position. */
async function fingerprint(admin: Client): Promise<string> {
  const parts = [(await admin.query<{ h: string }>(CATALOG_FINGERPRINT)).rows[0].h];
  const tables = await admin.query<{ name: string }>(
    "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  for (const { name } of tables.rows) {
    parts.push(
      `${name}=${(await admin.query<{ h: string | null }>(`SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) AS h FROM ${name} t`)).rows[0].h}`,
    );
  }
  const sequences = await admin.query<{ name: string }>(
    "SELECT quote_ident(sequencename) AS name FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
  );
  for (const { name } of sequences.rows) {
    const { rows } = await admin.query<{ v: string; c: boolean }>(`SELECT last_value::text AS v, is_called AS c FROM ${name}`);
    parts.push(`${name}@${rows[0].v}/${rows[0].c}`);
  }
  return parts.join(' ');
}

describe('read-only fuzz: nothing the tool sends changes the database', function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let admin: Client;
  const seed = Number(process.env.FORENSICS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres({ extraFlags: ['-c', 'autovacuum=off'] });
    admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`SET check_function_bodies = off;
      CREATE SEQUENCE fz_seq;
      CREATE TABLE fz_orders (id int PRIMARY KEY, total int NOT NULL);
      CREATE TABLE fz_notes (id serial PRIMARY KEY, body text);
      INSERT INTO fz_orders SELECT g, g * 10 FROM generate_series(1, 20) g;
      INSERT INTO fz_notes (body) VALUES ('a'), ('b');
      CREATE FUNCTION fz_burn() RETURNS bigint LANGUAGE sql AS 'DELETE FROM fz_orders RETURNING 1';
      CREATE PROCEDURE fz_escape() LANGUAGE plpgsql AS $$
        BEGIN COMMIT; SET TRANSACTION READ WRITE; DELETE FROM fz_orders; COMMIT; END $$;
      CREATE ROLE fz_writer LOGIN PASSWORD 'fz-pw';
      GRANT ALL ON SCHEMA public TO fz_writer; GRANT ALL ON ALL TABLES IN SCHEMA public TO fz_writer;
      GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO fz_writer`);
  });
  after(async () => {
    await admin?.end();
    await pg?.stop();
  });

  it(`${CASES} generated strings through explain, explain --analyze and a bare statement (seed from FORENSICS_FUZZ_SEED or random)`, async () => {
    const next = prng(seed);
    const superuser = await openSession(parseTarget(pg.adminUrl), DEFAULT_SESSION_SETTINGS);
    const writer = await openSession(parseTarget(pg.urlFor('fz_writer', 'fz-pw')), DEFAULT_SESSION_SETTINGS);
    const paths: [name: string, run: (sql: string) => Promise<unknown>][] = [
      // As a superuser: the guarantee must not depend on the role.
      ['explain (superuser)', (sql) => explainSql(superuser, sql)],
      // As a role that may write everything: only the read-only transaction holds it back.
      ['explain --analyze (writer)', (sql) => explainSql(writer, sql, { analyze: true })],
      ['bare statement (writer)', (sql) => writer.query('fuzz', sql)],
    ];
    const outcomes = new Map<string, { ok: number; refused: number }>();
    try {
      const baseline = await fingerprint(admin);
      const quickBaseline = await quickCheck(admin);
      let checkedUpTo = 0;
      for (let i = 0; i < CASES; i++) {
        const sql = generate(next);
        const [name, run] = paths[i % paths.length];
        const outcome = outcomes.get(name) ?? { ok: 0, refused: 0 };
        outcomes.set(name, outcome);
        await run(sql).then(
          () => outcome.ok++,
          () => outcome.refused++,
        );
        const quick = await quickCheck(admin);
        if (quick !== quickBaseline) {
          assert.fail(
            `the database changed after case ${i} (${name}), seed ${seed}; input: ${JSON.stringify(sql)}\nbefore: ${quickBaseline}\nafter:  ${quick}`,
          );
        }
        if ((i + 1) % FULL_EVERY === 0 || i === CASES - 1) {
          const now = await fingerprint(admin);
          assert.equal(
            now,
            baseline,
            `the catalogs changed between cases ${checkedUpTo} and ${i}, seed ${seed} (replay with FORENSICS_FUZZ_SEED=${seed})`,
          );
          checkedUpTo = i + 1;
        }
      }
    } finally {
      await superuser.close();
      await writer.close();
    }
    // The generator must reach both outcomes on every path, or it tests too little.
    for (const [name, o] of outcomes) {
      assert.ok(o.ok > 20 && o.refused > 20, `${name}: ${o.ok} accepted, ${o.refused} refused (seed ${seed})`);
    }
    console.log(`      seed ${seed}: ${[...outcomes].map(([n, o]) => `${n} ${o.ok} accepted / ${o.refused} refused`).join('; ')}`);
  });
});
