// Where a per-call subscription (a listener, an interval) can be undone: when the
// connection the call serves closes, or when the call itself finishes (finally). Used by
// listener-leak and interval-leak, which differ only in what they subscribe and undo.
import type * as t from '@babel/types';
import type { AnalysisContext } from './context';
import { isAsyncFunction, isFunction, nodesOfFunction, patternNames, type FunctionNode } from './ast';
import { followingStatements, insertStatementAfter, wrapInTryFinally } from './blocks';
import { quoted, semi } from './style';
import type { TextEdit } from './types';

export interface CleanupPlan {
  /** Completes "… and undo it <when>". */
  readonly when: string;
  readonly edits: TextEdit[];
}

// Parameters that name a per-connection object with a 'close' event (net/ws/http/streams).
const CLOSEABLE =
  /^(socket|sock|ws|websocket|conn|connection|client|stream|duplex|req|request|res|response|peer|channel|subscriber)$|(Socket|Connection|Stream)$/;

/** Names that say the function runs once per process, where a lasting subscription is intended. */
export const RUN_ONCE = /^(main|init|initiali[sz]e|setup|setUp|bootstrap|boot|start|configure|install|register|listen|run)([A-Z_]|$)/;

export function functionName(ctx: AnalysisContext, fn: FunctionNode): string | undefined {
  if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id) return fn.id.name;
  if ((fn.type === 'ClassMethod' || fn.type === 'ObjectMethod') && fn.key.type === 'Identifier') return fn.key.name;
  const parent = ctx.parentOf(fn);
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'ObjectProperty' && parent.key.type === 'Identifier') return parent.key.name;
  if (parent?.type === 'ClassProperty' && parent.key.type === 'Identifier') return parent.key.name;
  return undefined;
}

/**
 * Whether the function runs per request / connection / instance rather than once: it
 * takes arguments (a handler's req, socket, ctx…) or is a method, and neither it nor a
 * function around it is named like a one-time setup.
 */
/** Callbacks that run right away, during the call they are passed to. */
export const RUNS_NOW = /^(forEach|map|filter|reduce|reduceRight|some|every|flatMap|find|findIndex|sort)$/;

/**
 * `Object.keys(opts).forEach((k) => …)` or `(() => { … })()` at the top of a module: the
 * function runs while the module loads, once, however many parameters it has.
 */
function runsAtModuleLoad(ctx: AnalysisContext, outermost: FunctionNode): boolean {
  const parent = ctx.parentOf(outermost);
  if (parent?.type !== 'CallExpression') return false;
  const immediate =
    parent.callee === outermost ||
    (parent.arguments.includes(outermost as t.Expression) &&
      parent.callee.type === 'MemberExpression' &&
      parent.callee.property.type === 'Identifier' &&
      RUNS_NOW.test(parent.callee.property.name));
  if (!immediate) return false;
  for (let p = ctx.parentOf(parent); p; p = ctx.parentOf(p)) if (isFunction(p)) return false;
  return true;
}

export function runsPerCall(ctx: AnalysisContext, chain: readonly FunctionNode[]): boolean {
  if (chain.length === 0) return false;
  if (chain.some((f) => RUN_ONCE.test(functionName(ctx, f) ?? ''))) return false;
  if (runsAtModuleLoad(ctx, chain[chain.length - 1])) return false;
  const fn = chain[0];
  return fn.params.length > 0 || fn.type === 'ClassMethod' || fn.type === 'ClassPrivateMethod' || fn.type === 'ObjectMethod';
}

function closeableParam(fn: FunctionNode, exclude: string): string | undefined {
  for (const p of fn.params) {
    const names = patternNames(p as t.Node);
    const hit = names.find((n) => CLOSEABLE.test(n) && n !== exclude);
    if (hit && p.type === 'Identifier') return hit;
  }
  return undefined;
}

function awaitsAfter(ctx: AnalysisContext, fn: FunctionNode, offset: number): boolean {
  return nodesOfFunction(ctx, fn).some(
    (n) => (n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n.await)) && n.start! > offset,
  );
}

/**
 * The ways to run `undo` (an expression, no semicolon) at the end of what `stmt`
 * subscribed for. `receiverRoot` is the long-lived object, never the thing that closes.
 */
export function cleanupPlans(ctx: AnalysisContext, fn: FunctionNode, stmt: t.Statement, undo: string, receiverRoot: string): CleanupPlan[] {
  const plans: CleanupPlan[] = [];
  const closeable = closeableParam(fn, receiverRoot);
  if (closeable) {
    plans.push({
      when: `when ${closeable} closes`,
      edits: [insertStatementAfter(ctx, stmt, `${closeable}.on(${quoted(ctx.style, 'close')}, () => ${undo})${semi(ctx.style)}`)],
    });
  }
  const following = followingStatements(ctx, stmt);
  const inBody = following && following.block === fn.body;
  if (inBody && following.rest.length > 0 && isAsyncFunction(fn) && awaitsAfter(ctx, fn, stmt.end!)) {
    plans.push({
      when: `in a finally when ${functionNameOr(ctx, fn)} completes`,
      edits: [wrapInTryFinally(ctx, following.rest, [`${undo}${semi(ctx.style)}`])],
    });
  }
  return plans;
}

function functionNameOr(ctx: AnalysisContext, fn: FunctionNode): string {
  const name = functionName(ctx, fn);
  return name ? `${name}()` : 'the call';
}
