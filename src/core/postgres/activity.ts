// Who is connected and what they are doing: sessions by state, how long transactions
// have sat idle, what active sessions wait for, long-running statements, and the signals
// that a connection pool is exhausted or leaking transactions.
import type { ReadOnlySession } from './session';
import { TOOL_TAG } from './statements';
import { readStatsVisibility, type StatsVisibility } from './privileges';

export interface SessionInfo {
  readonly pid: number;
  readonly user: string | null;
  readonly application: string;
  readonly client: string | null;
  readonly database: string | null;
  /** active, idle, idle in transaction, idle in transaction (aborted), fastpath function call, disabled, or null when hidden. */
  readonly state: string | null;
  readonly waitEventType: string | null;
  readonly waitEvent: string | null;
  /** Seconds since the current transaction began, null if none. */
  readonly transactionSeconds: number | null;
  /** Seconds since the current (or last, when idle) statement began. */
  readonly querySeconds: number | null;
  /** Seconds in the current state (for idle in transaction: how long it has sat idle). */
  readonly stateSeconds: number | null;
  readonly query: string;
}

export interface PoolSignal {
  readonly severity: 'warning' | 'critical';
  readonly message: string;
  /** The tab that explains the signal: the lock-wait warning links to the blocking chains. */
  readonly about?: 'locks';
}

/** Connections one application_name holds: a pool that keeps growing shows up here. */
export interface ApplicationShare {
  readonly application: string;
  readonly total: number;
  readonly byState: Record<string, number>;
}

export interface ActivityReport {
  readonly maxConnections: number;
  readonly reservedConnections: number;
  readonly totalConnections: number;
  readonly byState: Record<string, number>;
  /** Most connections first. */
  readonly byApplication: ApplicationShare[];
  readonly idleInTransaction: SessionInfo[];
  readonly waiting: SessionInfo[];
  readonly longRunning: SessionInfo[];
  readonly sessions: SessionInfo[];
  readonly signals: PoolSignal[];
  /** Sessions of other roles whose state and query this role may not see. */
  readonly hiddenSessions: number;
  /** Sessions waiting for a lock, from pg_locks (complete even when sessions are hidden). */
  readonly lockWaiters: number;
  readonly visibility: StatsVisibility;
}

export interface ActivityOptions {
  /** An active statement running longer than this counts as long-running. */
  readonly longRunningSeconds: number;
  /** Idle in transaction longer than this is flagged. */
  readonly idleInTransactionSeconds: number;
}

export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = { longRunningSeconds: 5, idleInTransactionSeconds: 10 };

interface ActivityRow {
  pid: number;
  usename: string | null;
  application_name: string;
  client: string | null;
  datname: string | null;
  state: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  xact_s: number | null;
  query_s: number | null;
  state_s: number | null;
  query: string | null;
}

export async function readActivity(session: ReadOnlySession, options: ActivityOptions = DEFAULT_ACTIVITY_OPTIONS): Promise<ActivityReport> {
  const rows = await session.query<ActivityRow>(
    'reading pg_stat_activity',
    `SELECT ${TOOL_TAG} pid, usename, application_name, client_addr::text AS client, datname, state, wait_event_type, wait_event,
            extract(epoch FROM clock_timestamp() - xact_start)::float8 AS xact_s,
            extract(epoch FROM clock_timestamp() - query_start)::float8 AS query_s,
            extract(epoch FROM clock_timestamp() - state_change)::float8 AS state_s,
            left(query, 4000) AS query
       FROM pg_stat_activity
      -- Other roles' sessions show a NULL backend_type without pg_read_all_stats; they still take slots.
      WHERE (backend_type = 'client backend' OR (backend_type IS NULL AND datid IS NOT NULL AND usesysid IS NOT NULL)) AND pid <> pg_backend_pid()
      ORDER BY xact_start NULLS LAST, pid`,
  );
  // pg_locks hides nothing from any role, unlike the wait events of pg_stat_activity.
  const [limits] = await session.query<{ max: number; reserved: number; lock_waiters: number }>(
    'reading max_connections',
    `SELECT ${TOOL_TAG} current_setting('max_connections')::int AS max,
            current_setting('superuser_reserved_connections')::int
            + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved,
            (SELECT count(DISTINCT pid)::int FROM pg_locks WHERE NOT granted AND pid IS NOT NULL AND pid <> pg_backend_pid()) AS lock_waiters`,
  );
  const visibility = await readStatsVisibility(session);
  const sessions: SessionInfo[] = rows.map((r) => ({
    pid: r.pid,
    user: r.usename,
    application: r.application_name,
    client: r.client,
    database: r.datname,
    state: r.state,
    waitEventType: r.wait_event_type,
    waitEvent: r.wait_event,
    transactionSeconds: r.xact_s,
    querySeconds: r.query_s,
    stateSeconds: r.state_s,
    query: r.query ?? '',
  }));
  const byState: Record<string, number> = {};
  for (const s of sessions) byState[s.state ?? 'hidden'] = (byState[s.state ?? 'hidden'] ?? 0) + 1;
  const byApplication = shares(sessions);
  const idleInTransaction = sessions
    .filter((s) => s.state?.startsWith('idle in transaction'))
    .sort((a, b) => (b.stateSeconds ?? 0) - (a.stateSeconds ?? 0));
  // Idle sessions report ClientRead as their wait event; only active ones really wait.
  const waiting = sessions.filter((s) => s.state === 'active' && s.waitEventType !== null && s.waitEventType !== 'Activity');
  const longRunning = sessions
    .filter((s) => s.state === 'active' && (s.querySeconds ?? 0) >= options.longRunningSeconds)
    .sort((a, b) => (b.querySeconds ?? 0) - (a.querySeconds ?? 0));
  // The tool's own session counts against max_connections too.
  const total = sessions.length + 1;
  const usable = Math.max(1, limits.max - limits.reserved);
  return {
    maxConnections: limits.max,
    reservedConnections: limits.reserved,
    totalConnections: total,
    byState,
    byApplication,
    idleInTransaction,
    waiting,
    longRunning,
    sessions,
    signals: poolSignals({ total, usable, top: byApplication[0], idleInTransaction, waiting, lockWaiters: limits.lock_waiters, options }),
    hiddenSessions: sessions.filter((s) => s.state === null).length,
    lockWaiters: limits.lock_waiters,
    visibility,
  };
}

