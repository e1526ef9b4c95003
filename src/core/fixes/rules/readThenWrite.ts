// read-then-write: a SELECT, a decision or a computation in JavaScript, then an UPDATE
// of the same column without a lock. Concurrent requests interleave between the two
// statements: the check passes twice on the same old value (check-then-act) or the later
// write overwrites the earlier one (lost update).
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
  sourceOf,
  terminates,
  unwrapExpression,
} from '../ast';
import { allQueryCalls, sqlInsertEdit, sqlReplaceEdit, sqlShape, type QueryCall, type SelectShape, type UpdateShape } from '../sql';
import { indentAt, quoted, reindent, semi } from '../style';
import { fix, fixes, insertAt, replace, type RawFinding, type Rule } from '../rule';
import type { TextEdit } from '../types';

interface Shaped<S> {
  q: QueryCall;
  shape: S;
}

/** Names holding the SELECT's result, and locals computed from them before `until`. */
function readBindings(ctx: AnalysisContext, select: QueryCall, scope: t.Node[], until: number): Set<string> {
  const names = new Set<string>();
  const stmt = enclosingStatement(ctx, select.call);
  if (stmt?.type === 'VariableDeclaration') {
    for (const d of stmt.declarations) if (contains(d, select.call)) patternNames(d.id, []).forEach((n) => names.add(n));
  }
  if (names.size === 0) return names;
  for (const n of scope) {
    if (n.type !== 'VariableDeclarator' || !n.init || n.start! < select.call.end! || n.start! > until) continue;
    const used = identifierNames(ctx, n.init);
    if ([...used].some((u) => names.has(u))) patternNames(n.id, []).forEach((x) => names.add(x));
  }
  return names;
}

const refersTo = (ctx: AnalysisContext, node: t.Node, names: Set<string>): boolean =>
  [...identifierNames(ctx, node)].some((n) => names.has(n));

const mentionsColumn = (text: string, column: string): boolean => new RegExp(`\\b${column}\\b`, 'i').test(text);

/** The JavaScript check on the value read, closest to the UPDATE. */
function findCheck(
  ctx: AnalysisContext,
  scope: t.Node[],
  select: QueryCall,
  update: QueryCall,
  names: Set<string>,
  column: string,
): t.IfStatement | undefined {
  let found: t.IfStatement | undefined;
  for (const n of scope) {
    if (n.type !== 'IfStatement' || n.start! < select.call.end! || n.start! > update.call.start!) continue;
    if (refersTo(ctx, n.test, names) && mentionsColumn(sourceOf(ctx, n.test), column)) found = n;
  }
  return found;
}

/** `row.stock - qty` (possibly through `const next = …`) → { op: '-', delta: qty }. */
function decompose(
  ctx: AnalysisContext,
  param: t.Node,
  names: Set<string>,
  column: string,
  scope: t.Node[],
): { op: '-' | '+'; delta: t.Node } | undefined {
  let expr = unwrapExpression(param);
  if (expr.type === 'Identifier') {
    const name = expr.name;
    const decl = scope.find(
      (n): n is t.VariableDeclarator => n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === name && !!n.init,
    );
    if (decl?.init) expr = unwrapExpression(decl.init);
  }
  if (expr.type !== 'BinaryExpression' || (expr.operator !== '-' && expr.operator !== '+')) return undefined;
  const left = expr.left;
  const right = expr.right;
  const leftIsColumn = refersTo(ctx, left, names) && mentionsColumn(sourceOf(ctx, left), column);
  if (leftIsColumn && !refersTo(ctx, right, names)) return { op: expr.operator, delta: right };
  // `qty + row.count` reads the same for '+'.
  if (expr.operator === '+' && refersTo(ctx, right, names) && mentionsColumn(sourceOf(ctx, right), column) && !refersTo(ctx, left, names)) {
    return { op: '+', delta: left };
  }
  return undefined;
}

