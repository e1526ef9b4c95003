// interval-leak: `setInterval` started per request / connection / instance whose handle
// is dropped or never passed to clearInterval. Each call adds a timer that runs for the
// life of the process and keeps its closure (the request, the socket) alive.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import { enclosingStatement, freshName, memberPath, sourceOf, unwrapExpression } from '../ast';
import { enclosingFunctions, insertStatementBefore } from '../blocks';
import { cleanupPlans, functionName, runsPerCall } from '../cleanup';
import { fix, fixes, insertAt, type RawFinding, type Rule } from '../rule';
import { semi } from '../style';
import type { Fix, TextEdit } from '../types';

const CLEANUP_METHODS = new Set(['stop', 'close', 'dispose', 'destroy', 'end', 'shutdown', 'disconnect', 'teardown', 'unsubscribe']);

function isSetInterval(node: t.Node): node is t.CallExpression {
  if (node.type !== 'CallExpression') return false;
  const callee = unwrapExpression(node.callee);
  if (callee.type === 'Identifier') return callee.name === 'setInterval';
  const path = memberPath(callee);
  return !!path && /^(global|globalThis|window|timers|self)\.setInterval$/.test(path);
}

/** Every `clearInterval(x)` argument in the file, as a member path. */
function cleared(ctx: AnalysisContext): Set<string> {
  const out = new Set<string>();
  for (const n of ctx.nodes) {
    if (n.type !== 'CallExpression' || n.arguments.length === 0) continue;
    const callee = memberPath(n.callee) ?? '';
    if (!/(^|\.)clear(Interval|Timeout)$/.test(callee)) continue;
    const path = memberPath(n.arguments[0]);
    if (path) out.add(path);
  }
  return out;
}

/** Where the handle goes: dropped, a local, `this.x`, or handed on (returned, passed, pushed). */
function handleOf(ctx: AnalysisContext, call: t.CallExpression): { kind: 'dropped' } | { kind: 'named'; path: string } | { kind: 'owned' } {
  let node: t.Node = call;
  let parent = ctx.parentOf(node);
  // `setInterval(…).unref()` still drops the handle.
  while (parent?.type === 'MemberExpression' && parent.object === node && ctx.parentOf(parent)?.type === 'CallExpression') {
    node = ctx.parentOf(parent)!;
    parent = ctx.parentOf(node);
  }
  if (parent?.type === 'ExpressionStatement') return { kind: 'dropped' };
  if (parent?.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier')
    return { kind: 'named', path: parent.id.name };
  if (parent?.type === 'AssignmentExpression' && parent.right === node) {
    const path = memberPath(parent.left);
    if (path) return { kind: 'named', path };
  }
  return { kind: 'owned' };
}

function classCleanupMethod(ctx: AnalysisContext, fn: t.Node): t.ClassMethod | undefined {
  const body = ctx.parentOf(fn);
  if (fn.type !== 'ClassMethod' || body?.type !== 'ClassBody') return undefined;
  return body.body.find(
    (m): m is t.ClassMethod => m.type === 'ClassMethod' && m.key.type === 'Identifier' && CLEANUP_METHODS.has(m.key.name),
  );
}

/**
 * `this._timer = setInterval(…)` cleared as `stream._timer` in a helper that gets the
 * instance as a parameter: the same property of the same object, reached by another name.
 */
function isCleared(path: string, clearedPaths: Set<string>): boolean {
  if (clearedPaths.has(path)) return true;
  if (!path.startsWith('this.')) return false;
  const property = path.slice('this'.length);
  return [...clearedPaths].some((c) => c.endsWith(property));
}

function check(ctx: AnalysisContext): RawFinding[] {
  const clearedPaths = cleared(ctx);
  const findings: RawFinding[] = [];
  for (const n of ctx.nodes) {
    if (!isSetInterval(n)) continue;
    const chain = enclosingFunctions(ctx, n);
    if (!runsPerCall(ctx, chain)) continue;
    const handle = handleOf(ctx, n);
    if (handle.kind === 'owned' || (handle.kind === 'named' && isCleared(handle.path, clearedPaths))) continue;
    const name = functionName(ctx, chain[0]);
    const message =
      `interval-leak: ${sourceOf(ctx, n.callee)}(…) starts a timer every time ${name ? `${name}()` : 'this function'} runs and ${handle.kind === 'dropped' ? 'drops its handle' : `never passes ${handle.path} to clearInterval`}, so nothing can stop it. ` +
      'In production every request, connection or instance leaves one more timer firing for the life of the process, keeping its closure (and whatever request or socket it holds) alive: memory and CPU grow with traffic, and work meant for one client keeps running after it left. ' +
      'Keep the handle and clearInterval it when the connection closes or the object is disposed.';
    findings.push({ node: n, message, fixes: fixesFor(ctx, n, handle, chain[0]) });
  }
  return findings;
}

function fixesFor(
  ctx: AnalysisContext,
  call: t.CallExpression,
  handle: { kind: 'dropped' } | { kind: 'named'; path: string },
  fn: ReturnType<typeof enclosingFunctions>[number],
): Fix[] {
  const stmt = enclosingStatement(ctx, call);
  if (!stmt) return [];
  const naming: TextEdit[] = [];
  let path: string;
  const cleanupMethod = classCleanupMethod(ctx, fn);
  if (handle.kind === 'named') {
    path = handle.path;
  } else if (cleanupMethod) {
    path = `this.${freshName(ctx, ['timer', 'interval', 'refreshTimer'])}`;
    naming.push(insertAt(stmt.start!, `${path} = `));
  } else {
    path = freshName(ctx, ['timer', 'interval', 'intervalHandle']);
    naming.push(insertAt(stmt.start!, `const ${path} = `));
  }
  const undo = `clearInterval(${path})`;
  if (cleanupMethod && path.startsWith('this.')) {
    const first = cleanupMethod.body.body[0];
    const edit = first
      ? insertStatementBefore(ctx, first, `${undo}${semi(ctx.style)}`)
      : insertAt(cleanupMethod.body.start! + 1, ` ${undo}${semi(ctx.style)} `);
    return fixes(fix(`Keep the handle and clear it in ${(cleanupMethod.key as t.Identifier).name}()`, false, [...naming, edit]));
  }
  if (path.includes('.')) return [];
  const plans = cleanupPlans(ctx, fn, stmt, undo, '');
  return fixes(...plans.map((p) => fix(`Keep the handle and clear it ${p.when}`, false, [...naming, ...p.edits])));
}

export const intervalLeak: Rule = {
  id: 'interval-leak',
  title: 'Interval started per call and never cleared',
  defaultSeverity: 'warning',
  check,
};
