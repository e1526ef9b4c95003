// EXPLAIN (FORMAT JSON) without ANALYZE: the statement is planned, never executed. For a
// normalised pg_stat_statements text with $n parameters, PG 16+ plans it generically
// (GENERIC_PLAN); older servers cannot, and the result says so.
import type { ReadOnlySession } from './session';
import { PgForensicsError } from './errors';
import { planNodes, qualifiedRelation, summarisePlan, type PlanNode, type PlanSummary, type TableFacts } from './planSummary';
import { scanSql } from './sqlText';
import { findStatementsExtension, TOOL_TAG } from './statements';

const EXPLAINABLE = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export interface ExplainResult {
  readonly sql: string;
  readonly queryId: string | null;
  /** True when planned with GENERIC_PLAN (parameters left as $n). */
  readonly generic: boolean;
  readonly plan: PlanNode;
  readonly summary: PlanSummary;
}

/** Why a parameterised statement cannot be explained on this server, or null if it can. */
export function genericPlanUnavailable(serverVersionNum: number, parameters: number): string | null {
  if (parameters === 0 || serverVersionNum >= 160000) return null;
  return `the statement has parameters ($1…$${parameters}) and this server (${Math.floor(serverVersionNum / 10000)}) predates EXPLAIN (GENERIC_PLAN), added in PostgreSQL 16. Explain it with literal values instead (--sql "…" / edit the statement in the plan view), or on a PostgreSQL 16+ replica.`;
}

async function tableFacts(session: ReadOnlySession, relations: string[]): Promise<Map<string, TableFacts>> {
  if (relations.length === 0) return new Map();
  const rows = await session.query<{ rel: string; reltuples: number; relpages: number; leading: string[] | null; analyzed: Date | null; modified: string | null }>(
    'reading table statistics',
    `SELECT ${TOOL_TAG} n.nspname || '.' || c.relname AS rel, c.reltuples::float8 AS reltuples, c.relpages::int AS relpages,
            (SELECT array_agg(a.attname::text) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid) AS leading,
            greatest(s.last_analyze, s.last_autoanalyze) AS analyzed, s.n_mod_since_analyze::text AS modified
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
      WHERE n.nspname || '.' || c.relname = ANY($1)`,
    [relations],
  );
  return new Map(rows.map((r) => [r.rel, {
    table: r.rel,
    estimatedRows: r.reltuples,
    pages: r.relpages,
    indexLeadingColumns: r.leading ?? [],
    lastAnalyzed: r.analyzed ? r.analyzed.toISOString() : null,
    modifiedSinceAnalyze: Number(r.modified ?? 0),
  }]));
}

export async function explainSql(session: ReadOnlySession, sql: string, context: { queryId?: string; rowsPerCall?: number } = {}): Promise<ExplainResult> {
  const facts = scanSql(sql);
  if (facts.statements !== 1) throw new PgForensicsError('invalid-input', `give exactly one statement to explain (found ${facts.statements})`);
  if (!EXPLAINABLE.has(facts.keyword)) {
    throw new PgForensicsError('invalid-input', `only SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE or MERGE statements can be explained (got ${facts.keyword || 'nothing'}); EXPLAIN ANALYZE is never run`);
  }
  const why = genericPlanUnavailable(session.serverVersionNum, facts.parameters);
  if (why) throw new PgForensicsError('invalid-input', `cannot plan this statement: ${why}`);
  const generic = facts.parameters > 0;
  const options = generic ? 'FORMAT JSON, GENERIC_PLAN' : 'FORMAT JSON';
  // Simple protocol on purpose (EXPLAIN with $n needs it); scanSql proved it is a single statement.
  const rows = await session.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>('planning the statement', `EXPLAIN ${TOOL_TAG} (${options}) ${facts.text}`);
  const plan = rows[0]['QUERY PLAN'][0].Plan;
  const relations = [...new Set(planNodes(plan).map(qualifiedRelation).filter((r): r is string => r !== null))];
  const tables = await tableFacts(session, relations);
  return {
    sql: facts.text,
    queryId: context.queryId ?? null,
    generic,
    plan,
    summary: summarisePlan(plan, tables, context.rowsPerCall === undefined ? undefined : { rowsPerCall: context.rowsPerCall }),
  };
}

/** Explains a statement pg_stat_statements knows by its queryid. */
export async function explainQueryId(session: ReadOnlySession, queryId: string): Promise<ExplainResult> {
  if (!/^-?\d{1,20}$/.test(queryId)) throw new PgForensicsError('invalid-input', `a query id is a whole number as shown by slow-queries (got "${queryId}")`);
  const ext = await findStatementsExtension(session);
  const [row] = await session.query<{ query: string; calls: number; rows: number }>(
    'looking up the statement',
    `SELECT ${TOOL_TAG} query, sum(calls)::float8 AS calls, sum(rows)::float8 AS rows FROM "${ext.schema.replace(/"/g, '""')}".pg_stat_statements
      WHERE queryid = $1::bigint AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY query LIMIT 1`,
    [queryId],
  );
  if (!row) throw new PgForensicsError('invalid-input', `no statement with query id ${queryId} in pg_stat_statements for database "${session.target.database}"`);
  if (row.query === '<insufficient privilege>') throw new PgForensicsError('permission', `the text of statement ${queryId} is hidden from role "${session.target.user}": it needs pg_read_all_stats to read other roles' statements`);
  return explainSql(session, row.query, { queryId, rowsPerCall: row.calls > 0 ? row.rows / row.calls : undefined });
}
