// Sessions and locks on a real server (started without the pg_stat_statements preload and
// with a small max_connections): a real blocking chain made by real sessions, sessions
// idle in transaction, pool-exhaustion signals, and the not-preloaded message.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { DEFAULT_SESSION_SETTINGS, withSession } from '../../../src/core/postgres/session';
import { parseTarget } from '../../../src/core/postgres/target';
import { PgForensicsError } from '../../../src/core/postgres/errors';
import { readActivity } from '../../../src/core/postgres/activity';
import { blockingChains, readLocks } from '../../../src/core/postgres/locks';
import { slowStatements } from '../../../src/core/postgres/statements';
import { readPanelSample } from '../../../src/core/postgres/panelSample';

describe('activity and locks', () => {
  let pg: TestPostgres;
  let admin: Client;
  const clients: Client[] = [];
  const pending: Promise<unknown>[] = [];
  const pids: Record<string, number> = {};

  async function session(name: string, application = name): Promise<Client> {
    const c = new Client({ connectionString: pg.urlFor('app', 'app-pw'), application_name: application });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    pids[name] = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return c;
  }

  async function waitUntilWaiting(pid: number): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [pid]);
      if (rows.length) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`pid ${pid} never waited for a lock`);
  }

  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres({ extraFlags: ['-c', 'shared_preload_libraries=', '-c', 'max_connections=12'] });
    admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD 'app-pw';
      CREATE TABLE inventory (sku text PRIMARY KEY, stock int NOT NULL CHECK (stock >= 0));
      INSERT INTO inventory VALUES ('sku-1', 5), ('sku-2', 5);
      GRANT SELECT, UPDATE ON inventory TO app`);
    // The blocker takes a row lock and sits idle in its transaction.
    const blocker = await session('blocker');
    await blocker.query('BEGIN');
    await blocker.query("UPDATE inventory SET stock = stock - 1 WHERE sku = 'sku-1'");
    // The first waiter wants the same row; the second waits behind the first (tuple lock).
    const waiter = await session('waiter');
    pending.push(waiter.query("UPDATE inventory SET stock = stock - 2 WHERE sku = 'sku-1'").catch(() => undefined));
    await waitUntilWaiting(pids.waiter);
    const waiter2 = await session('waiter2');
    pending.push(waiter2.query("UPDATE inventory SET stock = stock - 3 WHERE sku = 'sku-1'").catch(() => undefined));
    await waitUntilWaiting(pids.waiter2);
    // Another transaction left open, touching nothing.
    const idle = await session('forgotten');
    await idle.query('BEGIN');
    await idle.query('SELECT 1');
    // Two plain idle connections: 8 of 9 usable slots are then taken (with the tool's own).
    await session('pool-1', 'checkout-api');
    await session('pool-2', 'checkout-api');
    await new Promise((r) => setTimeout(r, 300));
  });

  after(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await Promise.all(pending);
    await admin?.end();
    await pg?.stop();
  });

  it('shows the blocking chain with both queries, modes, relation and wait time', async () => {
    const report = await withSession(parseTarget(pg.urlFor('app', 'app-pw')), DEFAULT_SESSION_SETTINGS, readLocks);
    const first = report.edges.find((e) => e.waiter.pid === pids.waiter && e.blocker.pid === pids.blocker);
    assert.ok(first, JSON.stringify(report.edges.map((e) => [e.blocker.application, e.waiter.application])));
    assert.equal(first.waiter.query, "UPDATE inventory SET stock = stock - 2 WHERE sku = 'sku-1'");
    assert.equal(first.blocker.query, "UPDATE inventory SET stock = stock - 1 WHERE sku = 'sku-1'");
    assert.equal(first.blocker.state, 'idle in transaction');
    assert.equal(first.lockType, 'transactionid');
    assert.equal(first.wantedMode, 'ShareLock');
    assert.ok(first.heldModes.includes('ExclusiveLock'), first.heldModes.join());
    assert.ok(first.heldModes.includes('RowExclusiveLock'), first.heldModes.join());
    assert.equal(first.relation, 'public.inventory');
    assert.ok(first.waitSeconds !== null && first.waitSeconds >= 0.2, String(first.waitSeconds));
    const second = report.edges.find((e) => e.waiter.pid === pids.waiter2);
    assert.ok(second);
    assert.equal(second.relation, 'public.inventory');
    assert.deepEqual(
      report.rootBlockers.map((p) => p.pid),
      [pids.blocker],
    );
    assert.ok(
      report.chains.some((c) => c.join() === [pids.blocker, pids.waiter, pids.waiter2].join()),
      JSON.stringify(report.chains),
    );
    assert.ok(report.chains.every((c) => c[0] === pids.blocker));
  });

  it('reports sessions by state, idle-in-transaction durations, lock waits and pool pressure', async () => {
    const report = await withSession(parseTarget(pg.urlFor('app', 'app-pw')), DEFAULT_SESSION_SETTINGS, (s) =>
      readActivity(s, { longRunningSeconds: 0.2, idleInTransactionSeconds: 0.2 }),
    );
    assert.equal(report.maxConnections, 12);
    assert.equal(report.byState['idle in transaction'], 2);
    assert.deepEqual(report.idleInTransaction.map((s) => s.pid).sort(), [pids.blocker, pids.forgotten].sort());
    assert.ok(report.idleInTransaction.every((s) => (s.stateSeconds ?? 0) >= 0.2));
    // Longest idle first: the blocker began before the forgotten transaction.
    assert.equal(report.idleInTransaction[0].pid, pids.blocker);
    assert.deepEqual(report.waiting.map((s) => s.pid).sort(), [pids.waiter, pids.waiter2].sort());
    assert.ok(report.waiting.every((s) => s.waitEventType === 'Lock'));
    assert.ok(report.longRunning.some((s) => s.pid === pids.waiter));
    const text = report.signals.map((s) => s.message).join('\n');
    assert.match(text, /2 session\(s\) idle in transaction/);
    assert.match(text, /2 session\(s\) are waiting for a lock/);
    assert.match(text, /of 9 usable connections are taken/, JSON.stringify(report.sessions.map((s) => [s.application, s.user])));
    // Who holds the connections: the pool of one application, named in the signal.
    assert.deepEqual(report.byApplication[0], { application: 'checkout-api', total: 2, byState: { idle: 2 } });
    assert.match(text, /largest holder is application "checkout-api" with 2 \(2 idle\)/);
    assert.equal(
      report.byApplication.reduce((n, a) => n + a.total, 0),
      report.sessions.length,
    );
    // The admin's session belongs to another role: counted, but its details are hidden from app.
    assert.equal(report.hiddenSessions, 1);
    assert.ok(!report.sessions.some((s) => s.application === 'production-forensics'), 'the tool leaves itself out');
  });

  it('an extension installed but not preloaded gets how to enable it', async () => {
    await assert.rejects(
      withSession(parseTarget(pg.urlFor('app', 'app-pw')), DEFAULT_SESSION_SETTINGS, (s) =>
        slowStatements(s, { limit: 5, order: 'total' }),
      ),
      (e: PgForensicsError) => {
        assert.equal(e.kind, 'extension-not-preloaded');
        assert.match(e.message, /installed but not loaded/);
        assert.match(e.message, /shared_preload_libraries/);
        return true;
      },
    );
  });

  it('one panel sample holds activity and locks of the same moment, with the lock warning pointing at the chains', async () => {
    const sample = await withSession(parseTarget(pg.urlFor('app', 'app-pw')), DEFAULT_SESSION_SETTINGS, (s) =>
      readPanelSample(s, { limit: 5, order: 'total' }),
    );
    const warning = sample.activity.signals.find((s) => s.about === 'locks');
    assert.ok(warning, JSON.stringify(sample.activity.signals));
    // The warning's count and the Locks tab's waiters are the same sessions, read together.
    const waiters = [...new Set(sample.locks.edges.map((e) => e.waiter.pid))].sort();
    assert.deepEqual(waiters, [pids.waiter, pids.waiter2].sort());
    assert.match(warning.message, new RegExp(`^${waiters.length} session\\(s\\) are waiting for a lock`));
    assert.equal(sample.activity.lockWaiters, waiters.length);
    assert.ok(Math.abs(Date.parse(sample.takenAt) - Date.now()) < 60_000, sample.takenAt);
    // Without pg_stat_statements preloaded, sessions and locks are still shown, with the reason the statements are not.
    assert.equal(sample.statements, null);
    assert.match(sample.statementsError ?? '', /shared_preload_libraries/);
  });

  it('chains follow blocker → waiter edges and survive cycles', () => {
    assert.deepEqual(
      blockingChains([
        [1, 2],
        [2, 3],
        [1, 4],
      ]),
      [
        [1, 2, 3],
        [1, 4],
      ],
    );
    assert.deepEqual(
      blockingChains([
        [5, 6],
        [6, 5],
      ]),
      [[5, 6]],
    );
    assert.deepEqual(blockingChains([]), []);
  });
});
