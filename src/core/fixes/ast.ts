// Small questions asked of the Babel tree by several rules: enclosing function and
// statement, identifiers referenced, callee names, source text of a node.
import type * as t from '@babel/types';
import type { AnalysisContext } from './context';

export type FunctionNode =
  t.FunctionDeclaration | t.FunctionExpression | t.ArrowFunctionExpression | t.ObjectMethod | t.ClassMethod | t.ClassPrivateMethod;

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export function isFunction(node: t.Node): node is FunctionNode {
  return FUNCTION_TYPES.has(node.type);
}

export function sourceOf(ctx: AnalysisContext, node: t.Node): string {
  return ctx.text.slice(node.start!, node.end!);
}

export function contains(outer: t.Node, inner: t.Node): boolean {
  return outer.start! <= inner.start! && inner.end! <= outer.end!;
}

export function ancestors(ctx: AnalysisContext, node: t.Node): t.Node[] {
  const out: t.Node[] = [];
  for (let p = ctx.parentOf(node); p; p = ctx.parentOf(p)) out.push(p);
  return out;
}

export function enclosingFunction(ctx: AnalysisContext, node: t.Node): FunctionNode | undefined {
  for (let p = ctx.parentOf(node); p; p = ctx.parentOf(p)) if (isFunction(p)) return p;
  return undefined;
}

/** The statement that directly holds `node` inside a block, program or switch case. */
export function enclosingStatement(ctx: AnalysisContext, node: t.Node): t.Statement | undefined {
  let child: t.Node = node;
  for (let p = ctx.parentOf(node); p; child = p, p = ctx.parentOf(p)) {
    if (p.type === 'BlockStatement' || p.type === 'Program' || p.type === 'SwitchCase' || p.type === 'StaticBlock')
      return child as t.Statement;
    if (isFunction(p)) return undefined;
  }
  return undefined;
}

/** Nodes whose nearest enclosing function is `fn` (nested functions excluded). */
export function nodesOfFunction(ctx: AnalysisContext, fn: FunctionNode): t.Node[] {
  return nodesWithin(ctx, fn).filter((n) => enclosingFunction(ctx, n) === fn);
}

// ctx.nodes is in pre-order, so a node's descendants are the run of nodes right after it.
const positions = new WeakMap<AnalysisContext, Map<t.Node, number>>();

function positionOf(ctx: AnalysisContext, node: t.Node): number {
  let index = positions.get(ctx);
  if (!index) {
    index = new Map(ctx.nodes.map((n, i) => [n, i]));
    positions.set(ctx, index);
  }
  return index.get(node) ?? -1;
}

export function nodesWithin(ctx: AnalysisContext, container: t.Node): t.Node[] {
  const at = positionOf(ctx, container);
  if (at < 0) return ctx.nodes.filter((n) => n !== container && contains(container, n));
  const out: t.Node[] = [];
  for (let i = at + 1; i < ctx.nodes.length && contains(container, ctx.nodes[i]); i++) out.push(ctx.nodes[i]);
  return out;
}

export function identifierNames(ctx: AnalysisContext, node: t.Node): Set<string> {
  const names = new Set<string>();
  for (const n of [node, ...nodesWithin(ctx, node)]) {
    if (n.type === 'Identifier') {
      const parent = ctx.parentOf(n);
      // `a.b`: only `a` is a reference; `b` is a property name.
      if (parent?.type === 'MemberExpression' && parent.property === n && !parent.computed) continue;
      if (parent?.type === 'OptionalMemberExpression' && parent.property === n && !parent.computed) continue;
      if (parent?.type === 'ObjectProperty' && parent.key === n && !parent.computed && parent.value !== n) continue;
      names.add(n.name);
    }
  }
  return names;
}

/** Names bound by a declaration pattern: `{ rows: [row] }` → row, `[a, ...b]` → a, b. */
export function patternNames(pattern: t.Node | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') patternNames(p.argument, out);
        else patternNames(p.value as t.Node, out);
      }
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) patternNames(e, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
    default:
      break;
  }
  return out;
}

export function unwrapExpression(node: t.Node): t.Node {
  let n = node;
  while (
    n.type === 'TSAsExpression' ||
    n.type === 'TSNonNullExpression' ||
    n.type === 'ParenthesizedExpression' ||
    n.type === 'TSSatisfiesExpression' ||
    n.type === 'TypeCastExpression'
  ) {
    n = n.expression;
  }
  return n;
}

/** `a.b.c` → 'a.b.c'; `this.x` → 'this.x'; otherwise undefined. */
export function memberPath(node: t.Node): string | undefined {
  const n = unwrapExpression(node);
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'ThisExpression') return 'this';
  if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed && n.property.type === 'Identifier') {
    const base = memberPath(n.object);
    return base ? `${base}.${n.property.name}` : undefined;
  }
  if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && n.property.type === 'PrivateName') {
    const base = memberPath(n.object);
    return base ? `${base}.#${n.property.id.name}` : undefined;
  }
  return undefined;
}

/** For `x.y.method(...)` returns { receiver: x.y node, method: 'method' }. */
export function methodCall(node: t.Node): { receiver: t.Expression; method: string; call: t.CallExpression } | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = node.callee;
  if (
    (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
    !callee.computed &&
    callee.property.type === 'Identifier'
  ) {
    return { receiver: callee.object, method: callee.property.name, call: node };
  }
  return undefined;
}

export function calleeName(call: t.CallExpression): string | undefined {
  const c = unwrapExpression(call.callee);
  if (c.type === 'Identifier') return c.name;
  const m = methodCall(call);
  return m?.method;
}

export function isAsyncFunction(fn: FunctionNode | undefined): boolean {
  return !!fn && 'async' in fn && !!fn.async;
}

/** Whether a statement always leaves the block (return/throw, or a block ending in one). */
export function terminates(node: t.Node | null | undefined): boolean {
  if (!node) return false;
  if (node.type === 'ReturnStatement' || node.type === 'ThrowStatement') return true;
  if (node.type === 'BlockStatement') return node.body.length > 0 && terminates(node.body[node.body.length - 1]);
  if (node.type === 'IfStatement') return terminates(node.consequent) && terminates(node.alternate);
  return false;
}

/** Names declared anywhere in the file (to pick fresh names for inserted variables). */
export function declaredNames(ctx: AnalysisContext): Set<string> {
  const names = new Set<string>();
  for (const n of ctx.nodes) if (n.type === 'Identifier') names.add(n.name);
  return names;
}

export function freshName(ctx: AnalysisContext, preferred: string[]): string {
  const taken = declaredNames(ctx);
  for (const name of preferred) if (!taken.has(name)) return name;
  const base = preferred[0];
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}
