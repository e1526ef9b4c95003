// Reads an EXPLAIN (FORMAT JSON) plan (no ANALYZE: estimates only) and says what matters:
// the costliest node, sequential scans of big tables, estimates that disagree with what
// pg_stat_statements saw, and the index the filters point to. Pure: plan and table facts in.

export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Schema?: string;
  readonly Alias?: string;
  readonly 'Index Name'?: string;
  readonly 'Startup Cost': number;
  readonly 'Total Cost': number;
  readonly 'Plan Rows': number;
  readonly 'Plan Width'?: number;
  readonly Filter?: string;
  readonly 'Index Cond'?: string;
  readonly 'Join Filter'?: string;
  readonly 'Hash Cond'?: string;
  /** With ANALYZE only: rows per loop and ms of the last row, per loop. */
  readonly 'Actual Rows'?: number;
  readonly 'Actual Total Time'?: number;
  readonly 'Actual Loops'?: number;
  readonly Plans?: PlanNode[];
}

export interface TableFacts {
  /** schema.table as the plan names it (unquoted). */
  readonly table: string;
  /** pg_class.reltuples; -1 when never analysed (PG 14+). */
  readonly estimatedRows: number;
  readonly pages: number;
  /** Leading column of each existing index. */
  readonly indexLeadingColumns: string[];
  readonly lastAnalyzed: string | null;
  readonly modifiedSinceAnalyze: number;
}

export interface PlanFinding {
  readonly kind: 'costliest-node' | 'seq-scan' | 'misestimate' | 'stale-statistics';
  readonly message: string;
}

export interface IndexSuggestion {
  readonly table: string;
  readonly columns: string[];
  /** The DDL to review and run yourself (the tool never runs it). */
  readonly ddl: string;
  readonly reason: string;
}

export interface PlanSummary {
  readonly totalCost: number;
  readonly estimatedRows: number;
  readonly costliest: { nodeType: string; relation: string | null; selfCost: number; share: number } | null;
  readonly findings: PlanFinding[];
  readonly suggestions: IndexSuggestion[];
}

export const BIG_TABLE_ROWS = 10_000;

export function planNodes(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    out.push(n);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(root);
  return out;
}

export function qualifiedRelation(node: PlanNode): string | null {
  if (!node['Relation Name']) return null;
  return `${node.Schema ?? 'public'}.${node['Relation Name']}`;
}

function selfCost(node: PlanNode): number {
  const children = (node.Plans ?? []).reduce((sum, c) => sum + c['Total Cost'], 0);
  return Math.max(0, node['Total Cost'] - children);
}

/**
 * Columns a filter compares in an index-friendly way, equality first then ranges:
 * `((status)::text = 'paid'::text) AND (created_at > $1)` → ['status', 'created_at'].
 */
export function filterColumns(filter: string): string[] {
  const equality: string[] = [];
  const range: string[] = [];
  const pattern = /\(*"?([A-Za-z_][A-Za-z0-9_$]*)"?\)?(?:::[A-Za-z_ ]+(?:\[\])?)?\s*(=\s*ANY|=|<=|>=|<|>|~~)\s*(?!\s)/g;
  for (const m of filter.matchAll(pattern)) {
    const column = m[1];
    const before = filter[(m.index ?? 0) - 1] ?? '';
    // A name right after a quote or a `::` is a literal's text or a type, not a column.
    if (before === "'" || /^(AND|OR|NOT|ANY|ALL|NULL|true|false)$/i.test(column)) continue;
    const list = m[2].startsWith('=') ? equality : range;
    if (!equality.includes(column) && !range.includes(column)) list.push(column);
  }
  return [...equality, ...range];
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function summarisePlan(root: PlanNode, tables: ReadonlyMap<string, TableFacts>, observed?: { rowsPerCall: number }): PlanSummary {
  const nodes = planNodes(root);
  const findings: PlanFinding[] = [];
  const suggestions: IndexSuggestion[] = [];
  const total = root['Total Cost'];
  let costliest: PlanSummary['costliest'] = null;
  for (const n of nodes) {
    const own = selfCost(n);
    if (!costliest || own > costliest.selfCost)
      costliest = { nodeType: n['Node Type'], relation: qualifiedRelation(n), selfCost: own, share: total > 0 ? own / total : 0 };
  }
  if (costliest) {
    findings.push({
      kind: 'costliest-node',
      message: `The costliest step is ${costliest.nodeType}${costliest.relation ? ` on ${costliest.relation}` : ''}: ${Math.round(costliest.share * 100)}% of the estimated cost (${costliest.selfCost.toFixed(1)} of ${total.toFixed(1)}).`,
    });
  }
  for (const n of nodes.filter((x) => x['Node Type'] === 'Seq Scan')) {
    const relation = qualifiedRelation(n);
    const facts = relation ? tables.get(relation) : undefined;
    if (!relation || !facts || facts.estimatedRows < BIG_TABLE_ROWS) continue;
    const columns = n.Filter ? filterColumns(n.Filter) : [];
    findings.push({
      kind: 'seq-scan',
      message: `Sequential scan of ${relation} (about ${Math.round(facts.estimatedRows).toLocaleString('en-US')} rows)${n.Filter ? ` filtering ${n.Filter}` : ' with no filter'}, expecting ${Math.round(n['Plan Rows'])} row(s).`,
    });
    if (columns.length === 0) continue;
    const covered = facts.indexLeadingColumns.includes(columns[0]);
    if (covered) {
      findings.push({
        kind: 'seq-scan',
        message: `An index on ${relation} already starts with ${columns[0]}, yet the planner chose a sequential scan: the filter may match many rows, or the statistics are stale.`,
      });
      continue;
    }
    const [schema, table] = relation.split('.');
    suggestions.push({
      table: relation,
      columns,
      ddl: `CREATE INDEX CONCURRENTLY ON ${quoteIdent(schema)}.${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')});`,
      reason: `${relation} is scanned in full to find rows by ${columns.join(', ')}; no index starts with ${columns[0]}.`,
    });
  }
  if (observed && observed.rowsPerCall >= 0) {
    const estimated = Math.max(1, root['Plan Rows']);
    const actual = Math.max(1, observed.rowsPerCall);
    const ratio = Math.max(estimated / actual, actual / estimated);
    if (ratio >= 10) {
      findings.push({
        kind: 'misestimate',
        message: `The planner expects ${Math.round(root['Plan Rows'])} row(s) per call, but pg_stat_statements recorded ${observed.rowsPerCall.toFixed(1)} on average (${Math.round(ratio)}× off): plans built on this estimate may pick the wrong join or scan.`,
      });
    }
  }
  for (const facts of tables.values()) {
    if (facts.estimatedRows < 0 || facts.lastAnalyzed === null) {
      findings.push({
        kind: 'stale-statistics',
        message: `${facts.table} has never been analysed: every estimate on it is a guess. An ANALYZE (run by you, not the tool) would fix that.`,
      });
    } else if (facts.estimatedRows > 0 && facts.modifiedSinceAnalyze > 0.2 * facts.estimatedRows) {
      findings.push({
        kind: 'stale-statistics',
        message: `${facts.table} changed by ${facts.modifiedSinceAnalyze} rows since it was last analysed (${facts.lastAnalyzed}): estimates may be off.`,
      });
    }
  }
  return { totalCost: total, estimatedRows: root['Plan Rows'], costliest, findings, suggestions };
}
