// EXPLAIN (FORMAT JSON) of one statement, planned and never executed unless the caller
// asks for ANALYZE. The text is given to PostgreSQL as `PREPARE name AS <text>` through
// the extended query protocol, so the server itself guarantees it is exactly one
// statement of a kind that can be prepared (SELECT, INSERT, UPDATE, DELETE, MERGE,
// VALUES). A normalised pg_stat_statements text with $n parameters is then planned
// generically (plan_cache_mode = force_generic_plan, EXECUTE with NULLs that the generic
// plan does not look at); EXPLAIN (GENERIC_PLAN) cannot be used because the extended
// protocol would take its $n as parameters of the EXPLAIN itself. All of it runs in one
// read-only transaction that is rolled back (session.ts).
import type { ReadOnlySession, SessionQuery } from './session';
import { PgForensicsError } from './errors';
import { planNodes, qualifiedRelation, summarisePlan, type PlanNode, type PlanSummary, type TableFacts } from './planSummary';
import { leadingKeyword } from './sqlText';
import { findStatementsExtension, TOOL_TAG } from './statements';

/** Statements that only read: the ones EXPLAIN ANALYZE is offered for. */
const READS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);
const EXPLAINABLE = new Set([...READS, 'INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export interface ExplainResult {
  readonly sql: string;
  readonly queryId: string | null;
  /** True when planned generically (parameters left as $n). */
  readonly generic: boolean;
  /** True when run with ANALYZE (inside a read-only transaction that was rolled back). */
  readonly analyzed: boolean;
  readonly plan: PlanNode;
  readonly summary: PlanSummary;
}

export interface ExplainOptions {
  readonly queryId?: string;
  readonly rowsPerCall?: number;
  /** Runs the statement (EXPLAIN ANALYZE); only for reads without $n parameters. */
  readonly analyze?: boolean;
}

const invalid = (message: string) => new PgForensicsError('invalid-input', message);

/** What PostgreSQL said about the text, as advice about the input; null for other failures. */
function inputError(err: unknown): PgForensicsError | null {
  const e = err as { code?: string; message?: string };
  const msg = (e.message ?? '').split('\n')[0];
  if (e.code === '42601' && /multiple commands/.test(msg)) {
    return invalid('give exactly one statement to explain: PostgreSQL refused the text because it holds more than one command');
  }
  if (e.code === '42601')
    return invalid(`PostgreSQL could not read the statement as one SELECT, INSERT, UPDATE, DELETE, MERGE or VALUES: ${msg}`);
  if (e.code === '42P18')
    return invalid(`cannot plan the statement generically: ${msg}. Add a cast to the parameter (e.g. $1::int) or use a literal value.`);
  return null;
}

async function step<R extends object>(query: SessionQuery, sql: string, params?: unknown[]): Promise<R[]> {
  try {
    return await query<R & Record<string, unknown>>(sql, params);
  } catch (err) {
    throw inputError(err) ?? err;
  }
}

let prepared = 0;

async function tableFacts(session: ReadOnlySession, relations: string[]): Promise<Map<string, TableFacts>> {
  if (relations.length === 0) return new Map();
  const rows = await session.query<{
    rel: string;
    reltuples: number;
    relpages: number;
    leading: string[] | null;
    analyzed: Date | null;
    modified: string | null;
  }>(
    'reading table statistics',
    `SELECT ${TOOL_TAG} n.nspname || '.' || c.relname AS rel, c.reltuples::float8 AS reltuples, c.relpages::int AS relpages,
            (SELECT array_agg(a.attname::text) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid) AS leading,
            greatest(s.last_analyze, s.last_autoanalyze) AS analyzed, s.n_mod_since_analyze::text AS modified
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
      WHERE n.nspname || '.' || c.relname = ANY($1)`,
    [relations],
  );
  return new Map(
    rows.map((r) => [
      r.rel,
      {
        table: r.rel,
        estimatedRows: r.reltuples,
        pages: r.relpages,
        indexLeadingColumns: r.leading ?? [],
        lastAnalyzed: r.analyzed ? r.analyzed.toISOString() : null,
        modifiedSinceAnalyze: Number(r.modified ?? 0),
      },
    ]),
  );
}

export async function explainSql(session: ReadOnlySession, sql: string, options: ExplainOptions = {}): Promise<ExplainResult> {
  const text = sql.trim();
  const keyword = leadingKeyword(text);
  if (!EXPLAINABLE.has(keyword)) {
    throw invalid(
      `only SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE or MERGE statements can be explained (got ${keyword || 'nothing'})`,
    );
  }
  const analyze = options.analyze === true;
  if (analyze && !READS.has(keyword)) {
    throw invalid(
      `EXPLAIN ANALYZE runs the statement, so it is only offered for reads (SELECT, WITH, VALUES, TABLE), not ${keyword}; leave out ANALYZE to see the plan of a write without running it`,
    );
  }
  const name = `forensics_explain_${++prepared}`;
  try {
    const { plan, parameters } = await session.readOnlyTransaction('planning the statement', async (query) => {
      await step(query, `PREPARE ${TOOL_TAG} ${name} AS ${text}`);
      const [info] = await step<{ n: number; unbounded: boolean }>(
        query,
        `SELECT ${TOOL_TAG} coalesce(cardinality(parameter_types), 0) AS n, set_config('plan_cache_mode', 'force_generic_plan', true) AS mode,
                pg_has_role(current_user, 'pg_write_server_files', 'USAGE') OR pg_has_role(current_user, 'pg_execute_server_program', 'USAGE')
                OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS unbounded
           FROM pg_prepared_statements WHERE name = $1`,
        [name],
      );
      // READ ONLY stops writes to tables and sequences, not what a function does outside
      // the transaction: as a superuser that includes writing server files.
      if (analyze && info.unbounded)
        throw invalid(
          `EXPLAIN ANALYZE runs the statement and every function it calls, and role "${session.target.user}" is a superuser (or may write server files), which a read-only transaction does not hold back. Connect with a monitoring role (see "Security" in the README) to use ANALYZE, or leave it out to see the plan without running anything.`,
        );
      if (analyze && info.n > 0)
        throw invalid(
          `EXPLAIN ANALYZE needs values for the statement's ${info.n} parameter(s) ($1…$${info.n}); put literal values in the SQL, or leave out ANALYZE for a generic plan`,
        );
      const args = info.n > 0 ? `(${new Array<string>(info.n).fill('NULL').join(', ')})` : '';
      const rows = await step<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        query,
        `EXPLAIN ${TOOL_TAG} (${analyze ? 'ANALYZE, ' : ''}FORMAT JSON) EXECUTE ${name}${args}`,
      );
      return { plan: rows[0]['QUERY PLAN'][0].Plan, parameters: info.n };
    });
    const relations = [
      ...new Set(
        planNodes(plan)
          .map(qualifiedRelation)
          .filter((r): r is string => r !== null),
      ),
    ];
    const tables = await tableFacts(session, relations);
    return {
      sql: text,
      queryId: options.queryId ?? null,
      generic: parameters > 0,
      analyzed: analyze,
      plan,
      summary: summarisePlan(plan, tables, options.rowsPerCall === undefined ? undefined : { rowsPerCall: options.rowsPerCall }),
    };
  } finally {
    // Prepared statements outlive a rollback; the session is closed after its job anyway.
    await session.query('forgetting the prepared statement', `DEALLOCATE ${TOOL_TAG} ${name}`).catch(() => undefined);
  }
}

