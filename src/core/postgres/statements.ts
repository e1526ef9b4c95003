// Slow statements from pg_stat_statements, on every layout the extension has had since
// PostgreSQL 13: columns are read from the installed view itself (total_exec_time vs the
// older total_time, PG 17's shared_blk_*_time rename, stats_since), never assumed.
import type { ReadOnlySession } from './session';
import { PgForensicsError } from './errors';
import { readStatsVisibility, type StatsVisibility } from './privileges';

import { TOOL_TAG } from './session';

export { TOOL_TAG };

/** Which extension version each server major ships (what CREATE EXTENSION installs by default). */
export const EXTENSION_VERSION_BY_SERVER: Readonly<Record<number, string>> = {
  12: '1.7',
  13: '1.8',
  14: '1.9',
  15: '1.10',
  16: '1.10',
  17: '1.11',
  18: '1.12',
};

export interface StatementColumns {
  /** Total execution time in ms: total_exec_time (1.8+) or total_time (≤1.7). */
  readonly total: string;
  readonly mean: string;
  /** Block read/write time: shared_blk_read_time (1.11+) or blk_read_time; null if absent. */
  readonly blockRead: string | null;
  readonly blockWrite: string | null;
  /** Per-statement start of the counters (1.11+), else null. */
  readonly statsSince: string | null;
  /** The toplevel flag (1.9+): nested statements are counted separately. */
  readonly hasToplevel: boolean;
}

/** Picks the columns to read from the set the installed view actually has. */
export function statementColumns(available: Iterable<string>): StatementColumns {
  const cols = new Set(available);
  const pick = (...names: string[]) => names.find((n) => cols.has(n)) ?? null;
  const total = pick('total_exec_time', 'total_time');
  const mean = pick('mean_exec_time', 'mean_time');
  if (!total || !mean)
    throw new PgForensicsError(
      'other',
      'pg_stat_statements has neither total_exec_time nor total_time; this extension version is not supported',
    );
  return {
    total,
    mean,
    blockRead: pick('shared_blk_read_time', 'blk_read_time'),
    blockWrite: pick('shared_blk_write_time', 'blk_write_time'),
    statsSince: pick('stats_since'),
    hasToplevel: cols.has('toplevel'),
  };
}

export interface StatementsExtension {
  readonly schema: string;
  readonly version: string;
  readonly columns: StatementColumns;
}

