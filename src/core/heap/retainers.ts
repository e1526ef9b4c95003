// Retainer paths: the shortest chain of strong (non-weak) references from the GC roots
// to an object, found by one breadth-first search from the root, and rendered the way
// an engineer would say it: `EventEmitter._events.inventory-changed -> Array -> closure
// -> RequestContext` rather than twenty hops through engine internals.
import type { HeapGraph } from './graph';

const NONE = 0xffffffff;

export interface PathStep {
  /** Class of the object holding the reference. */
  holder: string;
  /** The reference: a property name, `[index]`, or a closure's context variable. */
  edge: string;
  edgeType: string;
}

export class RetainerTree {
  /** Edge ordinal by which each node was first reached, NONE for the root and unreachable nodes. */
  readonly parentEdge: Uint32Array;
  readonly parentNode: Uint32Array;
  readonly distance: Uint32Array;

  constructor(private readonly g: HeapGraph) {
    const n = g.nodeCount;
    this.parentEdge = new Uint32Array(n).fill(NONE);
    this.parentNode = new Uint32Array(n).fill(NONE);
    this.distance = new Uint32Array(n).fill(NONE);
    if (n === 0) return;
    const queue = new Uint32Array(n);
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    this.distance[0] = 0;
    while (head < tail) {
      const v = queue[head++]!;
      const d = this.distance[v]! + 1;
      for (let k = g.firstEdge[v]!, end = g.firstEdge[v + 1]!; k < end; k++) {
        if (!g.isStrongEdge(k)) continue;
        const w = g.edgeTarget(k);
        if (this.distance[w] !== NONE) continue;
        this.distance[w] = d;
        this.parentEdge[w] = k;
        this.parentNode[w] = v;
        queue[tail++] = w;
      }
    }
  }

  reachable(node: number): boolean {
    return this.distance[node] !== NONE;
  }

  /** Node ordinals from the root to `node` (inclusive), or [] when unreachable. */
  nodesTo(node: number): number[] {
    if (!this.reachable(node)) return [];
    const out: number[] = [];
    for (let v = node; v !== NONE; v = this.parentNode[v]!) out.push(v);
    return out.reverse();
  }

  steps(node: number): PathStep[] {
    const nodes = this.nodesTo(node);
    const out: PathStep[] = [];
    for (let i = 1; i < nodes.length; i++) {
      const k = this.parentEdge[nodes[i]!]!;
      out.push({ holder: this.g.className(nodes[i - 1]!), edge: this.g.edgeName(k), edgeType: this.g.edgeTypes[this.g.edgeType(k)] ?? '' });
    }
    return out;
  }
}

/** Engine-internal or generic classes: a path is anchored on the last class that is neither. */
export function isGenericClass(name: string): boolean {
  // "system / Context", "Node / IsolateData", "v8 / …": engine and runtime internals.
  return name.startsWith('(') || name.includes(' / ') || name === 'Object' || name === 'Array' || name === 'InternalNode' || name === '';
}

function isContext(name: string): boolean {
  return name === '(system)' || name === 'system / Context' || name === 'Context';
}

/**
 * The readable form of a path ending at an object of class `target`: it starts at the
 * last named holder, follows plain-object properties with dots, shows arrays and
 * closures by kind, and leaves out closure contexts.
 */
export function describePath(steps: PathStep[], target: string): string {
  if (steps.length === 0) return `${target} (not reachable from the GC roots)`;
  let anchor = -1;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (!isGenericClass(steps[i]!.holder)) {
      anchor = i;
      break;
    }
  }
  if (anchor < 0) anchor = Math.max(0, steps.length - 4);
  const parts: string[] = [];
  let current = `${steps[anchor]!.holder}.${steps[anchor]!.edge}`;
  for (let i = anchor + 1; i < steps.length; i++) {
    const { holder, edge, edgeType } = steps[i]!;
    if (holder === 'Object' && edgeType === 'property') {
      current += `.${edge}`;
      continue;
    }
    parts.push(current);
    if (isContext(holder)) {
      current = '';
      continue;
    }
    current = holder === '(closure)' ? 'closure' : holder === '(array)' || holder === 'Array' ? 'Array' : holder;
  }
  if (current) parts.push(current);
  parts.push(target);
  return parts.filter(Boolean).join(' -> ');
}
