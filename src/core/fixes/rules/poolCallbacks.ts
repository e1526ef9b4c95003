// pool-client-leak in the two older ways of checking out a client:
// `pool.connect((err, client, done) => …)` and `pool.connect().then((client) => …)`.
// The client leaks when nothing ever releases it, when a callback returns (or throws)
// before its own release, or when every release sits in a `.then(ok)` success handler, so a
// failed query skips it. No fix is offered: the rewrite depends on the callback's flow.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import {
  ancestors,
  contains,
  enclosingFunction,
  identifierNames,
  isFunction,
  memberPath,
  methodCall,
  nodesWithin,
  sourceOf,
  unwrapExpression,
  type FunctionNode,
} from '../ast';
import { escapes, inFinally, isPoolConnectCall } from '../poolClients';
import type { RawFinding } from '../rule';

interface Checkout {
  readonly connect: t.CallExpression;
  readonly callback: FunctionNode;
  readonly client: t.Identifier;
  /** The connect callback's first parameter: when it is set there is no client to release. */
  readonly err?: string;
  /** The connect callback's third parameter (`done`), which releases the client. */
  readonly release?: t.Identifier;
}

function checkouts(ctx: AnalysisContext, modules: Map<string, t.Node>): Checkout[] {
  const out: Checkout[] = [];
  for (const n of ctx.nodes) {
    if (isPoolConnectCall(ctx, n, modules, 1)) {
      const cb = unwrapExpression(n.arguments[0]);
      if (!isFunction(cb) || cb.params.length < 2) continue;
      const [err, client, release] = cb.params;
      if (err.type !== 'Identifier' || client.type !== 'Identifier' || (release && release.type !== 'Identifier')) continue;
      out.push({ connect: n, callback: cb, client, err: err.name, release: release as t.Identifier | undefined });
      continue;
    }
    const m = methodCall(n);
    if (!m || m.method !== 'then') continue;
    const connect = unwrapExpression(m.receiver);
    const cb = m.call.arguments[0] && unwrapExpression(m.call.arguments[0]);
    if (!cb || !isPoolConnectCall(ctx, connect, modules) || !isFunction(cb) || cb.params[0]?.type !== 'Identifier') continue;
    out.push({ connect, callback: cb, client: cb.params[0] });
  }
  return out;
}

/** `done()` / `client.release()` calls inside the callback, nested callbacks included. */
function releaseCalls(ctx: AnalysisContext, c: Checkout): t.CallExpression[] {
  return nodesWithin(ctx, c.callback.body).filter((n): n is t.CallExpression => {
    if (n.type !== 'CallExpression') return false;
    const callee = unwrapExpression(n.callee);
    if (c.release && callee.type === 'Identifier' && callee.name === c.release.name) return true;
    const m = methodCall(n);
    return !!m && m.method === 'release' && memberPath(m.receiver) === c.client.name;
  });
}

/** `done` used other than called (passed on, stored): someone else releases. */
function releaseHandedOn(ctx: AnalysisContext, c: Checkout): boolean {
  if (!c.release) return false;
  return nodesWithin(ctx, c.callback.body).some(
    (n) =>
      n.type === 'Identifier' &&
      n.name === c.release!.name &&
      !(ctx.parentOf(n)?.type === 'CallExpression' && (ctx.parentOf(n) as t.CallExpression).callee === n),
  );
}

/** `.then(ok)`'s ok handler: skipped when the promise before it rejects. */
function inSuccessHandlerOnly(ctx: AnalysisContext, call: t.Node, c: Checkout): boolean {
  for (let fn = enclosingFunction(ctx, call); fn && fn !== c.callback; fn = enclosingFunction(ctx, fn)) {
    const parent = ctx.parentOf(fn);
    const m = parent && methodCall(parent);
    if (m?.method === 'then' && m.call.arguments.length === 1 && m.call.arguments[0] === fn) return true;
  }
  return false;
}

/** `if (err) return cb(err)` on the connect callback's own error: no client was checked out. */
function connectErrorGuard(ctx: AnalysisContext, exit: t.Node, c: Checkout, fn: FunctionNode): boolean {
  if (fn !== c.callback || !c.err) return false;
  return ancestors(ctx, exit).some(
    (a) => a.type === 'IfStatement' && contains(a.consequent, exit) && identifierNames(ctx, a.test).has(c.err!),
  );
}

/** A return or throw that leaves a releasing function before its first release. */
function exitBeforeRelease(ctx: AnalysisContext, c: Checkout, releases: t.CallExpression[]): t.Node | undefined {
  const byFunction = new Map<FunctionNode, t.CallExpression[]>();
  for (const r of releases) {
    const fn = enclosingFunction(ctx, r)!;
    byFunction.set(fn, [...(byFunction.get(fn) ?? []), r]);
  }
  for (const [fn, mine] of byFunction) {
    const first = Math.min(...mine.map((r) => r.start!));
    const exit = nodesWithin(ctx, fn).find(
      (x) =>
        (x.type === 'ReturnStatement' || x.type === 'ThrowStatement') &&
        x.start! < first &&
        enclosingFunction(ctx, x) === fn &&
        !releases.some((r) => contains(x, r)) &&
        !connectErrorGuard(ctx, x, c, fn) &&
        !ancestors(ctx, x).some((a) => a.type === 'TryStatement' && !!a.finalizer && releases.some((r) => contains(a.finalizer!, r))),
    );
    if (exit) return exit;
  }
  return undefined;
}

const CONSEQUENCE =
  'Each such call holds one of the pool\'s connections for good; once max of them are gone every pool.connect() and pool.query() waits until it times out ("timeout exceeded when trying to connect") and the service stops answering. ';

export function callbackStyleLeaks(ctx: AnalysisContext, modules: Map<string, t.Node>): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const c of checkouts(ctx, modules)) {
    if (escapes(ctx, c.callback, c.client.name, c.client) || releaseHandedOn(ctx, c)) continue;
    const releases = releaseCalls(ctx, c);
    const how = c.release ? `${c.release.name}()` : `${c.client.name}.release()`;
    const from = sourceOf(ctx, c.connect.callee);
    if (releases.length === 0) {
      findings.push({
        node: c.connect,
        fixes: [],
        message: `pool-client-leak: the client that ${from}() hands to its callback is never released: nothing calls ${how}. ${CONSEQUENCE}Call ${how} once the client's work is done, on the error paths too.`,
      });
      continue;
    }
    if (releases.some((r) => inFinally(ctx, r))) continue;
    const exit = exitBeforeRelease(ctx, c, releases);
    if (exit) {
      const kind = exit.type === 'ThrowStatement' ? 'throw' : 'return';
      findings.push({
        node: exit,
        fixes: [],
        message: `pool-client-leak: this ${kind} leaves the callback before ${how} runs, so the client from ${from}() stays checked out on this path (typically a failed query). ${CONSEQUENCE}Call ${how} before leaving (pass the error to it: ${c.release ? `${c.release.name}(err)` : `${c.client.name}.release(err)`} discards a broken client).`,
      });
      continue;
    }
    if (releases.every((r) => inSuccessHandlerOnly(ctx, r, c))) {
      findings.push({
        node: c.connect,
        fixes: [],
        message: `pool-client-leak: the client from ${from}() is released only in a .then(…) success handler: when the query before it rejects, ${how} never runs and the client stays checked out. ${CONSEQUENCE}Release it in .finally(() => ${c.client.name}.release()), or use async/await with try { … } finally { ${c.client.name}.release() }.`,
      });
    }
  }
  return findings;
}
