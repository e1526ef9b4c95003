// floating-promise: inside an async function, a call that returns a promise used as a
// bare statement: not awaited, returned, stored or given a .catch. Its failure becomes an
// unhandled rejection (the process exits on Node ≥ 15) and its work races what follows.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import { enclosingFunction, isAsyncFunction, memberPath, methodCall, nodesWithin, sourceOf, unwrapExpression } from '../ast';
import { moduleBindings } from '../blocks';
import { importedAsyncNames } from '../imports';
import { functionName } from '../cleanup';
import { fix, fixes, insertAt, type RawFinding, type Rule } from '../rule';

// node-postgres, fetch and friends: calls known to return a promise whatever the file declares.
const PROMISE_METHODS =
  /^(query|connect|end|send|publish|sendMail|save|insertOne|updateOne|deleteOne|findOne|writeFile|readFile|unlink|mkdir|rm)$/;
const PROMISE_RECEIVERS = /(^|\.)(pool|client|db|knex|prisma|redis|fs\.promises|fsp|mailer|transporter|producer|queue)$/i;

/**
 * `async function pump() { try { … } catch (err) { report(err) } }`: the whole body is
 * one try whose catch does not throw, so its promise never rejects; calling it without
 * await is fire-and-forget by design, not a lost error.
 */
function neverRejects(ctx: AnalysisContext, fn: t.FunctionDeclaration): boolean {
  const body = fn.body.body.filter((s) => s.type !== 'EmptyStatement');
  const only = body.length === 1 ? body[0] : undefined;
  if (only?.type !== 'TryStatement' || !only.handler) return false;
  return !nodesWithin(ctx, only.handler.body).some((n) => n.type === 'ThrowStatement' && enclosingFunction(ctx, n) === fn);
}

/** Names of async functions declared in this file (declarations, async arrows, async methods). */
function asyncNames(ctx: AnalysisContext): Set<string> {
  const out = new Set<string>();
  for (const n of ctx.nodes) {
    if (n.type === 'FunctionDeclaration' && n.async && n.id && !neverRejects(ctx, n)) out.add(n.id.name);
    if (
      n.type === 'VariableDeclarator' &&
      n.id.type === 'Identifier' &&
      n.init &&
      /^(Arrow)?Function(Expression)?$/.test(n.init.type) &&
      (n.init as t.ArrowFunctionExpression).async
    )
      out.add(n.id.name);
    if ((n.type === 'ClassMethod' || n.type === 'ObjectMethod') && n.async && n.key.type === 'Identifier') out.add(`this.${n.key.name}`);
  }
  return out;
}

function returnsPromise(call: t.CallExpression, declared: Set<string>, modules: Map<string, t.Node>): boolean {
  const callee = unwrapExpression(call.callee);
  if (callee.type === 'Identifier') return declared.has(callee.name) || callee.name === 'fetch';
  const path = memberPath(callee);
  if (path && declared.has(path)) return true;
  const m = methodCall(call);
  if (!m || !PROMISE_METHODS.test(m.method)) return false;
  const receiver = memberPath(m.receiver) ?? '';
  return PROMISE_RECEIVERS.test(receiver) || (modules.has(receiver) && /pool|client/i.test(receiver));
}

/** `p.catch(…)` or `p.then(ok, fail)` handle the rejection; `.then(ok)` and `.finally` do not. */
function handled(call: t.CallExpression): boolean {
  const m = methodCall(call);
  if (!m) return false;
  return m.method === 'catch' || (m.method === 'then' && m.call.arguments.length >= 2);
}

/** The promise-returning call at the root of `x().then(…)` chains. */
function rootCall(node: t.CallExpression): t.CallExpression {
  let n: t.CallExpression = node;
  for (;;) {
    const m = methodCall(n);
    const inner = m && (m.method === 'then' || m.method === 'finally') ? unwrapExpression(m.receiver) : undefined;
    if (inner?.type !== 'CallExpression') return n;
    n = inner;
  }
}

/** The callee is an async function this file declares or imports from its own package. */
function knownAsync(call: t.CallExpression, known: Set<string>): boolean {
  const callee = unwrapExpression(call.callee);
  const path = callee.type === 'Identifier' ? callee.name : memberPath(callee);
  return !!path && known.has(path);
}

function check(ctx: AnalysisContext): RawFinding[] {
  const declared = asyncNames(ctx);
  const imported = importedAsyncNames(ctx);
  for (const name of imported) declared.add(name);
  const modules = moduleBindings(ctx);
  const findings: RawFinding[] = [];
  for (const n of ctx.nodes) {
    if (n.type !== 'ExpressionStatement') continue;
    const expr = unwrapExpression(n.expression);
    if (expr.type !== 'CallExpression' || handled(expr)) continue;
    const fn = enclosingFunction(ctx, n);
    if (!fn) continue;
    const root = rootCall(expr);
    // Outside an async function only an imported async function counts (a sync handler
    // calling one leaves the same unhandled rejection), never a guess from a name. Same-file
    // callees stay out here: libraries call their own self-handling async writers that way.
    const inAsync = isAsyncFunction(fn);
    if (inAsync ? !returnsPromise(root, declared, modules) : !knownAsync(root, imported)) continue;
    const name = functionName(ctx, fn);
    const message =
      `floating-promise: ${sourceOf(ctx, root.callee)}(…) returns a promise that ${name ? `${name}()` : 'this function'} neither awaits, returns nor handles. ` +
      "In production its failure is an unhandled rejection (Node ≥ 15 exits the process on it, taking every in-flight request down), its error never reaches this function's caller or error handler, and its work may finish after the response was sent, or not at all. " +
      'Await it; if it is meant to run in the background, say so with void and a .catch that reports the error.';
    const awaitFix = fix('Await it (waits where the call used to run on; review that the caller may wait)', false, [
      insertAt(n.start!, 'await '),
    ]);
    const background = fix('Run it in the background: void … .catch(report the error)', false, [
      insertAt(n.start!, 'void '),
      insertAt(expr.end!, `.catch((err) => console.error(${ctx.style.quote}${name ?? 'background task'} failed:${ctx.style.quote}, err))`),
    ]);
    findings.push({ node: expr, message, fixes: inAsync ? fixes(awaitFix, background) : fixes(background) });
  }
  return findings;
}

export const floatingPromise: Rule = {
  id: 'floating-promise',
  title: 'Promise neither awaited nor handled',
  defaultSeverity: 'warning',
  check,
};
