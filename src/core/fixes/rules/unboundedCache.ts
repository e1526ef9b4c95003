// unbounded-cache: a module-level Map/Set/object/array that a per-request function adds
// to, keyed or filled by the request's data, and that nothing ever evicts from. It grows
// with every distinct key for the life of the process: a memory leak in slow motion.
// A constant key or one drawn from a fixed table is bounded, however often it is written.
import type * as t from '@babel/types';
import type { AnalysisContext } from '../context';
import {
  enclosingStatement,
  identifierNames,
  memberPath,
  methodCall,
  nodesOfFunction,
  patternNames,
  sourceOf,
  unwrapExpression,
  type FunctionNode,
} from '../ast';
import { enclosingFunctions, insertStatementAfter } from '../blocks';
import { functionName, RUNS_NOW, runsPerCall } from '../cleanup';
import { fix, fixes, type RawFinding, type Rule } from '../rule';
import { semi } from '../style';

const MAX_ENTRIES = 1000;
type Kind = 'map' | 'set' | 'object' | 'array';
const GROW: Record<Kind, string[]> = { map: ['set'], set: ['add'], object: [], array: ['push', 'unshift'] };
const EVICT = new Set(['delete', 'clear', 'shift', 'pop', 'splice']);

function containerKind(init: t.Node | null | undefined): Kind | undefined {
  if (!init) return undefined;
  const e = unwrapExpression(init);
  if (e.type === 'NewExpression' && e.callee.type === 'Identifier')
    return e.callee.name === 'Map' ? 'map' : e.callee.name === 'Set' ? 'set' : undefined;
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

const sizeOf = (node: t.Node): string | undefined => {
  const path = memberPath(node);
  return path && /\.(size|length)$/.test(path) ? path.replace(/\.(size|length)$/, '') : undefined;
};

interface Usage {
  evicted: boolean;
  growths: { write: t.Node; by: t.Node }[];
}

/**
 * One pass over the file: for each container, whether anything can shrink or replace it
 * (delete, clear, shift, splice, `length =`, reassignment, a size check) and where it
 * grows (`cache.set(key, …)`, `cache[key] = …`, `log.push(entry)`) and by what.
 */
function usages(ctx: AnalysisContext, containers: Map<string, Kind>): Map<string, Usage> {
  const out = new Map<string, Usage>([...containers.keys()].map((name) => [name, { evicted: false, growths: [] }]));
  const mark = (name: string | undefined) => {
    if (name && out.has(name)) out.get(name)!.evicted = true;
  };
  for (const n of ctx.nodes) {
    const m = methodCall(n);
    if (m) {
      const name = memberPath(m.receiver);
      if (!name || !out.has(name)) continue;
      if (EVICT.has(m.method)) mark(name);
      else if (GROW[containers.get(name)!].includes(m.method) && m.call.arguments[0])
        out.get(name)!.growths.push({ write: m.call, by: m.call.arguments[0] });
    } else if (n.type === 'UnaryExpression' && n.operator === 'delete' && n.argument.type === 'MemberExpression') {
      mark(memberPath(n.argument.object));
    } else if (n.type === 'AssignmentExpression') {
      const left = memberPath(n.left);
      mark(left);
      mark(left?.replace(/\.length$/, ''));
      if (n.left.type === 'MemberExpression' && n.left.computed) {
        const name = memberPath(n.left.object);
        if (name && containers.get(name) === 'object') out.get(name)!.growths.push({ write: n, by: n.left.property });
      }
    } else if (n.type === 'BinaryExpression' && /^[<>]=?$/.test(n.operator)) {
      mark(sizeOf(n.left));
      mark(sizeOf(n.right));
    }
  }
  return out;
}

/**
 * Names that carry the call's own data: parameters, and locals or loop variables computed
 * from them, outermost function first. A callback iterating a fixed table
 * (`Object.keys(STATUS_CODES).forEach((code) => …)`, `for (const k of KNOWN)`) adds none:
 * its keys are a bounded set, whatever the call.
 */
function perCallNames(ctx: AnalysisContext, chain: readonly FunctionNode[]): Set<string> {
  const names = new Set<string>();
  const derived = (n: t.Node | null | undefined) => !!n && [...identifierNames(ctx, n)].some((x) => names.has(x));
  for (const fn of [...chain].reverse()) {
    const parent = ctx.parentOf(fn);
    const m = parent && methodCall(parent);
    const iterates = !!m && RUNS_NOW.test(m.method) && m.call.arguments[0] === fn;
    if (!iterates || derived(m.receiver)) for (const p of fn.params) for (const x of patternNames(p as t.Node)) names.add(x);
    for (const n of nodesOfFunction(ctx, fn)) {
      if (n.type === 'VariableDeclarator' && derived(n.init)) for (const x of patternNames(n.id)) names.add(x);
      if ((n.type === 'ForOfStatement' || n.type === 'ForInStatement') && derived(n.right)) {
        const left = n.left.type === 'VariableDeclaration' ? n.left.declarations[0]?.id : n.left;
        for (const x of patternNames(left)) names.add(x);
      }
    }
  }
  return names;
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
  for (const [name, use] of usages(ctx, containers)) {
    if (use.evicted) continue;
    const kind = containers.get(name)!;
    for (const g of use.growths) {
      const chain = enclosingFunctions(ctx, g.write);
      if (!runsPerCall(ctx, chain)) continue;
      // Keyed by the call's own input (a user id, a URL), not by a constant or a fixed table.
      const perCall = perCallNames(ctx, chain);
      if (![...identifierNames(ctx, g.by)].some((x) => perCall.has(x))) continue;
      const fnName = functionName(ctx, chain[0]);
      const message =
        `unbounded-cache: ${name} lives as long as the process and ${fnName ? `${fnName}()` : 'this function'} adds to it on every call (by ${sourceOf(ctx, g.by)}), but nothing ever removes an entry. ` +
        'In production it grows with every distinct key the traffic brings (users, URLs, ids) until the heap is exhausted and the process is killed out of memory, after hours or days, far from the change that caused it. ' +
        `Bound it: evict the oldest entry past a maximum (${MAX_ENTRIES} here), use an LRU (e.g. the lru-cache package) or give entries a TTL.`;
      const stmt = enclosingStatement(ctx, g.write);
      const edit =
        stmt && stmt.type === 'ExpressionStatement' && unwrapExpression(stmt.expression) === g.write
          ? insertStatementAfter(ctx, stmt, evictionCode(ctx, name, kind))
          : undefined;
      findings.push({
        node: g.write,
        message,
        fixes: fixes(fix(`Bound ${name} to ${MAX_ENTRIES} entries, evicting the oldest`, false, [edit])),
      });
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
