// check-then-insert: "does a row with this key exist?" (a SELECT), a decision in
// JavaScript, then an INSERT of that key without ON CONFLICT. Two concurrent requests
// both see "no row" and both insert: duplicates, or a 23505 the code never expected.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import {
  contains,
  enclosingFunction,
  enclosingStatement,
  freshName,
  identifierNames,
  nodesOfFunction,
  patternNames,
  terminates,
  unwrapExpression,
} from '../ast';
import { insertStatementAfter, sourceAtIndent } from '../blocks';
import { indentAt } from '../style';
import { allQueryCalls, sqlInsertEdit, sqlShape, type InsertShape, type QueryCall, type SelectShape } from '../sql';
import { fix, fixes, insertAt, type RawFinding, type Rule } from '../rule';
import type { TextEdit } from '../types';

/** Names bound to the SELECT's result (`const { rows } = await …`, `const existing = …`) and values derived from them. */
function resultNames(ctx: AnalysisContext, select: QueryCall, scope: t.Node[]): Set<string> {
  const names = new Set<string>();
  const stmt = enclosingStatement(ctx, select.call);
  if (stmt?.type === 'VariableDeclaration')
    for (const d of stmt.declarations) if (contains(d, select.call)) patternNames(d.id).forEach((n) => names.add(n));
  for (const n of scope) {
    if (n.type !== 'VariableDeclarator' || !n.init || n.start! < select.call.end!) continue;
    if ([...identifierNames(ctx, n.init)].some((u) => names.has(u))) patternNames(n.id).forEach((x) => names.add(x));
  }
  return names;
}

/** The `if` on the SELECT's result that decides whether the INSERT runs. */
function deciding(
  ctx: AnalysisContext,
  scope: t.Node[],
  select: QueryCall,
  insert: QueryCall,
  names: Set<string>,
): t.IfStatement | undefined {
  return scope.find(
    (n): n is t.IfStatement =>
      n.type === 'IfStatement' &&
      n.start! > select.call.end! &&
      n.start! < insert.call.start! &&
      [...identifierNames(ctx, n.test)].some((x) => names.has(x)) &&
      (contains(n, insert.call) || terminates(n.consequent)),
  );
}

/**
 * With ON CONFLICT DO NOTHING a lost race inserts nothing: the code must then take the
 * path the existence check takes. That is possible when the check's branch ends the
 * function (`if (rows.length) return { created: false }`), the INSERT comes after it, and
 * the branch does not read the SELECT's rows (they are empty when another request won).
 * Then: keep the INSERT's result and run the same branch when its rowCount is 0.
 */
function alreadyExistsEdits(ctx: AnalysisContext, insert: QueryCall, decision: t.IfStatement, names: Set<string>): TextEdit[] | undefined {
  if (contains(decision, insert.call) || !terminates(decision.consequent)) return undefined;
  if ([...identifierNames(ctx, decision.consequent)].some((n) => names.has(n))) return undefined;
  const stmt = enclosingStatement(ctx, insert.call);
  if (!stmt) return undefined;
  const awaited = (e: t.Node | null | undefined) =>
    !!e &&
    unwrapExpression(e).type === 'AwaitExpression' &&
    unwrapExpression((unwrapExpression(e) as t.AwaitExpression).argument) === insert.call;
  const branch = sourceAtIndent(ctx, decision.consequent, indentAt(ctx.text, stmt.start!));
  if (stmt.type === 'ExpressionStatement' && awaited(stmt.expression)) {
    const result = freshName(ctx, ['inserted', 'insertResult']);
    return [insertAt(stmt.start!, `const ${result} = `), insertStatementAfter(ctx, stmt, `if (${result}.rowCount === 0) ${branch}`)];
  }
  if (
    stmt.type === 'VariableDeclaration' &&
    stmt.declarations.length === 1 &&
    stmt.declarations[0].id.type === 'Identifier' &&
    awaited(stmt.declarations[0].init)
  ) {
    return [insertStatementAfter(ctx, stmt, `if (${stmt.declarations[0].id.name}.rowCount === 0) ${branch}`)];
  }
  return undefined;
}

function check(ctx: AnalysisContext): RawFinding[] {
  const all = allQueryCalls(ctx).map((q) => ({ q, shape: sqlShape(q.sql.sql) }));
  const findings: RawFinding[] = [];
  for (const ins of all) {
    if (ins.shape.kind !== 'insert' || ins.shape.onConflict) continue;
    const shape = ins.shape as InsertShape;
    const fn = enclosingFunction(ctx, ins.q.call);
    if (!fn) continue;
    const scope = nodesOfFunction(ctx, fn);
    const hit = all
      .filter(
        (s) =>
          s.shape.kind === 'select' &&
          (s.shape as SelectShape).table === shape.table &&
          s.q.call.end! < ins.q.call.start! &&
          enclosingFunction(ctx, s.q.call) === fn,
      )
      .map((s) => ({ s, key: (s.shape as SelectShape).whereColumns.filter((c) => shape.columns.includes(c)) }))
      .filter(({ key }) => key.length > 0)
      .reverse()
      .find(({ s }) => deciding(ctx, scope, s.q, ins.q, resultNames(ctx, s.q, scope)));
    if (!hit) continue;
    const key = hit.key.join(', ');
    const names = resultNames(ctx, hit.s.q, scope);
    const decision = deciding(ctx, scope, hit.s.q, ins.q, names)!;
    const message =
      `check-then-insert: the code asks whether ${shape.table} has a row with this ${key}, decides in JavaScript, then INSERTs it without ON CONFLICT. ` +
      `Two concurrent requests (a double click, a retried request) both see no row and both insert: duplicate ${shape.table}, or, with a unique index, a 23505 error the code never handles. ` +
      `Let the database decide: INSERT … ON CONFLICT (${key}) DO NOTHING (or DO UPDATE) backed by a unique index — CREATE UNIQUE INDEX CONCURRENTLY ON ${shape.table} (${key}) — and treat rowCount 0 as "already exists".`;
    const conflictEdit = sqlInsertEdit(ins.q.sql, shape.clauseEnd, ` ON CONFLICT (${key}) DO NOTHING`);
    const rowCountEdits = alreadyExistsEdits(ctx, ins.q, decision, names);
    findings.push({
      node: ins.q.call,
      message,
      // A suggestion, never applied on its own: ON CONFLICT (key) fails at once without the unique index.
      fixes: rowCountEdits
        ? fixes(
            fix(
              `INSERT … ON CONFLICT (${key}) DO NOTHING, rowCount 0 answered as "already exists" (needs a unique index on ${shape.table} (${key}))`,
              false,
              [conflictEdit, ...rowCountEdits],
            ),
          )
        : [],
    });
  }
  return findings;
}

export const checkThenInsert: Rule = {
  id: 'check-then-insert',
  title: 'Existence check, then INSERT',
  defaultSeverity: 'warning',
  check,
};
