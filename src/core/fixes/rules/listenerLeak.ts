// listener-leak: `emitter.on(event, handler)` on an emitter that outlives the call
// (module-level, `process`, a global, or one handed to the constructor and kept in
// `this.x`), inside a function that runs per request,
// connection or instance, with no matching removal. Every call adds one more listener
// and keeps its closure alive: memory grows with traffic and every emit does more work.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import {
  enclosingStatement,
  freshName,
  identifierNames,
  memberPath,
  methodCall,
  nodesWithin,
  patternNames,
  sourceOf,
  unwrapExpression,
  type FunctionNode,
} from '../ast';
import { enclosingFunctions, functionBindings, insertStatementBefore, moduleBindings } from '../blocks';
import { cleanupPlans, functionName, runsPerCall } from '../cleanup';
import { fix, fixes, replace, type RawFinding, type Rule } from '../rule';
import { semi } from '../style';
import type { Fix, TextEdit } from '../types';

const SUBSCRIBE: Record<string, string> = {
  on: 'off',
  addListener: 'removeListener',
  prependListener: 'removeListener',
  addEventListener: 'removeEventListener',
};
const UNSUBSCRIBE = new Set(['off', 'removeListener', 'removeEventListener', 'removeAllListeners']);
const GLOBALS = new Set(['process', 'window', 'document', 'globalThis', 'self']);

const eventKey = (ctx: AnalysisContext, node: t.Node | undefined): string | undefined => {
  if (!node) return undefined;
  const n = unwrapExpression(node);
  return n.type === 'StringLiteral' ? `'${n.value}` : sourceOf(ctx, n);
};

const isStringy = (node: t.Node | undefined) => !!node && ['StringLiteral', 'TemplateLiteral'].includes(unwrapExpression(node).type);

/** `{ once: true }` or `{ signal }` as the options argument: the listener goes away by itself. */
function selfRemoving(options: t.Node | undefined): boolean {
  if (!options) return false;
  const o = unwrapExpression(options);
  if (o.type !== 'ObjectExpression') return false;
  return o.properties.some(
    (p) =>
      p.type === 'ObjectProperty' &&
      p.key.type === 'Identifier' &&
      (p.key.name === 'signal' || (p.key.name === 'once' && !(p.value.type === 'BooleanLiteral' && !p.value.value))),
  );
}

/** Receiver paths and events removed anywhere in the file: `x.off('e', h)`, `x.removeAllListeners()`. */
function removals(ctx: AnalysisContext): { receiver: string; event?: string }[] {
  const out: { receiver: string; event?: string }[] = [];
  for (const n of ctx.nodes) {
    const m = methodCall(n);
    if (!m || !UNSUBSCRIBE.has(m.method)) continue;
    const receiver = memberPath(m.receiver);
    if (receiver) out.push({ receiver, event: eventKey(ctx, m.call.arguments[0]) });
  }
  return out;
}

const REQUEST_PARAM = /^(req|request|res|response|ctx|context|socket|ws|conn|connection|client|session|job|task|msg|message|event)$/;

function perRequestShaped(fn: ReturnType<typeof enclosingFunctions>[number]): boolean {
  if (fn.type === 'ClassMethod' || fn.type === 'ClassPrivateMethod' || fn.type === 'ObjectMethod') return true;
  return fn.params.some((p) => p.type === 'Identifier' && REQUEST_PARAM.test(p.name));
}

/**
 * `this.hub.on('x', (m) => socket.send(m))` in a method taking `socket`, where `this.hub`
 * is only ever set in the constructor, from a constructor parameter or a module-level
 * binding: an emitter shared with (and living as long as) whoever passed it in, not one the
 * instance created. Each call of the method leaves a listener holding that call's data.
 */
