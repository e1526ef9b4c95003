// pg_stat_statements on a real server: real slow statements (a missing index, an N+1
// loop, a sleeper), orderings, rates from two samples, hidden texts for a role without
// pg_read_all_stats, a database without the extension, and every column layout from
// extension 1.7 (PG 12) to 1.12 (PG 18) installed for real with CREATE EXTENSION … VERSION.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { DEFAULT_SESSION_SETTINGS, withSession, type ReadOnlySession } from '../../../src/core/postgres/session';
import { parseTarget } from '../../../src/core/postgres/target';
import { PgForensicsError } from '../../../src/core/postgres/errors';
import {
  EXTENSION_VERSION_BY_SERVER,
  extensionAtLeast,
  findStatementsExtension,
  sampleStatements,
  slowStatements,
  statementColumns,
  statementRates,
  type StatementSample,
} from '../../../src/core/postgres/statements';
import { readPrivileges } from '../../../src/core/postgres/privileges';
import { explainQueryId, explainSql } from '../../../src/core/postgres/explain';
import { filterColumns } from '../../../src/core/postgres/planSummary';
import { leadingKeyword } from '../../../src/core/postgres/sqlText';

const byVersion = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'pg_stat_statements-columns-by-version.json'), 'utf8')) as Record<
  string,
  string[]
>;
const layouts = Object.entries(byVersion)
  .filter(([k]) => /^\d/.test(k))
  .map(([k, cols]) => ({ version: k.split(' ')[0], cols }));