/** Compares "1.10"-style versions numerically (1.10 is newer than 1.9). */
export function extensionAtLeast(version: string, major: number, minor: number): boolean {
  const [ma, mi] = version.split('.').map((x) => Number(x));
  return ma > major || (ma === major && (mi ?? 0) >= minor);
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const HOW_TO_ENABLE =
  "add pg_stat_statements to shared_preload_libraries in postgresql.conf (or your provider's parameter group), restart the server, then run CREATE EXTENSION pg_stat_statements; in this database as a superuser. The tool never changes the server itself.";

/** Finds the extension in the connected database, or explains how to enable it. */
export async function findStatementsExtension(session: ReadOnlySession): Promise<StatementsExtension> {
  const db = session.target.database;
  const [ext] = await session.query<{ extversion: string; schema: string }>(
    'looking up pg_stat_statements',
    `SELECT ${TOOL_TAG} e.extversion, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  if (!ext) {
    throw new PgForensicsError('extension-missing', `pg_stat_statements is not installed in database "${db}": ${HOW_TO_ENABLE}`);
  }
  const columns = await session.query<{ attname: string }>(
    'reading the pg_stat_statements columns',
    `SELECT ${TOOL_TAG} attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [`${ident(ext.schema)}.pg_stat_statements`],
  );
  return { schema: ext.schema, version: ext.extversion, columns: statementColumns(columns.map((c) => c.attname)) };
}

/** Rewrites the "must be loaded via shared_preload_libraries" failure into how-to-fix. */
function notPreloaded(err: unknown): never {
  if (err instanceof PgForensicsError && /shared_preload_libraries/.test(err.message)) {
    throw new PgForensicsError('extension-not-preloaded', `pg_stat_statements is installed but not loaded by the server: ${HOW_TO_ENABLE}`);
  }
  throw err;
}

export type StatementOrder = 'total' | 'mean' | 'calls' | 'rows' | 'io';
export const STATEMENT_ORDERS: readonly StatementOrder[] = ['total', 'mean', 'calls', 'rows', 'io'];

export interface StatementStats {
  /** queryid as text (an int8 does not fit a JS number); null when hidden from this role. */
  readonly queryId: string | null;
  /** Empty when hidden from this role. */
  readonly query: string;
  /** False when the role may not see this statement's text (see privileges). */
  readonly textVisible: boolean;
  readonly role: string | null;
  readonly database: string | null;
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly rows: number;
  /** shared_blks_hit / (hit + read), null when the statement touched no shared buffers. */
  readonly hitRatio: number | null;
  /** Block read + write time in ms (needs track_io_timing), null if the column is absent. */
  readonly ioMs: number | null;
  /** When these counters started (stats_since on 1.11+), ISO time, else null. */
  readonly since: string | null;
}

export interface StatementsReport {
  readonly serverVersion: string;
  readonly extensionVersion: string;
  readonly columnsUsed: StatementColumns;
  readonly order: StatementOrder;
  /** pg_stat_statements_info.stats_reset (1.9+): since when the whole view counts. */
  readonly statsReset: string | null;
  readonly statements: StatementStats[];
  /** Statements whose text this role may not read. */
  readonly hiddenTexts: number;
  readonly visibility: StatsVisibility;
}

/** What pg_stat_statements shows a role for other roles' statements (no query id either). */
export const HIDDEN_TEXT = '<insufficient privilege>';

/** True when the row is another role's statement this role may not read. */
export function isHiddenStatement(row: { queryid: string | null; query: string | null }): boolean {
  return row.queryid === null || row.query === null || row.query === HIDDEN_TEXT;
}

interface StatementRow {
  queryid: string | null;
  query: string | null;
  role: string | null;
  database: string | null;
  calls: number;
  total_ms: number;
  mean_ms: number;
  rows: number;
  hit: number;
  read: number;
  io_ms: number | null;
  since: Date | null;
}

function statementSource(ext: StatementsExtension): { from: string; where: string } {
  const s = `${ident(ext.schema)}.pg_stat_statements`;
  const filters = [
    // Only this database: plans and "find in workspace" make sense for it alone.
    's.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
    // The tag sits after the first keyword: pg_stat_statements drops comments before it.
    `strpos(s.query, '${TOOL_TAG}') = 0`,
  ];
  if (ext.columns.hasToplevel) filters.push('s.toplevel');
  return { from: `${s} s`, where: filters.join(' AND ') };
}

const ORDER_EXPRESSION: Record<StatementOrder, string> = { total: 'total_ms', mean: 'mean_ms', calls: 'calls', rows: 'rows', io: 'io_ms' };

export async function slowStatements(
  session: ReadOnlySession,
  options: { limit: number; order: StatementOrder },
): Promise<StatementsReport> {
  const ext = await findStatementsExtension(session);
  const c = ext.columns;
  const { from, where } = statementSource(ext);
  const io = c.blockRead && c.blockWrite ? `(s.${c.blockRead} + s.${c.blockWrite})::float8` : 'NULL::float8';
  const rows = await session
    .query<StatementRow>(
      'reading pg_stat_statements',
      `SELECT ${TOOL_TAG} s.queryid::text AS queryid, s.query, r.rolname AS role, d.datname AS database,
            s.calls::float8 AS calls, s.${c.total}::float8 AS total_ms, s.${c.mean}::float8 AS mean_ms,
            s.rows::float8 AS rows, s.shared_blks_hit::float8 AS hit, s.shared_blks_read::float8 AS read,
            ${io} AS io_ms, ${c.statsSince ? `s.${c.statsSince}` : 'NULL::timestamptz'} AS since
       FROM ${from} LEFT JOIN pg_roles r ON r.oid = s.userid LEFT JOIN pg_database d ON d.oid = s.dbid
      WHERE ${where}
      ORDER BY ${ORDER_EXPRESSION[options.order]} DESC NULLS LAST LIMIT $1`,
      [options.limit],
    )
    .catch(notPreloaded);
  const hidden = await session
    .query<{ n: number }>(
      'counting hidden statements',
      `SELECT ${TOOL_TAG} count(*)::int AS n FROM ${from} WHERE ${where} AND (s.queryid IS NULL OR s.query IS NULL OR s.query = '${HIDDEN_TEXT}')`,
    )
    .catch(notPreloaded);
  let statsReset: string | null = null;
  if (extensionAtLeast(ext.version, 1, 9)) {
    const [info] = await session
      .query<{ stats_reset: Date | null }>(
        'reading pg_stat_statements_info',
        `SELECT ${TOOL_TAG} stats_reset FROM ${ident(ext.schema)}.pg_stat_statements_info`,
      )
      .catch(notPreloaded);
    statsReset = info?.stats_reset ? info.stats_reset.toISOString() : null;
  }
  const visibility = await readStatsVisibility(session);
  return {
    serverVersion: session.serverVersion,
    extensionVersion: ext.version,
    columnsUsed: c,
    order: options.order,
    statsReset,
    hiddenTexts: hidden[0]?.n ?? 0,
    visibility,
    statements: rows.map((r) => ({
      queryId: r.queryid,
      query: isHiddenStatement(r) ? '' : (r.query ?? ''),
      textVisible: !isHiddenStatement(r),
      role: r.role,
      database: r.database,
      calls: r.calls,
      totalMs: r.total_ms,
      meanMs: r.mean_ms,
      rows: r.rows,
      hitRatio: r.hit + r.read > 0 ? r.hit / (r.hit + r.read) : null,
      ioMs: r.io_ms,
      since: r.since ? r.since.toISOString() : null,
    })),
  };
}

/** One statement's cumulative counters in a sample, or one role's hidden statements summed. */
export interface SampledStatement {
  readonly queryId: string | null;
  readonly query: string;
  /** True for the sum of one role's statements this role may not read. */
  readonly hidden: boolean;
  readonly role: string | null;
  readonly calls: number;
  readonly totalMs: number;
}

/** One reading of the cumulative counters, for rates. */
export interface StatementSample {
  /** Server clock (ms since epoch) when the sample was taken. */
  readonly at: number;
  readonly entries: ReadonlyMap<string, SampledStatement>;
}

/** How a role's hidden statements are named in rates and charts. */
export function hiddenStatementsLabel(role: string | null): string {
  return `statements of role ${role ?? '(dropped role)'} (text hidden)`;
}

export async function sampleStatements(session: ReadOnlySession, ext?: StatementsExtension): Promise<StatementSample> {
  const found = ext ?? (await findStatementsExtension(session));
  const { from, where } = statementSource(found);
  const rows = await session
    .query<{
      userid: string;
      role: string | null;
      queryid: string | null;
      query: string | null;
      calls: number;
      total_ms: number;
      at: Date;
    }>(
      'sampling pg_stat_statements',
      `SELECT ${TOOL_TAG} s.userid::text AS userid, r.rolname AS role, s.queryid::text AS queryid, left(s.query, 2000) AS query,
            s.calls::float8 AS calls, s.${found.columns.total}::float8 AS total_ms, clock_timestamp() AS at
       FROM ${from} LEFT JOIN pg_roles r ON r.oid = s.userid WHERE ${where}`,
    )
    .catch(notPreloaded);
  const [now] = rows.length
    ? [rows[0].at]
    : (await session.query<{ at: Date }>('reading the server clock', `SELECT ${TOOL_TAG} clock_timestamp() AS at`)).map((r) => r.at);
  const entries = new Map<string, SampledStatement>();
  for (const r of rows) {
    if (!isHiddenStatement(r)) {
      entries.set(`${r.userid}/${r.queryid}`, {
        queryId: r.queryid,
        query: r.query ?? '',
        hidden: false,
        role: r.role,
        calls: r.calls,
        totalMs: r.total_ms,
      });
      continue;
    }
    // Hidden rows have no query id to tell them apart: one sum per role still shows its load.
    const key = `${r.userid}/hidden`;
    const sum = entries.get(key);
    entries.set(key, {
      queryId: null,
      query: hiddenStatementsLabel(r.role),
      hidden: true,
      role: r.role,
      calls: (sum?.calls ?? 0) + r.calls,
      totalMs: (sum?.totalMs ?? 0) + r.total_ms,
    });
  }
  return { at: now.getTime(), entries };
}

export interface StatementRate {
  /** Null for the sum of one role's hidden statements. */
  readonly queryId: string | null;
  readonly query: string;
  readonly hidden: boolean;
  readonly role: string | null;
  readonly callsPerSecond: number;
  /** Execution time spent per wall-clock second (ms/s): the load a statement puts on the server now. */
  readonly msPerSecond: number;
  /** Mean time of the calls inside the window, null if none ran. */
  readonly meanMsInWindow: number | null;
}

/**
 * Per-second deltas between two samples, busiest first. A statement whose counters went
 * down was reset (or evicted and re-added) in between: its new counters are the delta.
 */
export function statementRates(before: StatementSample, after: StatementSample, limit = 20): { seconds: number; rates: StatementRate[] } {
  const seconds = (after.at - before.at) / 1000;
  if (!(seconds > 0)) throw new PgForensicsError('invalid-input', 'the second sample must be taken after the first');
  const rates: StatementRate[] = [];
  for (const [key, now] of after.entries) {
    const then = before.entries.get(key);
    const reset = !then || now.calls < then.calls;
    const calls = reset ? now.calls : now.calls - then.calls;
    const total = reset ? now.totalMs : now.totalMs - then.totalMs;
    if (calls <= 0 && total <= 0) continue;
    rates.push({
      queryId: now.queryId,
      query: now.query,
      hidden: now.hidden,
      role: now.role,
      callsPerSecond: calls / seconds,
      msPerSecond: total / seconds,
      meanMsInWindow: calls > 0 ? total / calls : null,
    });
  }
  rates.sort((a, b) => b.msPerSecond - a.msPerSecond || b.callsPerSecond - a.callsPerSecond);
  return { seconds, rates: rates.slice(0, limit) };
}

/** Samples twice, `intervalMs` apart, on the same session, and returns the rates. */
export async function sampleRates(
  session: ReadOnlySession,
  intervalMs: number,
  limit = 20,
): Promise<{ seconds: number; rates: StatementRate[]; visibility: StatsVisibility }> {
  const ext = await findStatementsExtension(session);
  const visibility = await readStatsVisibility(session);
  const first = await sampleStatements(session, ext);
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  const second = await sampleStatements(session, ext);
  return { ...statementRates(first, second, limit), visibility };
}
