// Who blocks whom: every waiting session with the sessions pg_blocking_pids names, both
// sides' statements, the lock mode wanted and held, the relation, and how long it waited.
// Waiters are found in pg_locks, which every role may read: pg_stat_activity hides other
// roles' wait events from a role without pg_read_all_stats, and would show no wait at all.
import type { ReadOnlySession } from './session';
import { HIDDEN_TEXT, TOOL_TAG } from './statements';
import { readStatsVisibility, type StatsVisibility } from './privileges';

export interface LockParty {
  readonly pid: number;
  readonly user: string | null;
  readonly application: string;
  readonly state: string | null;
  /** Empty when hidden from this role. */
  readonly query: string;
  /** False when the session belongs to another role and this one lacks pg_read_all_stats. */
  readonly queryVisible: boolean;
  /** Seconds since this session's transaction began. */
  readonly transactionSeconds: number | null;
}

export interface BlockingEdge {
  readonly waiter: LockParty;
  readonly blocker: LockParty;
  /** What the waiter asked for: lock type and mode, e.g. transactionid / ShareLock. */
  readonly lockType: string | null;
  readonly wantedMode: string | null;
  /** Modes the blocker holds on the same object (relation or transaction). */
  readonly heldModes: string[];
  /** The table involved, as schema-qualified text, when it can be told. */
  readonly relation: string | null;
  /** Seconds the waiter has waited for the lock (pg_locks.waitstart on PG 14+, else since its statement began). */
  readonly waitSeconds: number | null;
}

export interface LocksReport {
  readonly edges: BlockingEdge[];
  /** Each chain runs from a root blocker (not itself waiting) down to a waiter, as pids. */
  readonly chains: number[][];
  /** Sessions that block others while not waiting themselves: the ones to look at first. */
  readonly rootBlockers: LockParty[];
  /** Sessions in the chains whose statement and state this role may not see. */
  readonly hiddenSessions: number;
  readonly visibility: StatsVisibility;
}

interface PartyRow {
  pid: number;
  usename: string | null;
  application_name: string;
  state: string | null;
  query: string | null;
  xact_s: number | null;
  query_s: number | null;
  blocked_by: number[];
}

interface LockRow {
  pid: number;
  locktype: string;
  mode: string;
  granted: boolean;
  relation: string | null;
  transactionid: string | null;
  wait_s: number | null;
}