/** Explains a statement pg_stat_statements knows by its queryid. */
export async function explainQueryId(session: ReadOnlySession, queryId: string): Promise<ExplainResult> {
  if (!/^-?\d{1,20}$/.test(queryId))
    throw new PgForensicsError('invalid-input', `a query id is a whole number as shown by slow-queries (got "${queryId}")`);
  const ext = await findStatementsExtension(session);
  const [row] = await session.query<{ query: string | null; calls: number; rows: number }>(
    'looking up the statement',
    `SELECT ${TOOL_TAG} query, sum(calls)::float8 AS calls, sum(rows)::float8 AS rows FROM "${ext.schema.replace(/"/g, '""')}".pg_stat_statements
      WHERE queryid = $1::bigint AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY query LIMIT 1`,
    [queryId],
  );
  if (!row)
    throw new PgForensicsError(
      'invalid-input',
      `no statement with query id ${queryId} in pg_stat_statements for database "${session.target.database}"`,
    );
  if (row.query === null || row.query === '<insufficient privilege>')
    throw new PgForensicsError(
      'permission',
      `the text of statement ${queryId} is hidden from role "${session.target.user}": it needs pg_read_all_stats to read other roles' statements`,
    );
  return explainSql(session, row.query, { queryId, rowsPerCall: row.calls > 0 ? row.rows / row.calls : undefined });
}
