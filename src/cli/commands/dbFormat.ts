// Human-readable text of the PostgreSQL reports for the terminal. --json prints the
// reports themselves; this is the default, made to be read during an incident.
import { table } from '../framework';
import type { ActivityReport, SessionInfo } from '../../core/postgres/activity';
import type { LockParty, LocksReport } from '../../core/postgres/locks';
import type { ExplainResult } from '../../core/postgres/explain';
import type { PlanNode } from '../../core/postgres/planSummary';
import { hiddenLocksNote, hiddenSessionsNote, noSignalsNote } from '../../core/postgres/visibilityNotes';

/** A statement on one line, cut to `max` characters. */
export function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const secs = (n: number | null) => (n === null ? '-' : n < 10 ? `${n.toFixed(1)}s` : `${Math.round(n)}s`);

function sessionRows(list: SessionInfo[]): string {
  const rows = [['PID', 'USER', 'APPLICATION', 'STATE', 'IN STATE', 'WAITING ON', 'QUERY']];
  for (const s of list) {
    rows.push([
      String(s.pid),
      s.user ?? '-',
      s.application || '-',
      s.state ?? 'hidden',
      secs(s.stateSeconds),
      s.waitEventType ? `${s.waitEventType}:${s.waitEvent ?? ''}` : '-',
      oneLine(s.query, 80),
    ]);
  }
  return table(rows);
}

export function renderActivity(r: ActivityReport): string {
  const out: string[] = [];
  out.push(
    `${r.totalConnections} of ${r.maxConnections} connections (${r.reservedConnections} reserved) — ${
      Object.entries(r.byState)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || 'none'
    }`,
  );
  if (r.byApplication.length) out.push(`by application: ${r.byApplication.map((a) => `${a.application} ${a.total}`).join(', ')}`);
  const hidden = hiddenSessionsNote(r);
  if (hidden) out.push(hidden);
  out.push('');
  if (r.signals.length) {
    out.push('Signals:');
    for (const s of r.signals) out.push(`  ${s.severity.toUpperCase()}: ${s.message}`);
  } else {
    out.push(`Signals: none. ${noSignalsNote(r)}`);
  }
  const sections: [string, SessionInfo[]][] = [
    ['Idle in transaction', r.idleInTransaction],
    ['Waiting', r.waiting],
    ['Long-running', r.longRunning],
  ];
  for (const [title, list] of sections) {
    if (list.length) out.push('', `${title}:`, sessionRows(list).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

const statement = (p: LockParty) => (p.queryVisible ? oneLine(p.query, 120) : '(hidden from this role)');

export function renderLocks(r: LocksReport): string {
  // pg_locks shows every role's locks, so "nobody waits" holds even for a role that sees little else.
  if (!r.edges.length) return 'No session is waiting for a lock.\n';
  const out = [
    `${r.edges.length} blocked wait(s); start with the root blocker(s): ${r.rootBlockers.map((p) => `pid ${p.pid}`).join(', ')}`,
  ];
  const hidden = hiddenLocksNote(r);
  if (hidden) out.push(hidden);
  out.push('');
  for (const chain of r.chains) out.push(`chain: ${chain.join(' → ')}`);
  for (const e of r.edges) {
    out.push(
      '',
      `pid ${e.waiter.pid} (${e.waiter.application || e.waiter.user || '?'}) waits ${secs(e.waitSeconds)} for ${e.wantedMode ?? '?'} on ${e.relation ?? e.lockType ?? '?'}`,
      `  wants:  ${statement(e.waiter)}`,
      `  blocked by pid ${e.blocker.pid} (${e.blocker.application || e.blocker.user || '?'}, ${e.blocker.state ?? 'hidden'}, transaction open ${secs(e.blocker.transactionSeconds)}) holding ${e.heldModes.join(', ') || '?'}`,
      `  holder: ${statement(e.blocker)}`,
    );
  }
  return `${out.join('\n')}\n`;
}

function planLines(node: PlanNode, depth: number, out: string[]): void {
  const on = node['Relation Name'] ? ` on ${node.Schema ? `${node.Schema}.` : ''}${node['Relation Name']}` : '';
  const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const actual =
    node['Actual Rows'] === undefined
      ? ''
      : ` (actual rows ${node['Actual Rows']} time ${node['Actual Total Time'] ?? '?'} ms loops ${node['Actual Loops'] ?? 1})`;
  out.push(
    `${'  '.repeat(depth)}${depth ? '-> ' : ''}${node['Node Type']}${index}${on}  (cost ${node['Startup Cost']}..${node['Total Cost']} rows ${node['Plan Rows']})${actual}`,
  );
  for (const cond of [node['Index Cond'], node.Filter, node['Hash Cond'], node['Join Filter']])
    if (cond) out.push(`${'  '.repeat(depth + 2)}${cond}`);
  for (const child of node.Plans ?? []) planLines(child, depth + 1, out);
}

export function renderPlan(r: ExplainResult): string {
  const how = r.analyzed
    ? 'EXPLAIN ANALYZE — the statement ran in a read-only transaction that was rolled back'
    : 'estimates only, nothing was executed';
  const out = [`${r.generic ? 'Generic plan (parameters left as $n)' : 'Plan'} — ${how}`, oneLine(r.sql, 200), ''];
  planLines(r.plan, 0, out);
  if (r.summary.findings.length) {
    out.push('', 'Findings:');
    for (const f of r.summary.findings) out.push(`  - ${f.message}`);
  }
  if (r.summary.suggestions.length) {
    out.push('', 'Suggested index (review, then run it yourself):');
    for (const s of r.summary.suggestions) out.push(`  ${s.ddl}  -- ${s.reason}`);
  }
  return `${out.join('\n')}\n`;
}
