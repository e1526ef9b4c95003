// pool-client-leak: `const client = await pool.connect()` whose release is not in a
// `finally` (also through a getClient() wrapper, with a connect callback, or in a
// `.then(client => …)`). Any throw, early return or failed query between the two keeps the client
// checked out for good; after `max` of them the pool has nothing left to hand out.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import {
  ancestors,
  contains,
  enclosingFunction,
  enclosingStatement,
  memberPath,
  methodCall,
  nodesWithin,
  sourceOf,
  unwrapExpression,
} from '../ast';
import { checksOutClient, escapes, inFinally, poolClientWrappers } from '../poolClients';
import { callbackStyleLeaks } from './poolCallbacks';
import { followingStatements, moduleBindings, wrapInTryFinally } from '../blocks';
import { fix, fixes, type RawFinding, type Rule } from '../rule';
import { semi } from '../style';

interface Release {
  call: t.CallExpression;
  stmt?: t.Statement;
}

function releasesOf(ctx: AnalysisContext, scope: t.Node, name: string): Release[] {
  return nodesWithin(ctx, scope).flatMap((n) => {
    const m = methodCall(n);
    if (!m || m.method !== 'release' || memberPath(m.receiver) !== name) return [];
    return [{ call: m.call, stmt: enclosingStatement(ctx, m.call) }];
  });
}

/** `try { … } catch (e) { client.release(); throw e }` followed by a release: released on both paths. */
const inCatch = (ctx: AnalysisContext, node: t.Node): boolean => {
  for (let p = ctx.parentOf(node); p; p = ctx.parentOf(p)) if (p.type === 'CatchClause') return true;
  return false;
};

function whyLeaks(ctx: AnalysisContext, fn: t.Node, from: number, releases: Release[]): string {
  if (releases.length === 0) return 'it is never released';
  const until = Math.min(...releases.map((r) => r.call.start!));
  const between = nodesWithin(ctx, fn).filter((n) => n.start! > from && n.start! < until);
  const exit = between.find((n) => n.type === 'ThrowStatement' || n.type === 'ReturnStatement');
  if (exit)
    return `the ${exit.type === 'ThrowStatement' ? 'throw' : 'return'} on line ${exit.loc!.start.line} leaves before client.release() runs`;
  return 'a query or anything else between connect() and release() throws';
}

/**
 * `const client = await pool.connect(); if (!id) return null; try { … } finally { release }`:
 * a return or throw between connect() and the try that releases leaves with the client.
 */
function exitBeforeFinally(ctx: AnalysisContext, fn: t.Node, connect: t.Statement, releases: Release[]): t.Node | undefined {
  const tries = releases.flatMap((r) =>
    ancestors(ctx, r.call).filter((a): a is t.TryStatement => a.type === 'TryStatement' && !!a.finalizer && contains(a.finalizer, r.call)),
  );
  if (tries.length === 0) return undefined;
  const until = Math.min(...tries.map((x) => x.start!));
  return nodesWithin(ctx, fn).find(
    (x) =>
      (x.type === 'ReturnStatement' || x.type === 'ThrowStatement') &&
      x.start! > connect.end! &&
      x.start! < until &&
      enclosingFunction(ctx, x) === fn,
  );
}

function earlyExitMessage(ctx: AnalysisContext, connect: t.Node, name: string, exit: t.Node): string {
  return (
    `pool-client-leak: the client from ${sourceOf(ctx, connect)} is released in a finally, but the ${exit.type === 'ThrowStatement' ? 'throw' : 'return'} on line ${exit.loc!.start.line} leaves before that try begins, so the client stays checked out. ` +
    "Each such call holds one of the pool's connections for good; once max of them are gone every pool.connect() and pool.query() waits until it times out. " +
    `Start the try right after connect(), or check before connecting, so every path reaches ${name}.release().`
  );
}

function check(ctx: AnalysisContext): RawFinding[] {
  const modules = moduleBindings(ctx);
  const wrappers = poolClientWrappers(ctx, modules);
  const findings: RawFinding[] = callbackStyleLeaks(ctx, modules);
  for (const n of ctx.nodes) {
    if (!checksOutClient(ctx, n, modules, wrappers)) continue;
    const awaited = ctx.parentOf(n);
    const declarator = awaited && ctx.parentOf(awaited);
    if (awaited?.type !== 'AwaitExpression' || declarator?.type !== 'VariableDeclarator' || declarator.id.type !== 'Identifier') continue;
    const name = declarator.id.name;
    const fn = enclosingFunction(ctx, n);
    const stmt = enclosingStatement(ctx, n);
    if (!fn || !stmt) continue;
    if (escapes(ctx, fn, name, declarator)) continue;
    const releases = releasesOf(ctx, fn, name);
    // Released by a callback (client.query(sql, (err) => { client.release() })): not ours to judge.
    if (releases.some((r) => enclosingFunction(ctx, r.call) !== fn)) continue;
    if (releases.some((r) => inFinally(ctx, r.call))) {
      const early = exitBeforeFinally(ctx, fn, stmt, releases);
      if (early) findings.push({ node: n, message: earlyExitMessage(ctx, n, name, early), fixes: [] });
      continue;
    }
    if (releases.some((r) => inCatch(ctx, r.call)) && releases.some((r) => !inCatch(ctx, r.call))) continue;
    const why = whyLeaks(ctx, fn, stmt.end!, releases);
    const message =
      `pool-client-leak: the client from ${sourceOf(ctx, n)} is not released on every path: when ${why}, it stays checked out. ` +
      'In production each such failure holds one of the pool\'s connections for good; once max of them are gone every pool.connect() and pool.query() waits until it times out ("timeout exceeded when trying to connect") and the service stops answering. ' +
      `Release it in finally: try { … } finally { ${name}.release() }.`;
    findings.push({ node: n, message, fixes: fixes(tryFinally(ctx, stmt, name, releases)) });
  }
  return findings;
}

function tryFinally(ctx: AnalysisContext, stmt: t.Statement, name: string, releases: Release[]) {
  const following = followingStatements(ctx, stmt);
  if (!following || following.rest.length === 0) return undefined;
  const removable = releases.filter(
    (r) =>
      r.stmt?.type === 'ExpressionStatement' &&
      unwrapExpression(r.stmt.expression) === r.call &&
      ctx.parentOf(r.stmt)?.type === 'BlockStatement',
  );
  if (removable.length !== releases.length) return undefined;
  const edit = wrapInTryFinally(
    ctx,
    following.rest,
    [`${name}.release()${semi(ctx.style)}`],
    removable.map((r) => r.stmt!),
  );
  // Safe to apply unreviewed only when each release already ends its path (nothing but a
  // `return` after it): then, when nothing throws, the client is released exactly when it was.
  const endsItsPath = removable.every((r) => {
    const after = followingStatements(ctx, r.stmt!)?.rest ?? [];
    const inLoop = ancestors(ctx, r.stmt!).some((a) => /^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(a.type));
    return !inLoop && (after.length === 0 || (after.length === 1 && after[0].type === 'ReturnStatement'));
  });
  return fix(`Release the client in finally: try { … } finally { ${name}.release() }`, endsItsPath, [edit]);
}

export const poolClientLeak: Rule = {
  id: 'pool-client-leak',
  title: 'Pool client not released on every path',
  defaultSeverity: 'error',
  check,
};
