// unbounded-cache: a module-level Map/Set/object/array that a per-request function adds
// to, keyed or filled by the request's data, and that nothing ever evicts from. It grows
// with every distinct key for the life of the process: a memory leak in slow motion.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import { enclosingStatement, identifierNames, memberPath, methodCall, patternNames, sourceOf, unwrapExpression } from '../ast';
import { enclosingFunctions, insertStatementAfter } from '../blocks';
import { functionName, runsPerCall } from '../cleanup';
import { fix, fixes, type RawFinding, type Rule } from '../rule';
import { semi } from '../style';

const MAX_ENTRIES = 1000;
type Kind = 'map' | 'set' | 'object' | 'array';
const GROW: Record<Kind, string[]> = { map: ['set'], set: ['add'], object: [], array: ['push', 'unshift'] };
const EVICT = new Set(['delete', 'clear', 'shift', 'pop', 'splice']);

function containerKind(init: t.Node | null | undefined): Kind | undefined {
  if (!init) return undefined;
  const e = unwrapExpression(init);
  if (e.type === 'NewExpression' && e.callee.type === 'Identifier') return e.callee.name === 'Map' ? 'map' : e.callee.name === 'Set' ? 'set' : undefined;
  if (e.type === 'ObjectExpression' && e.properties.length === 0) return 'object';
  if (e.type === 'ArrayExpression' && e.elements.length === 0) return 'array';
  if (e.type === 'CallExpression' && /^Object\.create$/.test(memberPath(e.callee) ?? '')) return 'object';
  return undefined;
}

function moduleContainers(ctx: AnalysisContext): Map<string, Kind> {
  const out = new Map<string, Kind>();
  for (const stmt of ctx.ast.program.body) {
    const decl = stmt.type === 'ExportNamedDeclaration' && stmt.declaration ? stmt.declaration : stmt;
    if (decl.type !== 'VariableDeclaration') continue;
    for (const d of decl.declarations) {
      const kind = containerKind(d.init);
      if (kind && d.id.type === 'Identifier') out.set(d.id.name, kind);
    }
  }
  return out;
}

/** Anything that can shrink or replace the container: delete, clear, shift, splice, length =, reassignment, a size check. */
function evicted(ctx: AnalysisContext, name: string): boolean {
  return ctx.nodes.some((n) => {
    const m = methodCall(n);
    if (m && memberPath(m.receiver) === name && EVICT.has(m.method)) return true;
    if (n.type === 'UnaryExpression' && n.operator === 'delete' && n.argument.type === 'MemberExpression' && memberPath(n.argument.object) === name) return true;
    if (n.type === 'AssignmentExpression' && (memberPath(n.left) === name || memberPath(n.left) === `${name}.length`)) return true;
    return n.type === 'BinaryExpression' && /^[<>]=?$/.test(n.operator) && new RegExp(`\\b${name}\\.(size|length)\\b`).test(sourceOf(ctx, n));
  });
}

/** `cache.set(key, …)`, `cache[key] = …`, `log.push(entry)`: the write and what it is keyed or filled by. */
function growth(n: t.Node, name: string, kind: Kind): { write: t.Node; by: t.Node } | undefined {
  const m = methodCall(n);
  if (m && memberPath(m.receiver) === name && GROW[kind].includes(m.method) && m.call.arguments[0]) return { write: m.call, by: m.call.arguments[0] };
  if (kind === 'object' && n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && n.left.computed && memberPath(n.left.object) === name) return { write: n, by: n.left.property };
  return undefined;
}

function evictionCode(ctx: AnalysisContext, name: string, kind: Kind): string {
  const s = semi(ctx.style);
  if (kind === 'map') return `if (${name}.size > ${MAX_ENTRIES}) ${name}.delete(${name}.keys().next().value)${s}`;
  if (kind === 'set') return `if (${name}.size > ${MAX_ENTRIES}) ${name}.delete(${name}.values().next().value)${s}`;
  if (kind === 'array') return `if (${name}.length > ${MAX_ENTRIES}) ${name}.shift()${s}`;
  return `for (const key of Object.keys(${name}).slice(0, -${MAX_ENTRIES})) delete ${name}[key]${s}`;
}

function check(ctx: AnalysisContext): RawFinding[] {
  const containers = moduleContainers(ctx);
  const findings: RawFinding[] = [];
  for (const [name, kind] of containers) {
    if (evicted(ctx, name)) continue;
    for (const n of ctx.nodes) {
      const g = growth(n, name, kind);
      if (!g) continue;
      const chain = enclosingFunctions(ctx, g.write);
      if (!runsPerCall(ctx, chain)) continue;
      // Keyed by the call's own input (a user id, a URL), not by a fixed set of names.
      const params = new Set(chain.flatMap((f) => f.params.flatMap((p) => patternNames(p as t.Node))));
      if (![...identifierNames(ctx, g.by)].some((x) => params.has(x)) && unwrapExpression(g.by).type !== 'Identifier') continue;
      const fnName = functionName(ctx, chain[0]);
      const message = `unbounded-cache: ${name} lives as long as the process and ${fnName ? `${fnName}()` : 'this function'} adds to it on every call (by ${sourceOf(ctx, g.by)}), but nothing ever removes an entry. ` +
        'In production it grows with every distinct key the traffic brings (users, URLs, ids) until the heap is exhausted and the process is killed out of memory, after hours or days, far from the change that caused it. ' +
        `Bound it: evict the oldest entry past a maximum (${MAX_ENTRIES} here), use an LRU (e.g. the lru-cache package) or give entries a TTL.`;
      const stmt = enclosingStatement(ctx, g.write);
      const edit = stmt && stmt.type === 'ExpressionStatement' && unwrapExpression(stmt.expression) === g.write ? insertStatementAfter(ctx, stmt, evictionCode(ctx, name, kind)) : undefined;
      findings.push({ node: g.write, message, fixes: fixes(fix(`Bound ${name} to ${MAX_ENTRIES} entries, evicting the oldest`, true, [edit])) });
      break;
    }
  }
  return findings;
}

export const unboundedCache: Rule = {
  id: 'unbounded-cache',
  title: 'Module-level cache that only grows',
  defaultSeverity: 'warning',
  check,
};