function sharedThisEmitter(
  ctx: AnalysisContext,
  receiver: string,
  handler: t.Node,
  chain: FunctionNode[],
  modules: Map<string, t.Node>,
): boolean {
  if (!/^this\.#?[\w$]+$/.test(receiver)) return false;
  const at = chain.findIndex((f) => f.type !== 'ArrowFunctionExpression');
  const method = chain[at];
  if (method?.type !== 'ClassMethod' || method.kind !== 'method' || method.static || method.params.length === 0) return false;
  const body = ctx.parentOf(method);
  const ctor =
    body?.type === 'ClassBody'
      ? body.body.find((m): m is t.ClassMethod => m.type === 'ClassMethod' && m.kind === 'constructor')
      : undefined;
  if (!body || !ctor) return false;
  const ctorParams = new Set(ctor.params.flatMap((p) => patternNames(p as t.Node)));
  const assignments = nodesWithin(ctx, body).filter(
    (n): n is t.AssignmentExpression => n.type === 'AssignmentExpression' && memberPath(n.left) === receiver,
  );
  const injected =
    assignments.length > 0 &&
    assignments.every((a) => {
      const value = memberPath(a.right)?.split('.')[0];
      return enclosingFunctions(ctx, a)[0] === ctor && !!value && (ctorParams.has(value) || modules.has(value));
    });
  // The listener must close over the call's own data (its parameters), or it is the same handler each time.
  const h = unwrapExpression(handler);
  const params = new Set(chain.slice(0, at + 1).flatMap((f) => f.params.flatMap((p) => patternNames(p as t.Node))));
  return (
    injected &&
    (h.type === 'ArrowFunctionExpression' || h.type === 'FunctionExpression') &&
    [...identifierNames(ctx, h.body)].some((x) => params.has(x))
  );
}

function handlerName(ctx: AnalysisContext, event: t.Node): string {
  const e = unwrapExpression(event);
  const words = e.type === 'StringLiteral' ? e.value.split(/[^A-Za-z0-9]+/).filter(Boolean) : [];
  const name = words.length ? `on${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}` : 'onEvent';
  return freshName(ctx, [/^[A-Za-z_$][\w$]*$/.test(name) ? name : 'onEvent', `${name}Handler`]);
}

function check(ctx: AnalysisContext): RawFinding[] {
  const modules = moduleBindings(ctx);
  const removed = removals(ctx);
  const findings: RawFinding[] = [];
  const bindings = new Map<ReturnType<typeof enclosingFunctions>[number], Set<string>>();
  const bindingsOf = (f: ReturnType<typeof enclosingFunctions>[number]) => {
    let names = bindings.get(f);
    if (!names) bindings.set(f, (names = functionBindings(ctx, f)));
    return names;
  };
  for (const n of ctx.nodes) {
    const m = methodCall(n);
    if (!m || !Object.hasOwn(SUBSCRIBE, m.method) || m.call.arguments.length < 2) continue;
    const [eventArg, handler, options] = m.call.arguments;
    // `util.addListener(socket, 'error', fn)`: a helper that takes the emitter first, so the
    // receiver is a module of helpers, not the emitter (an emitter's second argument is the listener).
    if (isStringy(handler)) continue;
    if (selfRemoving(options)) continue;
    const receiver = memberPath(m.receiver);
    if (!receiver) continue;
    const root = receiver.split('.')[0];
    const chain = enclosingFunctions(ctx, m.call);
    if (!GLOBALS.has(root) && !modules.has(root) && !(root === 'this' && sharedThisEmitter(ctx, receiver, handler, chain, modules)))
      continue;
    if (!runsPerCall(ctx, chain)) continue;
    // Shadowed by a parameter or local: the emitter is per call too (a socket, a request).
    if (chain.some((f) => bindingsOf(f).has(root))) continue;
    // Process-wide hooks (exit, signals) are normally installed once by a CLI's helper
    // functions: for globals, ask for a method or a request-shaped parameter.
    if (GLOBALS.has(root) && !perRequestShaped(chain[0])) continue;
    const event = eventKey(ctx, eventArg);
    if (removed.some((r) => r.receiver === receiver && (r.event === undefined || r.event === event))) continue;
    findings.push({
      node: m.call,
      message: message(ctx, m.call, receiver, eventArg, chain[0]),
      fixes: fixesFor(ctx, m, receiver, root, eventArg, handler, chain[0]),
    });
  }
  return findings;
}

function message(
  ctx: AnalysisContext,
  call: t.CallExpression,
  receiver: string,
  event: t.Node,
  fn: Parameters<typeof functionName>[1],
): string {
  const name = functionName(ctx, fn);
  return (
    `listener-leak: ${sourceOf(ctx, call.callee)}(${sourceOf(ctx, event)}, …) adds a listener to ${receiver}, which outlives the call, every time ${name ? `${name}()` : 'this function'} runs, and nothing removes it. ` +
    'In production every request or connection leaves one more listener behind, with everything its closure holds: memory grows with traffic, each emit runs all the stale handlers (on closed sockets, finished requests), and Node warns MaxListenersExceededWarning past 10. ' +
    'Name the handler and remove it when the connection or call ends, or use once / { signal } where one event is enough.'
  );
}

function fixesFor(
  ctx: AnalysisContext,
  m: NonNullable<ReturnType<typeof methodCall>>,
  receiver: string,
  root: string,
  event: t.Node,
  handler: t.Node,
  fn: Parameters<typeof functionName>[1],
): Fix[] {
  const stmt = enclosingStatement(ctx, m.call);
  if (!stmt || stmt.type !== 'ExpressionStatement' || unwrapExpression(stmt.expression) !== m.call) return [];
  const h = unwrapExpression(handler);
  const named: TextEdit[] = [];
  let name: string;
  if (h.type === 'Identifier') {
    name = h.name;
  } else if (h.type === 'ArrowFunctionExpression' || h.type === 'FunctionExpression') {
    name = handlerName(ctx, event);
    named.push(insertStatementBefore(ctx, stmt, `const ${name} = ${sourceOf(ctx, handler)}${semi(ctx.style)}`), replace(handler, name));
  } else {
    return [];
  }
  const undo = `${sourceOf(ctx, m.receiver)}.${SUBSCRIBE[m.method]}(${sourceOf(ctx, event)}, ${name})`;
  const plans = cleanupPlans(ctx, fn, stmt, undo, root);
  const planned = plans.map((p) => fix(`Name the handler and remove it ${p.when}`, false, [...named, ...p.edits]));
  const once =
    m.method === 'on' || m.method === 'addListener'
      ? fix(`Listen once: ${receiver}.once(…) (only if one event per call is enough)`, false, [
          { start: m.call.callee.end! - m.method.length, end: m.call.callee.end!, newText: 'once' },
        ])
      : undefined;
  return fixes(...planned, once);
}

export const listenerLeak: Rule = {
  id: 'listener-leak',
  title: 'Listener added per call and never removed',
  defaultSeverity: 'warning',
  check,
};
