// The tool connected as a role without pg_read_all_stats, while another role runs
// statements and holds a lock: every report still works, says what the role cannot see
// and how to grant it, and never reads as "all clear" on partial data.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { runForensics } from '../harness/cli';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { DEFAULT_SESSION_SETTINGS, withSession } from '../../../src/core/postgres/session';
import { parseTarget } from '../../../src/core/postgres/target';
import { readLocks } from '../../../src/core/postgres/locks';
import { sampleStatements, slowStatements, statementRates } from '../../../src/core/postgres/statements';
import { readActivity } from '../../../src/core/postgres/activity';
import {
  hiddenLocksNote,
  hiddenRatesNote,
  hiddenSessionsNote,
  hiddenStatementsNote,
  noSignalsNote,
} from '../../../src/core/postgres/visibilityNotes';

const GRANT = /GRANT pg_read_all_stats TO looker;/;
const WORK = 'SELECT count(*) FROM stock WHERE sku = $1';

describe('a role without pg_read_all_stats', function () {
  this.timeout(60_000);
  let pg: TestPostgres;
  let url: string;
  const clients: Client[] = [];
  let waiting: Promise<unknown>;
  const pids: Record<string, number> = {};

  async function worker(name: string): Promise<Client> {
    const c = new Client({ connectionString: pg.urlFor('worker', 'worker-pw'), application_name: name });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    pids[name] = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return c;
  }

  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres();
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    // The monitoring role exactly as the README's Security section creates it.
    await admin.query(`CREATE ROLE forensics LOGIN PASSWORD 'monitor-pw'; GRANT pg_monitor TO forensics`);
    await admin.query(`CREATE ROLE worker LOGIN PASSWORD 'worker-pw'; CREATE ROLE looker LOGIN PASSWORD 'looker-pw';
      CREATE TABLE stock (sku text PRIMARY KEY, n int NOT NULL); INSERT INTO stock SELECT 'sku-' || g, 5 FROM generate_series(1, 100) g;
      GRANT SELECT, UPDATE ON stock TO worker; SELECT pg_stat_statements_reset()`);
    await admin.end();
    url = pg.urlFor('looker', 'looker-pw');
    const load = await worker('checkout-api');
    for (let i = 0; i < 20; i++) await load.query(WORK, [`sku-${i}`]);
    const blocker = await worker('stuck-worker');
    await blocker.query('BEGIN');
    await blocker.query("UPDATE stock SET n = n - 1 WHERE sku = 'sku-1'");
    const waiter = await worker('waiting-worker');
    waiting = waiter.query("UPDATE stock SET n = n - 2 WHERE sku = 'sku-1'").catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));
  });
  after(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await waiting;
    await pg?.stop();
  });

  it("db statements lists the other role's statements without their text, and says how to see them", async () => {
    const r = await runForensics(['db', 'statements', '--url', url, '--order', 'calls']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\d+ statement\(s\) of other roles are listed without their text or query id: role looker lacks pg_read_all_stats/);
    assert.match(r.out, GRANT);
    const report = await withSession(parseTarget(url), DEFAULT_SESSION_SETTINGS, (s) => slowStatements(s, { limit: 10, order: 'calls' }));
    const hidden = report.statements.find((x) => x.calls === 20);
    assert.ok(hidden, JSON.stringify(report.statements));
    assert.equal(hidden.textVisible, false);
    assert.equal(hidden.queryId, null);
    assert.equal(hidden.role, 'worker');
  });

  it('db locks shows the waiting session and its blocker, with their statements hidden', async () => {
    const r = await runForensics(['db', 'locks', '--url', url]);
    if (process.env.SHOW)
      console.log(
        r.out,
        (await runForensics(['db', 'statements', '--url', url, '--order', 'calls', '--limit', '4'])).out,
        (await runForensics(['db', 'activity', '--url', url])).out,
        (await runForensics(['db', 'statements', '--url', url, '--rates', '1'])).out,
      );
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /No session is waiting/);
    assert.match(r.out, new RegExp(`chain: ${pids['stuck-worker']} → ${pids['waiting-worker']}`));
    assert.match(r.out, /2 of these sessions belong to other roles; their statements are hidden from role looker/);
    assert.match(r.out, GRANT);
    const report = await withSession(parseTarget(url), DEFAULT_SESSION_SETTINGS, readLocks);
    const edge = report.edges.find((e) => e.waiter.pid === pids['waiting-worker']);
    assert.ok(edge, JSON.stringify(report));
    assert.equal(edge.blocker.pid, pids['stuck-worker']);
    assert.equal(edge.relation, 'public.stock');
    assert.equal(edge.waiter.queryVisible, false);
    assert.equal(report.hiddenSessions, 2);
  });

  it('db statements --rates counts what the other role ran in the window', async () => {
    const load = clients[0];
    const running = (async () => {
      for (let i = 0; i < 30; i++) {
        await load.query(WORK, [`sku-${i}`]);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    const r = await runForensics(['db', 'statements', '--url', url, '--rates', '2']);
    await running;
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /Nothing ran/);
    assert.match(r.out, /statements of role worker \(text hidden\)/);
    assert.match(r.out, GRANT);
  });

  it('rates from two samples keep the hidden statements of each role apart from nothing', async () => {
    const target = parseTarget(url);
    const before = await withSession(target, DEFAULT_SESSION_SETTINGS, (s) => sampleStatements(s));
    for (let i = 0; i < 7; i++) await clients[0].query(WORK, [`sku-${i}`]);
    const after = await withSession(target, DEFAULT_SESSION_SETTINGS, (s) => sampleStatements(s));
    const { rates } = statementRates(before, after);
    const worker = rates.find((x) => x.hidden && x.role === 'worker');
    assert.ok(worker, JSON.stringify(rates));
    // Seven calls of WORK (and the tool itself is left out).
    assert.ok((worker.callsPerSecond * (after.at - before.at)) / 1000 >= 7 - 1e-9, JSON.stringify(worker));
  });

  it('db activity does not read as all clear while sessions are hidden', async () => {
    const r = await runForensics(['db', 'activity', '--url', url]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /Signals: none \(no pool pressure/);
    assert.match(r.out, GRANT);
    const report = await withSession(parseTarget(url), DEFAULT_SESSION_SETTINGS, (s) => readActivity(s));
    // The lock wait is seen through pg_locks, which every role may read.
    assert.ok(
      report.signals.some((s) => /1 session\(s\) are waiting for a lock/.test(s.message)),
      JSON.stringify(report.signals),
    );
    // What the CLI and the panel say: the hidden sessions, the grant, and no "all clear" without them.
    assert.equal(report.hiddenSessions, 3);
    assert.match(
      hiddenSessionsNote(report) ?? '',
      /3 session\(s\) of other roles are hidden from role looker: .* GRANT pg_read_all_stats TO looker;$/,
    );
    assert.match(noSignalsNote({ ...report, signals: [] }), /the 3 hidden session\(s\) were not checked/);
    assert.doesNotMatch(noSignalsNote({ ...report, signals: [] }), /^No pool pressure/);
  });

  it("the panel's notes name what is hidden and the grant, and stay silent for a role that sees everything", async () => {
    const target = parseTarget(url);
    const [statements, locks] = await withSession(
      target,
      DEFAULT_SESSION_SETTINGS,
      async (s) => [await slowStatements(s, { limit: 10, order: 'calls' }), await readLocks(s)] as const,
    );
    assert.match(
      hiddenStatementsNote(statements) ?? '',
      /^\d+ statement\(s\) of other roles are listed without their text or query id: .* GRANT pg_read_all_stats TO looker;$/,
    );
    assert.match(hiddenLocksNote(locks) ?? '', /^2 of these sessions belong to other roles/);
    assert.match(hiddenRatesNote(statements.visibility) ?? '', /summed per role/);
    const admin = await withSession(parseTarget(pg.adminUrl), DEFAULT_SESSION_SETTINGS, async (s) => ({
      statements: await slowStatements(s, { limit: 10, order: 'calls' }),
      locks: await readLocks(s),
      activity: await readActivity(s),
    }));
    assert.equal(hiddenStatementsNote(admin.statements), null);
    assert.equal(hiddenLocksNote(admin.locks), null);
    assert.equal(hiddenRatesNote(admin.statements.visibility), null);
    assert.equal(noSignalsNote({ ...admin.activity, signals: [] }), 'No pool pressure, long idle transactions or lock waits.');
    assert.ok(admin.locks.edges.some((e) => e.waiter.queryVisible && /n = n - 2/.test(e.waiter.query)));
  });

  describe('the pg_monitor role from the README', () => {
    const monitorUrl = () => pg.urlFor('forensics', 'monitor-pw');

    it("sees every role's statements, sessions and locks", async () => {
      const { statements, locks } = await withSession(parseTarget(monitorUrl()), DEFAULT_SESSION_SETTINGS, async (s) => ({
        statements: await slowStatements(s, { limit: 20, order: 'calls' }),
        locks: await readLocks(s),
      }));
      assert.equal(statements.hiddenTexts, 0);
      assert.ok(statements.statements.some((x) => x.query === WORK && x.queryId !== null));
      assert.equal(locks.hiddenSessions, 0);
      assert.match(locks.edges.find((e) => e.waiter.pid === pids['waiting-worker'])?.waiter.query ?? '', /SET n = n - 2/);
    });

    it('cannot write even on a connection of its own that turns read-only off', async () => {
      const raw = new Client({ connectionString: monitorUrl() });
      await raw.connect();
      try {
        for (const sql of [
          "SET default_transaction_read_only = off; UPDATE stock SET n = 0 WHERE sku = 'sku-50'",
          'CREATE TABLE planted (x int)',
          "INSERT INTO stock VALUES ('sku-x', 1)",
          'DELETE FROM stock',
        ]) {
          await assert.rejects(raw.query(sql), /permission denied/, sql);
        }
      } finally {
        await raw.end();
      }
      const check = new Client({ connectionString: pg.adminUrl });
      await check.connect();
      try {
        const { rows } = await check.query<{ n: number; total: string }>(
          "SELECT count(*)::int AS n, sum(n)::text AS total FROM stock WHERE sku <> 'sku-1'",
        );
        assert.deepEqual(rows, [{ n: 99, total: '495' }]);
        assert.equal((await check.query("SELECT to_regclass('planted') AS t")).rows[0].t, null);
      } finally {
        await check.end();
      }
    });
  });
});