/** What the code did when its check failed, to run when the guarded UPDATE matches no row. */
function failureBranch(ctx: AnalysisContext, check: t.IfStatement | undefined, update: QueryCall, indent: string, column: string): string {
  const { style } = ctx;
  const fromIndent = check ? indentAt(ctx.text, check.start!) : indent;
  const copy = (node: t.Node): string => reindent(sourceOf(ctx, node), fromIndent, indent);
  if (check) {
    const updateInside = contains(check.consequent, update.call);
    if (!updateInside && terminates(check.consequent)) return copy(check.consequent);
    if (updateInside && check.alternate && terminates(check.alternate)) return copy(check.alternate);
    if (updateInside) {
      const parent = ctx.parentOf(check);
      if (parent && (parent.type === 'BlockStatement' || parent.type === 'Program')) {
        const next = parent.body[parent.body.indexOf(check as t.Statement) + 1];
        if (next && terminates(next)) return `{${style.eol}${indent}${style.indentUnit}${copy(next)}${style.eol}${indent}}`;
      }
    }
  }
  const message = quoted(style, `Not enough ${column}: it changed concurrently`);
  return `{${style.eol}${indent}${style.indentUnit}throw new Error(${message})${semi(style)}${style.eol}${indent}}`;
}

/** `await x.query(UPDATE…)` as a statement or `const r = await …`: where to read rowCount. */
function rowCountHook(ctx: AnalysisContext, update: QueryCall): { name: string; edits: TextEdit[]; stmt: t.Statement } | undefined {
  const stmt = enclosingStatement(ctx, update.call);
  if (!stmt) return undefined;
  const awaited = (e: t.Node | null | undefined) =>
    !!e && unwrapExpression(e).type === 'AwaitExpression' && (unwrapExpression(e) as t.AwaitExpression).argument === update.call;
  if (stmt.type === 'ExpressionStatement' && awaited(stmt.expression)) {
    const name = freshName(ctx, ['result', 'updateResult', 'updated']);
    return { name, edits: [insertAt(stmt.start!, `const ${name} = `)], stmt };
  }
  if (stmt.type === 'VariableDeclaration' && stmt.declarations.length === 1) {
    const d = stmt.declarations[0];
    if (d.id.type === 'Identifier' && awaited(d.init)) return { name: d.id.name, edits: [], stmt };
  }
  return undefined;
}

function guardEdits(update: Shaped<UpdateShape>, column: string, amount: string): (TextEdit | undefined)[] {
  const { sql } = update.q;
  const { shape } = update;
  if (shape.where === undefined || shape.whereStart === undefined) {
    return [sqlInsertEdit(sql, shape.clauseEnd, ` WHERE ${column} >= ${amount}`)];
  }
  if (/\bor\b/i.test(shape.where)) {
    const lead = /^\s*/.exec(shape.where)![0].length;
    return [sqlInsertEdit(sql, shape.whereStart + lead, '('), sqlInsertEdit(sql, shape.clauseEnd, `) AND ${column} >= ${amount}`)];
  }
  return [sqlInsertEdit(sql, shape.clauseEnd, ` AND ${column} >= ${amount}`)];
}

function lockFix(scope: t.Node[], select: Shaped<SelectShape>, all: Shaped<ReturnType<typeof sqlShape>>[]) {
  const inTransaction = all.some(
    (o) =>
      o.shape.kind === 'begin' && o.q.receiver === select.q.receiver && o.q.call.end! < select.q.call.start! && scope.includes(o.q.call),
  );
  if (!inTransaction) return undefined;
  const end = select.q.sql.sql.replace(/[\s;]+$/, '').length;
  return fix('Lock the row: SELECT … FOR UPDATE inside the transaction', false, [sqlInsertEdit(select.q.sql, end, ' FOR UPDATE')]);
}

function check(ctx: AnalysisContext): RawFinding[] {
  const all = allQueryCalls(ctx).map((q) => ({ q, shape: sqlShape(q.sql.sql) }));
  const findings: RawFinding[] = [];
  for (const u of all) {
    if (u.shape.kind !== 'update') continue;
    const update = u as Shaped<UpdateShape>;
    const fn = enclosingFunction(ctx, update.q.call);
    if (!fn) continue;
    const scope = nodesOfFunction(ctx, fn);
    if (/serializable|repeatable\s+read/i.test(sourceOf(ctx, fn))) continue;
    const selects = all.filter(
      (s): s is Shaped<SelectShape> =>
        s.shape.kind === 'select' &&
        !s.shape.locked &&
        s.shape.table === update.shape.table &&
        s.q.call.end! < update.q.call.start! &&
        enclosingFunction(ctx, s.q.call) === fn,
    );
    const finding = selects
      .reverse()
      .map((s) => analysePair(ctx, scope, s, update, all))
      .find((f) => f !== undefined);
    if (finding) findings.push(finding);
  }
  return findings;
}