function shares(sessions: SessionInfo[]): ApplicationShare[] {
  const map = new Map<string, { application: string; total: number; byState: Record<string, number> }>();
  for (const s of sessions) {
    // Hidden sessions of other roles carry no application_name; they are still someone's pool.
    const application = s.state === null ? '(hidden)' : s.application || '(unnamed)';
    const entry = map.get(application) ?? { application, total: 0, byState: {} };
    entry.total++;
    const state = s.state ?? 'hidden';
    entry.byState[state] = (entry.byState[state] ?? 0) + 1;
    map.set(application, entry);
  }
  return [...map.values()].sort((a, b) => b.total - a.total || a.application.localeCompare(b.application));
}

function holder(top: ApplicationShare | undefined): string {
  if (!top || top.total < 2) return '';
  const states = Object.entries(top.byState)
    .sort((a, b) => b[1] - a[1])
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  return ` The largest holder is application "${top.application}" with ${top.total} (${states}): check its pool size and whether it releases connections.`;
}

function poolSignals(input: {
  total: number;
  usable: number;
  top: ApplicationShare | undefined;
  idleInTransaction: SessionInfo[];
  waiting: SessionInfo[];
  lockWaiters: number;
  options: ActivityOptions;
}): PoolSignal[] {
  const signals: PoolSignal[] = [];
  const use = input.total / input.usable;
  if (use >= 0.95)
    signals.push({
      severity: 'critical',
      message: `${input.total} of ${input.usable} usable connections are taken (${Math.round(use * 100)}%): new clients will be refused ("too many clients").${holder(input.top)}`,
    });
  else if (use >= 0.8)
    signals.push({
      severity: 'warning',
      message: `${input.total} of ${input.usable} usable connections are taken (${Math.round(use * 100)}%): close to max_connections.${holder(input.top)}`,
    });
  const stale = input.idleInTransaction.filter((s) => (s.stateSeconds ?? 0) >= input.options.idleInTransactionSeconds);
  if (stale.length > 0) {
    const longest = Math.round(stale[0].stateSeconds ?? 0);
    signals.push({
      severity: stale.length >= 3 || longest >= 60 ? 'critical' : 'warning',
      message: `${stale.length} session(s) idle in transaction for over ${input.options.idleInTransactionSeconds}s (longest ${longest}s, pid ${stale[0].pid}): a transaction left open holds its locks and a pooled connection; look for a missing COMMIT/ROLLBACK or release() on an error path.`,
    });
  }
  const lockWaits = Math.max(input.lockWaiters, input.waiting.filter((s) => s.waitEventType === 'Lock').length);
  if (lockWaits > 0)
    signals.push({
      severity: lockWaits >= 3 ? 'critical' : 'warning',
      message: `${lockWaits} session(s) are waiting for a lock; see the blocking chains.`,
      about: 'locks',
    });
  return signals;
}
