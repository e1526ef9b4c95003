// unbounded-retry: a loop (or a function calling itself from its catch) that retries a
// failing call with no cap on attempts. When the other side is down or rate-limiting,
// every caller retries at once and forever: the retry storm that keeps it down.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import {
  enclosingFunction,
  freshName,
  identifierNames,
  isAsyncFunction,
  nodesWithin,
  sourceOf,
  terminates,
  unwrapExpression,
  type FunctionNode,
} from '../ast';
import { functionBindings, insertStatementBefore, spanNode } from '../blocks';
import { functionName } from '../cleanup';
import { fix, fixes, insertAt, type RawFinding, type Rule } from '../rule';
import { semi } from '../style';

type Loop = t.WhileStatement | t.DoWhileStatement | t.ForStatement;

const MAX_ATTEMPTS = 5;
const RELATIONAL = new Set(['<', '<=', '>', '>=', '===', '==', '!==', '!=']);
// `res.ok`, `res.status >= 500`, `err`: a check on how the attempt went (not a poll's `job.status === 'done'`).
const FAILURE_TEST = /\.ok\b|\.status(Code)?\s*[<>=!]=?=?\s*\d|\berr(or)?\b/;
const BACKOFF_CALL = /sleep|delay|wait|backoff|setTimeout|timeout|pause/i;

/** Nodes of the loop that run in the loop's own function (callbacks excluded). */
function own(ctx: AnalysisContext, node: t.Node): t.Node[] {
  const fn = enclosingFunction(ctx, node);
  return nodesWithin(ctx, node).filter((n) => enclosingFunction(ctx, n) === fn);
}

const alwaysTrue = (test: t.Node | null | undefined): boolean => {
  if (!test) return true;
  const e = unwrapExpression(test);
  return (e.type === 'BooleanLiteral' && e.value) || (e.type === 'NumericLiteral' && e.value !== 0);
};

/** `while (!delivered)`: a flag the body sets on success. */
const flagOf = (test: t.Node | null | undefined): string | undefined => {
  if (!test) return undefined;
  const e = unwrapExpression(test);
  if (e.type === 'Identifier') return e.name;
  if (e.type === 'UnaryExpression' && e.operator === '!' && e.argument.type === 'Identifier') return e.argument.name;
  return undefined;
};

function counters(nodes: t.Node[]): Set<string> {
  const names = new Set<string>();
  for (const n of nodes) {
    if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier') names.add(n.argument.name);
    if (n.type === 'AssignmentExpression' && (n.operator === '+=' || n.operator === '-=') && n.left.type === 'Identifier')
      names.add(n.left.name);
  }
  return names;
}