function analysePair(
  ctx: AnalysisContext,
  scope: t.Node[],
  select: Shaped<SelectShape>,
  update: Shaped<UpdateShape>,
  all: Shaped<ReturnType<typeof sqlShape>>[],
): RawFinding | undefined {
  const names = readBindings(ctx, select.q, scope, update.q.call.start!);
  if (names.size === 0) return undefined;
  const { style } = ctx;
  for (const a of update.shape.assignments) {
    const column = a.column;
    if (select.shape.columns !== '*' && !select.shape.columns.includes(column)) continue;
    const check = findCheck(ctx, scope, select.q, update.q, names, column);
    const whereRepeats = update.shape.where !== undefined && mentionsColumn(update.shape.where, column);
    const relative = new RegExp(`^"?${column}"?\\s*([-+])\\s*(\\$\\d+|\\d+)$`, 'i').exec(a.expr);
    const param = /^\$(\d+)$/.exec(a.expr);
    let kind: 'check-then-act' | 'lost-update' | undefined;
    let amount: string | undefined;
    const edits: (TextEdit | undefined)[] = [];
    if (relative && relative[1] === '-' && check && !whereRepeats) {
      kind = 'check-then-act';
      amount = relative[2];
    } else if (param && update.q.params) {
      const element = update.q.params.elements[Number(param[1]) - 1];
      if (!element || !refersTo(ctx, element, names)) continue;
      kind = 'lost-update';
      const parts = decompose(ctx, element, names, column, scope);
      if (parts) {
        edits.push(sqlReplaceEdit(update.q.sql, a.exprStart, a.exprStart + a.expr.length, `${column} ${parts.op} $${param[1]}`));
        edits.push(replace(element, sourceOf(ctx, parts.delta)));
        if (parts.op === '-' && check && !whereRepeats) amount = `$${param[1]}`;
      } else {
        edits.push(undefined);
      }
    }
    if (!kind) continue;
    let atomic;
    if (amount) {
      const hook = rowCountHook(ctx, update.q);
      if (hook) {
        const indent = indentAt(ctx.text, hook.stmt.start!);
        const branch = failureBranch(ctx, check, update.q, indent, column);
        atomic = fix(
          `Make it atomic: UPDATE … SET ${column} = ${column} - ${amount} WHERE … AND ${column} >= ${amount}, and handle rowCount 0`,
          false,
          [
            ...edits,
            ...guardEdits(update, column, amount),
            ...hook.edits,
            insertAt(hook.stmt.end!, `${style.eol}${indent}if (${hook.name}.rowCount === 0) ${branch}`),
          ],
        );
      }
    } else if (kind === 'lost-update') {
      atomic = fix(`Make it atomic: let the database compute ${column} in the UPDATE`, false, edits);
    }
    const message =
      kind === 'check-then-act'
        ? `read-then-write: "${column}" is read by a SELECT, checked in JavaScript, then changed by an UPDATE whose WHERE does not repeat the check, with no row lock. ` +
          `Concurrent requests both pass the check on the same old value and both write: ${column} goes past what the check allowed (negative stock, or PostgreSQL error 23514 from a CHECK constraint). ` +
          `Put the check in the UPDATE (… AND ${column} >= ${amount}) and treat rowCount 0 as the failed check, or lock the row with SELECT … FOR UPDATE in a transaction.`
        : `read-then-write (lost update): "${column}" is read by a SELECT, recomputed in JavaScript and written back with SET ${column} = ${a.expr}, with no row lock. ` +
          `Two concurrent requests read the same old value and the later write silently discards the earlier one. ` +
          `Let the database compute it in one statement (SET ${column} = ${column} ± $n), or lock the row with SELECT … FOR UPDATE in a transaction.`;
    return { node: update.q.call, message, fixes: fixes(atomic, lockFix(scope, select, all)) };
  }
  return undefined;
}

export const readThenWrite: Rule = {
  id: 'read-then-write',
  title: 'Read-then-write without a lock',
  defaultSeverity: 'error',
  check,
};