export async function readLocks(session: ReadOnlySession): Promise<LocksReport> {
  const parties = await session.query<PartyRow>(
    'reading blocked sessions',
    `WITH ${TOOL_TAG} waiting AS (
       SELECT pid, pg_blocking_pids(pid) AS blocked_by FROM (
         SELECT pid FROM pg_locks WHERE NOT granted AND pid IS NOT NULL
         UNION SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock') w
        WHERE pid <> pg_backend_pid())
     SELECT a.pid, a.usename, a.application_name, a.state, left(a.query, 4000) AS query,
            extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS xact_s,
            extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS query_s,
            coalesce(w.blocked_by, '{}') AS blocked_by
       FROM pg_stat_activity a LEFT JOIN waiting w ON w.pid = a.pid
      WHERE a.pid IN (SELECT pid FROM waiting UNION SELECT unnest(blocked_by) FROM waiting)`,
  );
  const visibility = await readStatsVisibility(session);
  if (parties.length === 0) return { edges: [], chains: [], rootBlockers: [], hiddenSessions: 0, visibility };
  const pids = parties.map((p) => p.pid);
  const hasWaitStart = session.serverVersionNum >= 140000;
  const locks = await session.query<LockRow>(
    'reading pg_locks',
    `SELECT ${TOOL_TAG} l.pid, l.locktype, l.mode, l.granted, l.transactionid::text AS transactionid,
            CASE WHEN l.relation IS NULL THEN NULL
                 ELSE coalesce((SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = l.relation), l.relation::text) END AS relation,
            ${hasWaitStart ? 'extract(epoch FROM clock_timestamp() - l.waitstart)::float8' : 'NULL::float8'} AS wait_s
       FROM pg_locks l WHERE l.pid = ANY($1)`,
    [pids],
  );
  const party = new Map<number, LockParty>(
    parties.map((p) => [
      p.pid,
      {
        pid: p.pid,
        user: p.usename,
        application: p.application_name,
        state: p.state,
        query: p.query === HIDDEN_TEXT ? '' : (p.query ?? ''),
        queryVisible: p.query !== HIDDEN_TEXT,
        transactionSeconds: p.xact_s,
      },
    ]),
  );
  const querySeconds = new Map(parties.map((p) => [p.pid, p.query_s]));
  const edges: BlockingEdge[] = [];
  for (const p of parties) {
    if (p.blocked_by.length === 0) continue;
    const mine = locks.filter((l) => l.pid === p.pid);
    const wanted = mine.find((l) => !l.granted) ?? null;
    // A row-lock waiter waits on the holder's transaction id; the table shows up in the tuple lock it holds or wants.
    const tuple = mine.find((l) => l.locktype === 'tuple' && l.relation);
    const relation = wanted?.relation ?? tuple?.relation ?? null;
    for (const blockerPid of p.blocked_by) {
      const blocker = party.get(blockerPid);
      if (!blocker) continue;
      const held = locks.filter(
        (l) =>
          l.pid === blockerPid &&
          l.granted &&
          wanted !== null &&
          ((wanted.relation !== null && l.relation === wanted.relation) ||
            (wanted.transactionid !== null && l.transactionid === wanted.transactionid) ||
            (wanted.locktype === 'tuple' && l.locktype === 'tuple' && l.relation === wanted.relation)),
      );
      const heldOnTable = relation ? locks.filter((l) => l.pid === blockerPid && l.granted && l.relation === relation) : [];
      edges.push({
        waiter: party.get(p.pid) as LockParty,
        blocker,
        lockType: wanted?.locktype ?? null,
        wantedMode: wanted?.mode ?? null,
        heldModes: [...new Set([...held, ...heldOnTable].map((l) => l.mode))],
        relation,
        waitSeconds: wanted?.wait_s ?? querySeconds.get(p.pid) ?? null,
      });
    }
  }
  const inChains = new Set(edges.flatMap((e) => [e.waiter, e.blocker]));
  return {
    edges,
    chains: blockingChains(edges.map((e) => [e.blocker.pid, e.waiter.pid])),
    rootBlockers: roots(edges).map((pid) => party.get(pid) as LockParty),
    hiddenSessions: [...inChains].filter((p) => !p.queryVisible).length,
    visibility,
  };
}

function roots(edges: BlockingEdge[]): number[] {
  const waiters = new Set(edges.map((e) => e.waiter.pid));
  return [...new Set(edges.map((e) => e.blocker.pid))].filter((pid) => !waiters.has(pid));
}

/**
 * Paths from each root blocker to each waiter at the end of a chain, following
 * blocker → waiter edges. A cycle (a deadlock in the making) is cut where it repeats.
 */
export function blockingChains(edges: readonly (readonly [blocker: number, waiter: number])[]): number[][] {
  const next = new Map<number, number[]>();
  for (const [b, w] of edges) next.set(b, [...(next.get(b) ?? []), w]);
  const waiters = new Set(edges.map(([, w]) => w));
  let starts = [...next.keys()].filter((b) => !waiters.has(b));
  // Everyone waits on someone: a cycle. Start anywhere so it is still shown.
  if (starts.length === 0 && edges.length > 0) starts = [edges[0][0]];
  const chains: number[][] = [];
  const walk = (path: number[]) => {
    const last = path[path.length - 1];
    const onward = (next.get(last) ?? []).filter((w) => !path.includes(w));
    if (onward.length === 0) chains.push(path);
    for (const w of onward) walk([...path, w]);
  };
  for (const s of starts.sort((a, b) => a - b)) walk([s]);
  return chains;
}
