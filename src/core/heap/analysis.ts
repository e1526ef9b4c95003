// One snapshot, analysed: the graph, dominators and retained sizes, retainer paths,
// per-class aggregates, and source locations (script URL, line, column) of objects.
import { computeDominators, NO_DOMINATOR, type DominatorResult } from './dominators';
import { HeapGraph } from './graph';
import { NodeIdTable } from './idTable';
import type { RawSnapshot } from './parser/index';
import { RetainerTree } from './retainers';

export interface ClassAggregate {
  name: string;
  count: number;
  selfSize: number;
  /** Retained size of the class: objects nested under another object of the same class are not counted twice. */
  retainedSize: number;
  detached: number;
}

export interface SourceLocation {
  url: string;
  /** 1-based, as editors show them (the snapshot's are 0-based). */
  line: number;
  column: number;
}

export class SnapshotAnalysis {
  readonly graph: HeapGraph;
  readonly dominators: DominatorResult;
  readonly ids: Uint32Array;
  private retainerTree: RetainerTree | undefined;
  private idTable: NodeIdTable | undefined;
  private locationRow: Int32Array | undefined;
  private scriptUrls: Map<number, string> | undefined; // keyed by script id, a few hundred at most

  constructor(raw: RawSnapshot) {
    this.graph = new HeapGraph(raw);
    this.dominators = computeDominators(this.graph);
    this.ids = new Uint32Array(this.graph.nodeCount);
    for (let i = 0; i < this.graph.nodeCount; i++) this.ids[i] = this.graph.nodeId(i);
  }

  /** Shortest strong retainer paths; built on first use (a snapshot that is only summarised never needs them). */
  get retainers(): RetainerTree {
    return (this.retainerTree ??= new RetainerTree(this.graph));
  }

  /** Node ordinal of the object with this id, or -1. */
  ordinalOf(id: number): number {
    this.idTable ??= new NodeIdTable(this.ids);
    return this.idTable.get(id);
  }

  get totalSize(): number {
    let sum = 0;
    const g = this.graph;
    for (let i = 0; i < g.nodeCount; i++) sum += g.selfSize(i);
    return sum;
  }

  /** Per-class aggregates; the retained size walks the dominator tree once, counting each class only at its outermost objects. */
  classAggregates(): ClassAggregate[] {
    const g = this.graph;
    const n = g.nodeCount;
    const rows: ClassAggregate[] = g.classNames.map((name) => ({ name, count: 0, selfSize: 0, retainedSize: 0, detached: 0 }));
    for (let i = 0; i < n; i++) {
      const row = rows[g.classOf[i]!]!;
      row.count++;
      row.selfSize += g.selfSize(i);
      if (g.detachedness(i) === 2) row.detached++;
    }
    // Dominator tree children in compressed-row form, then a preorder walk with a per-class depth.
    const idom = this.dominators.idom;
    const first = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) if (idom[i] !== NO_DOMINATOR) first[idom[i]! + 1]!++;
    for (let i = 0; i < n; i++) first[i + 1]! += first[i]!;
    const children = new Uint32Array(first[n]!);
    const fill = first.slice(0, n);
    for (let i = 0; i < n; i++) if (idom[i] !== NO_DOMINATOR) children[fill[idom[i]!]!++] = i;
    const depth = new Uint32Array(g.classNames.length);
    const stack = new Uint32Array(n);
    const next = new Uint32Array(n);
    const retained = this.dominators.retained;
    const visit = (root: number): void => {
      let sp = 0;
      stack[sp] = root;
      next[sp++] = first[root]!;
      if (depth[g.classOf[root]!]!++ === 0) rows[g.classOf[root]!]!.retainedSize += retained[root]!;
      while (sp > 0) {
        const v = stack[sp - 1]!;
        const c = next[sp - 1]!;
        if (c >= first[v + 1]!) {
          depth[g.classOf[v]!]!--;
          sp--;
          continue;
        }
        next[sp - 1] = c + 1;
        const w = children[c]!;
        if (depth[g.classOf[w]!]!++ === 0) rows[g.classOf[w]!]!.retainedSize += retained[w]!;
        stack[sp] = w;
        next[sp++] = first[w]!;
      }
    };
    for (let i = 0; i < n; i++) if (idom[i] === NO_DOMINATOR) visit(i); // the root, and unreachable nodes
    return rows;
  }

  /** Where an object was defined (closures) or its constructor (objects), when the snapshot records it. */
  location(node: number): SourceLocation | undefined {
    const g = this.graph;
    const lf = g.locationFieldCount;
    if (!this.locationRow) {
      this.locationRow = new Int32Array(g.nodeCount).fill(-1);
      for (let r = 0; r + lf <= g.locations.length; r += lf) this.locationRow[g.locations[r]! / g.nodeFieldCount] = r;
    }
    const row = this.locationRow[node]!;
    if (row < 0) return undefined;
    const url = this.scriptUrl(g.locations[row + 1]!);
    if (!url) return undefined;
    return { url, line: g.locations[row + 2]! + 1, column: g.locations[row + 3]! + 1 };
  }

  /** Script id -> URL, through closures: closure -shared-> SharedFunctionInfo -script-> Script (named by its URL). */
  private scriptUrl(scriptId: number): string | undefined {
    const g = this.graph;
    if (!this.scriptUrls) {
      this.scriptUrls = new Map();
      const lf = g.locationFieldCount;
      for (let r = 0; r + lf <= g.locations.length; r += lf) {
        const id = g.locations[r + 1]!;
        if (this.scriptUrls.has(id)) continue;
        const node = g.locations[r]! / g.nodeFieldCount;
        if (g.nodeType(node) !== 'closure') continue;
        const shared = this.edgeByName(node, 'shared');
        const script =
          shared === undefined ? undefined : (this.edgeByName(shared, 'script_or_debug_info') ?? this.edgeByName(shared, 'script'));
        const name = script === undefined ? '' : g.nodeName(script);
        if (name && !name.startsWith('system /')) this.scriptUrls.set(id, name);
      }
    }
    return this.scriptUrls.get(scriptId);
  }

  private edgeByName(node: number, name: string): number | undefined {
    const g = this.graph;
    for (let k = g.firstEdge[node]!, end = g.firstEdge[node + 1]!; k < end; k++) if (g.edgeName(k) === name) return g.edgeTarget(k);
    return undefined;
  }
}
