// `forensics db …` (and the `pg …` spellings) run as a user would, against a real server
// with real slow statements and a real blocking pair; errors say what to do.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { runForensics } from '../harness/cli';
import { freePort, startPostgres, type TestPostgres } from '../harness/postgres';
import type { StatementsReport } from '../../../src/core/postgres/statements';
import type { ActivityReport } from '../../../src/core/postgres/activity';
import type { ExplainResult } from '../../../src/core/postgres/explain';

const cli = runForensics;

const LOOKUP = 'SELECT id, total FROM orders WHERE customer_id = $1';
const BLOCKER = 'UPDATE orders SET total = total + 1 WHERE id = 1';
const WAITER = 'UPDATE orders SET total = total + 2 WHERE id = 1';

describe('forensics db (CLI) against PostgreSQL', function () {
  this.timeout(60_000);
  let pg: TestPostgres;
  let url: string;
  const clients: Client[] = [];
  let waiting: Promise<unknown>;

  async function connect(application: string): Promise<Client> {
    const c = new Client({ connectionString: pg.urlFor('app', 'app-pw'), application_name: application });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  }

  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres();
    const admin = await new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD 'app-pw' IN ROLE pg_read_all_stats;
      CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, total int NOT NULL);
      INSERT INTO orders (customer_id, total) SELECT g % 3000, g % 50 FROM generate_series(1, 30000) g; ANALYZE orders;
      GRANT SELECT, UPDATE ON orders TO app; SELECT pg_stat_statements_reset()`);
    await admin.end();
    url = pg.urlFor('app', 'app-pw');
    const load = await connect('checkout-api');
    for (let i = 0; i < 12; i++) await load.query(LOOKUP, [i]);
    const blocker = await connect('stuck-worker');
    await blocker.query('BEGIN');
    await blocker.query(BLOCKER);
    const waiter = await connect('checkout-api');
    waiting = waiter.query(WAITER).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));
  });
  after(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await waiting;
    await pg?.stop();
  });

  it('statements: a readable table by default, from DATABASE_URL', async () => {
    const r = await cli(['db', 'statements', '--limit', '3'], { DATABASE_URL: url });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^PostgreSQL \d+\.\d+, pg_stat_statements 1\.\d+.*; by total$/);
    assert.match(lines[1], /^QUERY ID\s+CALLS\s+TOTAL MS\s+MEAN MS\s+ROWS\s+HIT %\s+QUERY$/);
    const row = lines.find((l) => l.endsWith(LOOKUP));
    assert.ok(row, r.out);
    assert.match(row, /^-?\d+\s+12\s+/);
  });

  it('statements --json and the pg slow-queries spelling give the report with privileges', async () => {
    const r = await cli(['pg', 'slow-queries', '--url', url, '--order', 'calls', '--limit', '1', '--json']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as StatementsReport & { privileges: { checks: { name: string; granted: boolean }[] } };
    assert.equal(report.order, 'calls');
    assert.equal(report.statements.length, 1);
    assert.equal(report.statements[0].query, LOOKUP);
    assert.equal(report.privileges.checks.find((c) => c.name === 'pg_read_all_stats')?.granted, true);
  });

  it('statements --rates samples twice and shows what ran in between', async () => {
    const load = await connect('rates-load');
    const running = (async () => {
      for (let i = 0; i < 20; i++) {
        await load.query('SELECT count(*) FROM orders WHERE total = $1', [i]);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    const r = await cli(['db', 'statements', '--rates', '1', '--url', url]);
    await running;
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Rates over 1\.\d s \(busiest first\):\nQUERY ID\s+CALLS\/S\s+MS\/S\s+MEAN MS\s+QUERY\n/);
    assert.match(r.out, /SELECT count\(\*\) FROM orders WHERE total = \$1/);
    assert.doesNotMatch(r.out, /customer_id/, 'the lookups ran before the window');
  });

  it('locks: who blocks whom, with both statements', async () => {
    const r = await cli(['db', 'locks', '--url', url]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^1 blocked wait\(s\); start with the root blocker\(s\): pid \d+/);
    assert.match(r.out, /\(checkout-api\) waits \d+\.\ds for ShareLock on public\.orders/);
    assert.match(r.out, /wants: {2}UPDATE orders SET total = total \+ 2 WHERE id = 1/);
    assert.match(r.out, /blocked by pid \d+ \(stuck-worker, idle in transaction, transaction open/);
    assert.match(r.out, /holder: UPDATE orders SET total = total \+ 1 WHERE id = 1/);
  });

  it('activity: connections by application and the signals', async () => {
    const r = await cli(['db', 'activity', '--url', url, '--idle-in-transaction', '0', '--json']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as ActivityReport;
    assert.equal(report.byApplication[0].application, 'checkout-api');
    assert.ok(report.signals.some((s) => /idle in transaction/.test(s.message)));
    const text = await cli(['pg', 'activity', '--url', url, '--idle-in-transaction', '0']);
    assert.match(text.out, /^\d+ of 60 connections \(3 reserved\) — /);
    assert.match(text.out, /by application: checkout-api 2/);
    assert.match(text.out, /Idle in transaction:\nPID\s+USER\s+APPLICATION/);
  });

  it('explain: by query id (generic plan) and by SQL, suggesting the missing index', async () => {
    const list = JSON.parse((await cli(['db', 'statements', '--url', url, '--json', '--order', 'calls'])).out) as StatementsReport;
    const id = list.statements.find((s) => s.query === LOOKUP)?.queryId ?? assert.fail('no lookup');
    const r = await cli(['db', 'explain', '--query-id', id, '--url', url]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Generic plan \(parameters left as \$n\) — estimates only, nothing was executed/);
    assert.match(r.out, /Seq Scan on public\.orders/);
    assert.match(r.out, /CREATE INDEX CONCURRENTLY ON public\.orders \(customer_id\);/);
    const bySql = JSON.parse(
      (await cli(['pg', 'explain', '--sql', 'SELECT * FROM orders WHERE id = 5', '--url', url, '--json'])).out,
    ) as ExplainResult;
    assert.equal(bySql.generic, false);
    assert.match(bySql.plan['Node Type'], /Index Scan/);
  });

  it('explain --sql: a smuggled second statement is refused, --analyze runs only a read and says so', async () => {
    const smuggled = await cli([
      'db',
      'explain',
      '--url',
      url,
      '--sql',
      'SELECT 1 --\r; set default_transaction_read_only = off; commit; update orders set total = -1',
    ]);
    assert.equal(smuggled.code, 2, smuggled.out);
    assert.match(smuggled.err, /give exactly one statement to explain/);
    const analyzed = await cli(['db', 'explain', '--url', url, '--analyze', '--sql', 'SELECT count(*) FROM orders WHERE customer_id = 7']);
    assert.equal(analyzed.code, 0, analyzed.err);
    assert.match(analyzed.out, /^Plan — EXPLAIN ANALYZE — the statement ran in a read-only transaction that was rolled back/);
    assert.match(analyzed.out, /\(actual rows 1 time [\d.]+ ms loops 1\)/);
    const write = await cli(['db', 'explain', '--url', url, '--analyze', '--sql', 'UPDATE orders SET total = -1']);
    assert.equal(write.code, 2);
    assert.match(write.err, /only offered for reads/);
    const byId = await cli(['db', 'explain', '--url', url, '--analyze', '--query-id', '1']);
    assert.equal(byId.code, 2);
    assert.match(byId.err, /--analyze needs --sql with literal values/);
  });

  it('errors say what to do, exit non-zero, and never print the password', async () => {
    const none = await cli(['db', 'locks']);
    assert.equal(none.code, 2);
    assert.match(none.err, /^forensics: no database given: pass --url .* or set FORENSICS_DATABASE_URL or DATABASE_URL/);
    const named = await cli(['db', 'locks', '--connection', 'replica']);
    assert.equal(named.code, 2);
    assert.match(named.err, /set FORENSICS_DATABASE_URL_REPLICA=/);
    const viaName = await cli(['db', 'locks', '--connection', 'replica'], { FORENSICS_DATABASE_URL_REPLICA: url });
    assert.equal(viaName.code, 0, viaName.err);
    const wrong = await cli(['db', 'statements', '--url', pg.urlFor('app', 'not-the-password')]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /password authentication failed for user "app"/);
    assert.doesNotMatch(wrong.err, /not-the-password/);
    const refused = await cli(['db', 'activity', '--url', `postgres://app:x@127.0.0.1:${await freePort()}/db`]);
    assert.match(refused.err, /connection refused by 127\.0\.0\.1:\d+: nothing accepts connections there/);
    const both = await cli(['db', 'explain', '--url', url]);
    assert.equal(both.code, 2);
    assert.match(both.err, /give exactly one of --query-id ID/);
    const write = await cli(['db', 'explain', '--url', url, '--sql', 'DROP TABLE orders']);
    assert.equal(write.code, 2);
    assert.match(write.err, /got DROP/);
    const slow = await cli(['db', 'explain', '--url', url, '--statement-timeout', '0', '--sql', 'SELECT 1']);
    assert.match(slow.err, /statementTimeoutMs must be a whole number of milliseconds between 1 and 600000/);
  });
});