/** A comparison against a counter or the clock: the loop stops after N attempts or a deadline. */
function capped(ctx: AnalysisContext, nodes: t.Node[], counted: Set<string>): boolean {
  return nodes.some(
    (n) =>
      n.type === 'BinaryExpression' &&
      RELATIONAL.has(n.operator) &&
      ([...identifierNames(ctx, n)].some((x) => counted.has(x)) || /\b(Date\.now|performance\.now)\(|deadline/i.test(sourceOf(ctx, n))),
  );
}

const backsOff = (ctx: AnalysisContext, nodes: t.Node[]): boolean =>
  nodes.some((n) => n.type === 'AwaitExpression' && BACKOFF_CALL.test(sourceOf(ctx, n.argument)));

/**
 * Something in the loop says an attempt failed and the loop goes on: a catch that does not
 * leave, an Error built but not thrown (reported), a failure check (`!res.ok`, `err`).
 */
const retrySignal = (ctx: AnalysisContext, nodes: t.Node[]): boolean =>
  nodes.some(
    (n) =>
      (n.type === 'TryStatement' && !!n.handler && !terminates(n.handler.body) && !catchLeadsOut(ctx, n.handler, nodes)) ||
      (n.type === 'NewExpression' && /Error$/.test(sourceOf(ctx, n.callee)) && ctx.parentOf(n)?.type !== 'ThrowStatement') ||
      (n.type === 'IfStatement' && FAILURE_TEST.test(sourceOf(ctx, n.test))),
  );

/**
 * `catch (err) { failed = true }` … `if (failed) return`: the caught error is recorded and
 * the loop leaves on it, so the failed operation is not repeated.
 */
function catchLeadsOut(ctx: AnalysisContext, handler: t.CatchClause, nodes: t.Node[]): boolean {
  const recorded = new Set<string>();
  for (const n of nodesWithin(ctx, handler.body))
    if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') recorded.add(n.left.name);
  return nodes.some(
    (n) =>
      n.type === 'IfStatement' &&
      n.start! > handler.end! &&
      terminates(n.consequent) &&
      [...identifierNames(ctx, n.test)].some((x) => recorded.has(x)),
  );
}

/** Methods that consume a stream or an iterator: each turn gets the next chunk, so the loop makes progress. */
const READ_METHOD = /^(read|next|pull|readLine|recv|receive)$/;

/** `const { done, value } = await reader.read()`: a read loop, not a retry of a failed call. */
const readsNext = (nodes: t.Node[]): boolean =>
  nodes.some((n) => {
    if (n.type !== 'AwaitExpression') return false;
    const call = unwrapExpression(n.argument);
    return (
      call.type === 'CallExpression' &&
      call.callee.type === 'MemberExpression' &&
      call.callee.property.type === 'Identifier' &&
      READ_METHOD.test(call.callee.property.name)
    );
  });

function successExit(ctx: AnalysisContext, loop: Loop, nodes: t.Node[]): boolean {
  const flag = flagOf(loop.test);
  if (flag && nodes.some((n) => n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === flag)) return true;
  return nodes.some(
    (n) => n.type === 'ReturnStatement' || (n.type === 'BreakStatement' && !n.label && innermostBreakable(ctx, n) === loop),
  );
}

function innermostBreakable(ctx: AnalysisContext, node: t.Node): t.Node | undefined {
  for (let p = ctx.parentOf(node); p; p = ctx.parentOf(p)) {
    if (/^(While|DoWhile|For|ForIn|ForOf)Statement$|^SwitchStatement$/.test(p.type)) return p;
  }
  return undefined;
}

function backoffLine(ctx: AnalysisContext, counter: string): string {
  return `if (${counter} > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** ${counter} * 100, 10000) * (0.5 + Math.random() / 2)))${semi(ctx.style)}`;
}

function capLine(ctx: AnalysisContext, counter: string, failure: string): string {
  return `if (${counter} >= ${MAX_ATTEMPTS}) throw ${failure}${semi(ctx.style)}`;
}

/** `attempt++` as the loop's first statement, counting from a literal set before the loop: the count to cap. */
function existingCounter(ctx: AnalysisContext, loop: Loop): string | undefined {
  if (loop.body.type !== 'BlockStatement') return undefined;
  const first = loop.body.body[0];
  const update = first?.type === 'ExpressionStatement' ? unwrapExpression(first.expression) : undefined;
  if (update?.type !== 'UpdateExpression' || update.operator !== '++' || update.argument.type !== 'Identifier') return undefined;
  const name = update.argument.name;
  const declared = ctx.nodes.some(
    (n) =>
      n.type === 'VariableDeclarator' &&
      n.id.type === 'Identifier' &&
      n.id.name === name &&
      n.init?.type === 'NumericLiteral' &&
      n.init.value === 0 &&
      n.end! < loop.start!,
  );
  return declared ? name : undefined;
}

function loopFix(ctx: AnalysisContext, loop: Loop, hasBackoff: boolean) {
  if (loop.body.type !== 'BlockStatement') return undefined;
  const fn = enclosingFunction(ctx, loop);
  if (!isAsyncFunction(fn) && !hasBackoff) return undefined;
  const { style } = ctx;
  const reused = existingCounter(ctx, loop);
  const counter = reused ?? freshName(ctx, ['attempts', 'retryAttempts']);
  const first = loop.body.body[0];
  const holder = ctx.parentOf(loop)?.type === 'LabeledStatement' ? ctx.parentOf(loop)! : loop;
  // Checked before the count goes up, so `counter` is the number of attempts already made.
  const lines = [
    capLine(ctx, counter, `new Error(\`gave up after \${${counter}} attempts\`)`),
    ...(hasBackoff ? [] : [backoffLine(ctx, counter)]),
    ...(reused ? [] : [`${counter}++${semi(style)}`]),
  ];
  const bodyEdits = first
    ? lines.map((l) => insertStatementBefore(ctx, first, l))
    : [insertAt(loop.body.start! + 1, lines.map((l) => `${style.eol}${l}`).join(''))];
  const declare = reused ? [] : [insertStatementBefore(ctx, holder, `let ${counter} = 0${semi(style)}`)];
  return fix(`Cap the retries at ${MAX_ATTEMPTS} attempts${hasBackoff ? '' : ' with exponential backoff and jitter'}`, false, [
    ...declare,
    ...bodyEdits,
  ]);
}

function checkLoops(ctx: AnalysisContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const n of ctx.nodes) {
    if (n.type !== 'WhileStatement' && n.type !== 'DoWhileStatement' && n.type !== 'ForStatement') continue;
    const loop = n;
    if (!alwaysTrue(loop.test) && !flagOf(loop.test)) continue;
    const nodes = own(ctx, loop);
    if (!nodes.some((x) => x.type === 'AwaitExpression') || !successExit(ctx, loop, nodes) || !retrySignal(ctx, nodes)) continue;
    if (readsNext(nodes)) continue;
    const loopNodes = loop.type === 'ForStatement' ? [...nodes, ...(loop.update ? [loop.update] : [])] : nodes;
    if (capped(ctx, loopNodes, counters(loopNodes))) continue;
    const hasBackoff = backsOff(ctx, nodes);
    const header = loop.type === 'DoWhileStatement' ? loop.start! + 2 : loop.body.start!;
    const message =
      `unbounded-retry: this loop retries until the call succeeds, with no cap on attempts${hasBackoff ? '' : ' and no delay between them'}. ` +
      'When the other side is down or answering 429/503, every caller keeps retrying at once and forever: the retry storm multiplies the load that made it fail, floods the error tracker and never gives the request back. ' +
      `Cap the attempts (e.g. ${MAX_ATTEMPTS}) and wait with exponential backoff and jitter between them, then fail or queue the work for later.`;
    out.push({
      node: spanNode(ctx, loop.start!, ctx.text.slice(0, header).trimEnd().length),
      message,
      fixes: fixes(loopFix(ctx, loop, hasBackoff)),
    });
  }
  return out;
}

