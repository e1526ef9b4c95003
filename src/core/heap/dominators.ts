// Immediate dominators (Lengauer–Tarjan with path compression, every step iterative so
// deep object chains cannot overflow the stack) and retained sizes. Weak edges do not
// retain. Vertices are numbered in DFS preorder from the root (1-based); nodes the root
// cannot reach keep their self size as retained size and have no dominator.
import type { HeapGraph } from './graph';

export const NO_DOMINATOR = 0xffffffff;

export interface DominatorResult {
  /** Immediate dominator (node ordinal) of each node, NO_DOMINATOR for the root and unreachable nodes. */
  idom: Uint32Array;
  retained: Float64Array;
  reachable: number;
}

export function computeDominators(g: HeapGraph): DominatorResult {
  const n = g.nodeCount;
  const dfnum = new Uint32Array(n); // node -> preorder number (0 = not reached)
  const vertex = new Uint32Array(n + 1); // preorder number -> node
  const parent = new Uint32Array(n + 1);
  const semi = new Uint32Array(n + 1);
  const idom = new Uint32Array(n + 1);
  const ancestor = new Uint32Array(n + 1);
  const label = new Uint32Array(n + 1);
  const bucketHead = new Uint32Array(n + 1);
  const bucketNext = new Uint32Array(n + 1);

  // 1. Iterative DFS: a stack of nodes with the next edge to follow.
  let count = 0;
  const stackNode = new Uint32Array(n);
  const stackEdge = new Uint32Array(n);
  let sp = 0;
  if (n > 0) {
    dfnum[0] = ++count;
    vertex[count] = 0;
    stackNode[0] = 0;
    stackEdge[0] = g.firstEdge[0]!;
    sp = 1;
  }
  while (sp > 0) {
    const v = stackNode[sp - 1]!;
    const k = stackEdge[sp - 1]!;
    if (k >= g.firstEdge[v + 1]!) {
      sp--;
      continue;
    }
    stackEdge[sp - 1] = k + 1;
    if (!g.isStrongEdge(k)) continue;
    const w = g.edgeTarget(k);
    if (dfnum[w] !== 0) continue;
    dfnum[w] = ++count;
    vertex[count] = w;
    parent[count] = dfnum[v]!;
    stackNode[sp] = w;
    stackEdge[sp] = g.firstEdge[w]!;
    sp++;
  }
  for (let v = 1; v <= count; v++) {
    semi[v] = v;
    label[v] = v;
  }

  // eval() with iterative path compression over the `ancestor` forest.
  const path = new Uint32Array(count + 1);
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    let depth = 0;
    let u = v;
    while (ancestor[ancestor[u]!] !== 0) {
      path[depth++] = u;
      u = ancestor[u]!;
    }
    while (depth > 0) {
      const x = path[--depth]!;
      const a = ancestor[x]!;
      if (semi[label[a]!]! < semi[label[x]!]!) label[x] = label[a]!;
      ancestor[x] = ancestor[a]!;
    }
    return label[v]!;
  };

  // 2. Semidominators in reverse preorder, implicit idoms from the buckets.
  for (let w = count; w >= 2; w--) {
    const node = vertex[w]!;
    for (let r = g.firstRetainer[node]!, end = g.firstRetainer[node + 1]!; r < end; r++) {
      const v = dfnum[g.retainerNode[r]!]!;
      if (v === 0) continue;
      const u = evaluate(v);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    const s = semi[w]!;
    bucketNext[w] = bucketHead[s]!;
    bucketHead[s] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== 0; v = bucketNext[v]!) {
      const u = evaluate(v);
      idom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = 0;
  }
  // 3. Explicit idoms in preorder.
  for (let w = 2; w <= count; w++) {
    if (idom[w] !== semi[w]) idom[w] = idom[idom[w]!]!;
  }

  // Retained sizes: children before parents, i.e. reverse preorder.
  const retained = new Float64Array(n);
  for (let i = 0; i < n; i++) retained[i] = g.selfSize(i);
  for (let w = count; w >= 2; w--) retained[vertex[idom[w]!]!]! += retained[vertex[w]!]!;

  const idomByNode = new Uint32Array(n).fill(NO_DOMINATOR);
  for (let w = 2; w <= count; w++) idomByNode[vertex[w]!] = vertex[idom[w]!]!;
  return { idom: idomByNode, retained, reachable: count };
}
