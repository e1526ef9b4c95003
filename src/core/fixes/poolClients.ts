// Where a pooled client comes from: `pool.connect()` on a receiver named like a pool or
// bound to `new Pool(…)`, or a wrapper function (declared in this file or imported from
// the same package) whose every return is such a call, e.g.
// `async function getClient() { return pool.connect() }`.
import type * as t from '@babel/types';
import type { AnalysisContext } from './context';
import { createContext } from './context';
import {
  contains,
  enclosingFunction,
  isFunction,
  memberPath,
  methodCall,
  nodesWithin,
  sourceOf,
  unwrapExpression,
  type FunctionNode,
} from './ast';
import { moduleBindings } from './blocks';
import { exportedNames, importedNames, type ModuleSummary } from './imports';

/** `pool.connect(…)` with `args` arguments where the receiver is named like a pool or bound to `new Pool(…)`. */
export function isPoolConnectCall(ctx: AnalysisContext, node: t.Node, modules: Map<string, t.Node>, args = 0): node is t.CallExpression {
  const m = methodCall(node);
  if (!m || m.method !== 'connect' || m.call.arguments.length !== args) return false;
  const path = memberPath(m.receiver);
  if (!path) return false;
  if (/pool$/i.test(path.split('.').pop()!)) return true;
  const decl = modules.get(path);
  if (decl?.type !== 'VariableDeclarator' || !decl.init) return false;
  const init = unwrapExpression(decl.init);
  return init.type === 'NewExpression' && /(^|\.)Pool$/.test(sourceOf(ctx, init.callee));
}

const stripAwait = (n: t.Node): t.Node => {
  const u = unwrapExpression(n);
  return u.type === 'AwaitExpression' ? unwrapExpression(u.argument) : u;
};

/** Every way out of `fn` hands back a pool.connect() client (and there is at least one). */
function returnsPoolClient(ctx: AnalysisContext, fn: FunctionNode, modules: Map<string, t.Node>): boolean {
  if (fn.body.type !== 'BlockStatement') return isPoolConnectCall(ctx, stripAwait(fn.body), modules);
  const returns = nodesWithin(ctx, fn.body).filter(
    (n): n is t.ReturnStatement => n.type === 'ReturnStatement' && enclosingFunction(ctx, n) === fn,
  );
  return returns.length > 0 && returns.every((r) => !!r.argument && isPoolConnectCall(ctx, stripAwait(r.argument), modules));
}

/** Top-level functions of this file that return a pooled client: name → function. */
function localWrappers(ctx: AnalysisContext, modules: Map<string, t.Node>): Set<string> {
  const out = new Set<string>();
  if (!mentionsConnect(ctx.text)) return out;
  for (const [name, decl] of modules) {
    const fn =
      decl.type === 'FunctionDeclaration'
        ? decl
        : decl.type === 'VariableDeclarator' && decl.init
          ? unwrapExpression(decl.init)
          : undefined;
    if (fn && isFunction(fn) && returnsPoolClient(ctx, fn, modules)) out.add(name);
  }
  return out;
}

// Most modules never call connect(): skip parsing them (the cost is per imported file).
const mentionsConnect = (text: string) => /\.connect\s*\(/.test(text);

const wrapperSummary: ModuleSummary = (text, file) => {
  if (!mentionsConnect(text)) return new Set();
  const ctx = createContext(text, file);
  const modules = moduleBindings(ctx);
  return exportedNames(ctx.ast, localWrappers(ctx, modules), (value) => isFunction(value) && returnsPoolClient(ctx, value, modules));
};

/** Names that, called, hand out a pooled client: local wrappers and those imported from the same package. */
export function poolClientWrappers(ctx: AnalysisContext, modules: Map<string, t.Node>): Set<string> {
  return new Set([...localWrappers(ctx, modules), ...importedNames(ctx, wrapperSummary)]);
}

/** `pool.connect()`, or a call of a wrapper that returns its client. */
export function checksOutClient(
  ctx: AnalysisContext,
  node: t.Node,
  modules: Map<string, t.Node>,
  wrappers: Set<string>,
): node is t.CallExpression {
  const viaWrapper = node.type === 'CallExpression' && node.callee.type === 'Identifier' && wrappers.has(node.callee.name);
  return viaWrapper || isPoolConnectCall(ctx, node, modules);
}

/** Uses of `name` that hand the client to someone else (returned, stored, passed on). */
export function escapes(ctx: AnalysisContext, scope: t.Node, name: string, declarator: t.Node): boolean {
  for (const n of nodesWithin(ctx, scope)) {
    if (n.type !== 'Identifier' || n.name !== name || contains(declarator, n)) continue;
    const parent = ctx.parentOf(n);
    if (!parent) continue;
    if (parent.type === 'MemberExpression' && parent.object === n) continue;
    if (parent.type === 'ArrowFunctionExpression' && parent.body === n) return true;
    if (
      parent.type === 'ReturnStatement' ||
      parent.type === 'AssignmentExpression' ||
      parent.type === 'ArrayExpression' ||
      parent.type === 'ObjectProperty'
    )
      return true;
    if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.arguments.includes(n as t.Expression)) return true;
  }
  return false;
}

export const inFinally = (ctx: AnalysisContext, node: t.Node): boolean => {
  for (let child = node, p = ctx.parentOf(node); p; child = p, p = ctx.parentOf(p))
    if (p.type === 'TryStatement' && p.finalizer === child) return true;
  return false;
};