/** `async function send(x) { try { … } catch (err) { return send(x) } }` with no attempt parameter compared. */
function checkRecursion(ctx: AnalysisContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const n of ctx.nodes) {
    if (n.type !== 'CallExpression' || n.callee.type !== 'Identifier') continue;
    const fn = enclosingFunction(ctx, n);
    if (!fn || functionName(ctx, fn) !== n.callee.name) continue;
    // `const stringify = fallback || …; stringify(obj)` inside stringify(): a local of the same name, not a call to itself.
    const callee = n.callee.name;
    if (enclosingFunctionsOf(ctx, n, fn).some((f) => functionBindings(ctx, f).has(callee))) continue;
    const catchClause = ancestorCatch(ctx, n, fn);
    if (!catchClause) continue;
    const params = new Set(
      fn.params.flatMap((p) =>
        p.type === 'Identifier' ? [p.name] : p.type === 'AssignmentPattern' && p.left.type === 'Identifier' ? [p.left.name] : [],
      ),
    );
    if (capped(ctx, nodesWithin(ctx, fn), params)) continue;
    const message =
      `unbounded-retry: ${n.callee.name}() calls itself from its catch with nothing counting the attempts, so a failure that persists retries forever${backsOff(ctx, nodesWithin(ctx, fn)) ? '' : ', immediately'}. ` +
      'Against a service that is down or rate-limiting, every caller does the same: the retry storm keeps it down and the call never returns. ' +
      `Pass an attempt number, stop after ${MAX_ATTEMPTS} and back off exponentially with jitter.`;
    out.push({ node: n, message, fixes: fixes(recursionFix(ctx, fn, n, catchClause)) });
  }
  return out;
}

/** The functions from `node` out to `fn` (inclusive). */
function enclosingFunctionsOf(ctx: AnalysisContext, node: t.Node, fn: FunctionNode): FunctionNode[] {
  const out: FunctionNode[] = [];
  for (let f = enclosingFunction(ctx, node); f; f = enclosingFunction(ctx, f)) {
    out.push(f);
    if (f === fn) break;
  }
  return out;
}

function ancestorCatch(ctx: AnalysisContext, node: t.Node, fn: FunctionNode): t.CatchClause | undefined {
  for (let p = ctx.parentOf(node); p && p !== fn; p = ctx.parentOf(p)) if (p.type === 'CatchClause') return p;
  return undefined;
}

function recursionFix(ctx: AnalysisContext, fn: FunctionNode, call: t.CallExpression, clause: t.CatchClause) {
  if (!isAsyncFunction(fn) || call.arguments.length !== fn.params.length || fn.params.some((p) => p.type === 'RestElement'))
    return undefined;
  const stmt = ctx.parentOf(call)?.type === 'AwaitExpression' ? ctx.parentOf(ctx.parentOf(call)!) : ctx.parentOf(call);
  const holder = stmt?.type === 'ExpressionStatement' || stmt?.type === 'ReturnStatement' ? stmt : undefined;
  if (!holder || ctx.parentOf(holder)?.type !== 'BlockStatement') return undefined;
  const counter = freshName(ctx, ['attempt', 'retryAttempt']);
  const failure = clause.param?.type === 'Identifier' ? clause.param.name : `new Error(\`gave up after \${${counter}} attempts\`)`;
  const lastParam = fn.params[fn.params.length - 1];
  const paramEdit = lastParam
    ? insertAt(lastParam.end!, `, ${counter} = 1`)
    : insertAt(sourceOf(ctx, fn).indexOf('(') + fn.start! + 1, `${counter} = 1`);
  const argEdit = insertAt(call.end! - 1, `${call.arguments.length ? ', ' : ''}${counter} + 1`);
  return fix(`Cap the retries at ${MAX_ATTEMPTS} attempts with exponential backoff and jitter`, false, [
    paramEdit,
    insertStatementBefore(ctx, holder, capLine(ctx, counter, failure)),
    insertStatementBefore(
      ctx,
      holder,
      `await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** ${counter} * 100, 10000) * (0.5 + Math.random() / 2)))${semi(ctx.style)}`,
    ),
    argEdit,
  ]);
}

export const unboundedRetry: Rule = {
  id: 'unbounded-retry',
  title: 'Retry without a cap',
  defaultSeverity: 'warning',
  check: (ctx) => [...checkLoops(ctx), ...checkRecursion(ctx)],
};