describe('pg_stat_statements', () => {
  let pg: TestPostgres;
  let admin: Client;
  const as = <T>(user: string, password: string, job: (s: ReadOnlySession) => Promise<T>, db?: string) =>
    withSession(parseTarget(pg.urlFor(user, password, db)), DEFAULT_SESSION_SETTINGS, job);

  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres();
    admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD 'app-pw'; CREATE ROLE viewer LOGIN PASSWORD 'viewer-pw'`);
    await admin.query(`CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total int NOT NULL);
      INSERT INTO orders (customer_id, status, total) SELECT g % 5000, CASE WHEN g % 7 = 0 THEN 'paid' ELSE 'open' END, g % 100 FROM generate_series(1, 30000) g;
      ANALYZE orders;
      GRANT SELECT, UPDATE ON orders TO app;
      -- Two columns that always agree: the planner multiplies their selectivities and underestimates.
      CREATE TABLE pairs (a int, b int);
      INSERT INTO pairs SELECT g % 100, g % 100 FROM generate_series(1, 20000) g;
      ANALYZE pairs;
      GRANT SELECT ON pairs TO app`);
    await admin.query('SELECT pg_stat_statements_reset()');
    const app = new Client({ connectionString: pg.urlFor('app', 'app-pw') });
    await app.connect();
    try {
      // A missing index: every lookup by customer scans 30 000 rows.
      for (let i = 0; i < 15; i++) await app.query('SELECT id, total FROM orders WHERE customer_id = $1', [i]);
      // An N+1 loop: one cheap query per order.
      for (let i = 1; i <= 200; i++) await app.query('SELECT total FROM orders WHERE id = $1', [i]);
      // Slow per call.
      for (let i = 0; i < 2; i++) await app.query('SELECT pg_sleep(0.1)');
      for (let i = 0; i < 3; i++) await app.query(`SELECT * FROM pairs WHERE a = ${i} AND b = ${i}`);
    } finally {
      await app.end();
    }
  });
  after(async () => {
    await admin?.end();
    await pg?.stop();
  });

  it('finds the slowest statements by mean, calls and total, with normalised text', async () => {
    const byMean = await as('app', 'app-pw', (s) => slowStatements(s, { limit: 5, order: 'mean' }));
    assert.match(byMean.statements[0].query, /pg_sleep/);
    assert.ok(byMean.statements[0].meanMs >= 100, `mean ${byMean.statements[0].meanMs}`);
    assert.equal(byMean.statements[0].calls, 2);

    const byCalls = await as('app', 'app-pw', (s) => slowStatements(s, { limit: 5, order: 'calls' }));
    assert.equal(byCalls.statements[0].query, 'SELECT total FROM orders WHERE id = $1');
    assert.equal(byCalls.statements[0].calls, 200);
    assert.equal(byCalls.statements[0].rows, 200);

    const byTotal = await as('app', 'app-pw', (s) => slowStatements(s, { limit: 10, order: 'total' }));
    const totals = byTotal.statements.map((x) => x.totalMs);
    assert.deepEqual(
      totals,
      [...totals].sort((a, b) => b - a),
    );
    const scan = byTotal.statements.find((x) => x.query === 'SELECT id, total FROM orders WHERE customer_id = $1');
    assert.ok(scan, 'the missing-index lookup is listed');
    assert.equal(scan.calls, 15);
    assert.ok(scan.hitRatio !== null && scan.hitRatio > 0 && scan.hitRatio <= 1);
    assert.equal(scan.role, 'app');
    // The tool's own catalog queries are not reported as the application's.
    assert.ok(!byTotal.statements.some((x) => x.query.includes('production-forensics')));
    const all = await as('app', 'app-pw', (s) => slowStatements(s, { limit: 500, order: 'total' }));
    const own = all.statements.filter((x) =>
      /pg_stat_statements|pg_attribute|pg_extension|set_config\('default_transaction_read_only'/.test(x.query),
    );
    assert.deepEqual(
      own.map((x) => x.query),
      [],
      'the server drops leading comments; the tag must survive',
    );
    assert.equal(byTotal.extensionVersion, EXTENSION_VERSION_BY_SERVER[Math.floor(Number(byTotal.serverVersion.split('.')[0]))]);
    assert.ok(scan.since, 'stats_since on 1.11+');
  });

  it('rates: per-second deltas between two samples show only what ran in between', async () => {
    const target = parseTarget(pg.urlFor('app', 'app-pw'));
    const first = await withSession(target, DEFAULT_SESSION_SETTINGS, (s) => sampleStatements(s));
    const app = new Client({ connectionString: pg.urlFor('app', 'app-pw') });
    await app.connect();
    for (let i = 0; i < 40; i++) await app.query('SELECT status FROM orders WHERE id = $1', [i + 1]);
    await app.end();
    const second = await withSession(target, DEFAULT_SESSION_SETTINGS, (s) => sampleStatements(s));
    const { seconds, rates } = statementRates(first, second);
    assert.ok(seconds > 0);
    const hot = rates.find((r) => r.query === 'SELECT status FROM orders WHERE id = $1');
    assert.ok(hot, 'the statement run between samples has a rate');
    assert.ok(Math.abs(hot.callsPerSecond * seconds - 40) < 1e-6, `calls in window ${hot.callsPerSecond * seconds}`);
    assert.ok(!rates.some((r) => /pg_sleep/.test(r.query)), 'statements idle in the window have no rate');
  });

  it('rates treat counters that went down as a reset', () => {
    const sample = (at: number, calls: number, totalMs: number): StatementSample => ({
      at,
      entries: new Map([['1/42', { queryId: '42', query: 'q', hidden: false, role: 'app', calls, totalMs }]]),
    });
    const { rates } = statementRates(sample(0, 100, 1000), sample(2000, 10, 50));
    assert.deepEqual(rates, [
      { queryId: '42', query: 'q', hidden: false, role: 'app', callsPerSecond: 5, msPerSecond: 25, meanMsInWindow: 5 },
    ]);
    assert.throws(() => statementRates(sample(5, 1, 1), sample(5, 2, 2)), /after the first/);
  });

  it('a role without pg_read_all_stats sees hidden texts and is told why', async () => {
    const report = await as('viewer', 'viewer-pw', (s) => slowStatements(s, { limit: 50, order: 'total' }));
    const hidden = report.statements.filter((x) => !x.textVisible);
    assert.ok(hidden.length >= 3, `hidden ${hidden.length}`);
    assert.ok(
      hidden.every((x) => x.query === '' && x.queryId === null),
      JSON.stringify(hidden),
    );
    assert.ok(report.hiddenTexts >= 3);
    const privileges = await as('viewer', 'viewer-pw', readPrivileges);
    const stats = privileges.checks.find((c) => c.name === 'pg_read_all_stats');
    assert.equal(stats?.granted, false);
    assert.match(stats?.hides ?? '', /insufficient privilege/);
    await admin.query('GRANT pg_read_all_stats TO viewer');
    try {
      const after = await as('viewer', 'viewer-pw', (s) => slowStatements(s, { limit: 50, order: 'total' }));
      assert.equal(after.hiddenTexts, 0);
      assert.equal((await as('viewer', 'viewer-pw', readPrivileges)).checks.find((c) => c.name === 'pg_read_all_stats')?.granted, true);
    } finally {
      await admin.query('REVOKE pg_read_all_stats FROM viewer');
    }
  });

  it('a database without the extension gets how to enable it', async () => {
    await admin.query('CREATE DATABASE nostats');
    await assert.rejects(
      as('app', 'app-pw', (s) => slowStatements(s, { limit: 5, order: 'total' }), 'nostats'),
      (e: PgForensicsError) => {
        assert.equal(e.kind, 'extension-missing');
        assert.match(e.message, /not installed in database "nostats"/);
        assert.match(e.message, /shared_preload_libraries/);
        assert.match(e.message, /CREATE EXTENSION pg_stat_statements/);
        return true;
      },
    );
  });

  describe('column layouts per extension version', () => {
    const expected: Record<string, { total: string; mean: string; blockRead: string; statsSince: string | null; hasToplevel: boolean }> = {
      '1.7': { total: 'total_time', mean: 'mean_time', blockRead: 'blk_read_time', statsSince: null, hasToplevel: false },
      '1.8': { total: 'total_exec_time', mean: 'mean_exec_time', blockRead: 'blk_read_time', statsSince: null, hasToplevel: false },
      '1.9': { total: 'total_exec_time', mean: 'mean_exec_time', blockRead: 'blk_read_time', statsSince: null, hasToplevel: true },
      '1.10': { total: 'total_exec_time', mean: 'mean_exec_time', blockRead: 'blk_read_time', statsSince: null, hasToplevel: true },
      '1.11': {
        total: 'total_exec_time',
        mean: 'mean_exec_time',
        blockRead: 'shared_blk_read_time',
        statsSince: 'stats_since',
        hasToplevel: true,
      },
      '1.12': {
        total: 'total_exec_time',
        mean: 'mean_exec_time',
        blockRead: 'shared_blk_read_time',
        statsSince: 'stats_since',
        hasToplevel: true,
      },
    };

    it('maps each documented layout (PG 12 to 18) to the right columns', () => {
      assert.deepEqual(
        layouts.map((l) => l.version),
        Object.keys(expected),
      );
      for (const { version, cols } of layouts) {
        const c = statementColumns(cols);
        const want = expected[version];
        assert.deepEqual(
          { total: c.total, mean: c.mean, blockRead: c.blockRead, statsSince: c.statsSince, hasToplevel: c.hasToplevel },
          want,
          version,
        );
      }
      for (const [server, version] of Object.entries(EXTENSION_VERSION_BY_SERVER))
        assert.ok(expected[version], `server ${server} → ${version}`);
      assert.ok(extensionAtLeast('1.10', 1, 9) && !extensionAtLeast('1.8', 1, 9));
    });

    for (const version of Object.keys(expected)) {
      it(`reads slow statements through a real extension ${version} view`, async function () {
        this.timeout(30_000);
        const db = `pss_${version.replace('.', '_')}`;
        await admin.query(`CREATE DATABASE ${db}`);
        const c = new Client({ connectionString: pg.urlFor('postgres', 'forensics-test', db) });
        await c.connect();
        try {
          await c.query(`CREATE EXTENSION pg_stat_statements VERSION '${version}'`);
          for (let i = 0; i < 3; i++) await c.query('SELECT count(*) FROM pg_class WHERE relpages > $1', [i]);
        } finally {
          await c.end();
        }
        const { ext, report } = await as(
          'postgres',
          'forensics-test',
          async (s) => ({
            ext: await findStatementsExtension(s),
            report: await slowStatements(s, { limit: 5, order: 'calls' }),
          }),
          db,
        );
        assert.equal(ext.version, version);
        const layout = layouts.find((l) => l.version === version);
        assert.equal(ext.columns.total, expected[version].total);
        assert.ok(layout);
        assert.deepEqual(statementColumns(layout.cols), ext.columns, 'the documented layout matches the real one');
        const counted = report.statements.find((x) => x.query.startsWith('SELECT count(*) FROM pg_class WHERE relpages >'));
        assert.ok(counted, `statements: ${report.statements.map((x) => x.query).join(' | ')}`);
        assert.equal(counted.calls, 3);
        assert.ok(counted.totalMs > 0 && counted.meanMs > 0);
        assert.equal(counted.since === null, expected[version].statsSince === null);
      });
    }
  });

  describe('plans (EXPLAIN without ANALYZE)', () => {
    async function queryIdOf(text: string): Promise<string> {
      const { rows } = await admin.query<{ id: string }>('SELECT queryid::text AS id FROM pg_stat_statements WHERE query = $1', [text]);
      assert.ok(rows[0], `no statement ${text}`);
      return rows[0].id;
    }

    it('plans a parameterised statement generically and points at the missing index', async () => {
      const id = await queryIdOf('SELECT id, total FROM orders WHERE customer_id = $1');
      const result = await as('app', 'app-pw', (s) => explainQueryId(s, id));
      assert.equal(result.generic, true);
      assert.equal(result.plan['Node Type'], 'Seq Scan');
      assert.ok(
        result.summary.findings.some((f) => f.kind === 'seq-scan' && /public\.orders \(about 30,000 rows\)/.test(f.message)),
        JSON.stringify(result.summary.findings),
      );
      assert.deepEqual(
        result.summary.suggestions.map((x) => x.ddl),
        ['CREATE INDEX CONCURRENTLY ON public.orders (customer_id);'],
      );
      assert.equal(result.summary.costliest?.relation, 'public.orders');
      assert.ok(!result.summary.findings.some((f) => f.kind === 'misestimate'), 'estimate matches what ran');
    });

    it('flags an estimate far from the rows pg_stat_statements saw', async () => {
      const id = await queryIdOf('SELECT * FROM pairs WHERE a = $1 AND b = $2');
      const result = await as('app', 'app-pw', (s) => explainQueryId(s, id));
      const mis = result.summary.findings.find((f) => f.kind === 'misestimate');
      assert.ok(mis, JSON.stringify(result.summary.findings));
      assert.match(mis.message, /recorded 200\.0 on average/);
    });

    it('plans literal SQL without GENERIC_PLAN, and stops suggesting an index once one exists', async () => {
      const before = await as('app', 'app-pw', (s) => explainSql(s, "SELECT * FROM orders WHERE status = 'paid' AND customer_id = 7;"));
      assert.equal(before.generic, false);
      assert.deepEqual(before.summary.suggestions[0].columns, ['status', 'customer_id']);
      await admin.query('CREATE INDEX orders_customer ON orders (customer_id)');
      try {
        const after = await as('app', 'app-pw', (s) => explainSql(s, 'SELECT * FROM orders WHERE customer_id = 7'));
        assert.notEqual(after.plan['Node Type'], 'Seq Scan');
        assert.deepEqual(after.summary.suggestions, []);
      } finally {
        await admin.query('DROP INDEX orders_customer');
      }
    });

    it('refuses anything but one plannable statement, and never runs it', async () => {
      const reject = (sql: string, pattern: RegExp) =>
        assert.rejects(
          as('app', 'app-pw', (s) => explainSql(s, sql)),
          (e: PgForensicsError) => e.kind === 'invalid-input' && pattern.test(e.message),
        );
      await reject(
        'SELECT 1; DROP TABLE orders',
        /exactly one statement to explain: PostgreSQL refused the text because it holds more than one command/,
      );
      await reject('DROP TABLE orders', /got DROP/);
      await reject('EXPLAIN ANALYZE SELECT 1', /got EXPLAIN/);
      await reject('ANALYZE orders', /got ANALYZE/);
      // An UPDATE is planned, not executed.
      const plan = await as('app', 'app-pw', (s) => explainSql(s, 'UPDATE orders SET total = 0 WHERE id = 1'));
      assert.equal(plan.plan['Node Type'], 'ModifyTable');
      const { rows } = await admin.query('SELECT total FROM orders WHERE id = 1');
      assert.equal(rows[0].total, 1);
    });

    it('names the first keyword after comments (a CR ends a -- comment, as for the server) and parentheses', () => {
      assert.equal(leadingKeyword('/* c; /* nested */ */ with x as (select 1) select * from x'), 'WITH');
      assert.equal(leadingKeyword('-- a comment\r DROP TABLE t'), 'DROP');
      assert.equal(leadingKeyword('  ((SELECT 1))'), 'SELECT');
      assert.equal(leadingKeyword('-- only a comment'), '');
    });

    it('reads the columns a filter compares, equality first', () => {
      assert.deepEqual(filterColumns("((status)::text = 'paid'::text) AND (created_at > $1) AND (customer_id = $2)"), [
        'status',
        'customer_id',
        'created_at',
      ]);
      assert.deepEqual(filterColumns('(sku = ANY ($1))'), ['sku']);
      assert.deepEqual(filterColumns("(note ~~ 'a = b%'::text)"), ['note']);
    });
  });
});
