// Dominators and retained sizes on a graph checkable by hand and, on real snapshots,
// against an independent (Cooper–Harvey–Kennedy) dominator computation; retainer paths,
// the diff and the leak check on real snapshots of a leaking and a clean process.
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotAnalysis } from '../../../src/core/heap/analysis';
import { compareSnapshotFiles } from '../../../src/core/heap/compare';
import { NO_DOMINATOR } from '../../../src/core/heap/dominators';
import type { HeapGraph } from '../../../src/core/heap/graph';
import { NodeIdTable } from '../../../src/core/heap/idTable';
import { parseSnapshotFile } from '../../../src/core/heap/parser/index';
import type { HeapComparison } from '../../../src/core/heap/report';
import { makeTempDir } from '../harness/git';
import { captureOrdersSeries, writeTinySnapshot, type TinyNode } from './snapshots';

/** Cooper, Harvey & Kennedy's iterative algorithm: a different method, for cross-checking. */
function referenceDominators(g: HeapGraph): Int32Array {
  const n = g.nodeCount;
  const order: number[] = [];
  const seen = new Uint8Array(n);
  const stack: [number, number][] = [[0, g.firstEdge[0]!]];
  seen[0] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top[1] >= g.firstEdge[top[0] + 1]!) {
      order.push(top[0]);
      stack.pop();
      continue;
    }
    const k = top[1]++;
    if (!g.isStrongEdge(k)) continue;
    const w = g.edgeTarget(k);
    if (!seen[w]) {
      seen[w] = 1;
      stack.push([w, g.firstEdge[w]!]);
    }
  }
  const post = new Int32Array(n).fill(-1);
  order.forEach((v, i) => (post[v] = i));
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const rpo = [...order].reverse();
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  // Predecessors from the forward edges, built here rather than taken from the graph's own retainer lists.
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) {
    for (let k = g.firstEdge[v]!; k < g.firstEdge[v + 1]!; k++) if (g.isStrongEdge(k)) preds[g.edgeTarget(k)]!.push(v);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const v of rpo) {
      if (v === 0) continue;
      let next = -1;
      for (const p of preds[v]!) {
        if (idom[p] === -1 || post[p] === -1) continue;
        next = next === -1 ? p : intersect(p, next);
      }
      if (next !== idom[v]) {
        idom[v] = next;
        changed = true;
      }
    }
  }
  return idom;
}

const obj = (name: string, id: number, size: number, edges: TinyNode['edges'] = []): TinyNode => ({
  type: 'object',
  name,
  id,
  size,
  edges,
});

describe('heap analysis', function () {
  this.timeout(180000);
  let dir: string;
  let leak: string[];
  let clean: string[];
  before(async () => {
    dir = makeTempDir('forensics-heap-analysis-');
    leak = await captureOrdersSeries(dir, 'leak', 150);
    clean = await captureOrdersSeries(dir, 'clean', 150);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('computes dominators and retained sizes of a hand-checked graph, ignoring weak edges', async () => {
    // root -> A -> {B, C}; B -> D; C -> D; D -> E; root -weak-> F; A -weak-> E
    // A dominates B, C, D; D dominates E; F is unreachable by strong edges.
    const file = join(dir, 'hand.heapsnapshot');
    writeTinySnapshot(file, [
      {
        type: 'synthetic',
        name: '',
        id: 1,
        size: 0,
        edges: [
          { type: 'element', name: 1, to: 1 },
          { type: 'weak', name: 2, to: 6 },
        ],
      },
      obj('A', 3, 10, [
        { type: 'property', name: 'b', to: 2 },
        { type: 'property', name: 'c', to: 3 },
        { type: 'weak', name: 'e', to: 5 },
      ]),
      obj('B', 5, 20, [{ type: 'property', name: 'd', to: 4 }]),
      obj('C', 7, 30, [{ type: 'property', name: 'd', to: 4 }]),
      obj('D', 9, 40, [{ type: 'property', name: 'e', to: 5 }]),
      obj('E', 11, 50),
      obj('F', 13, 60),
    ]);
    const a = new SnapshotAnalysis(await parseSnapshotFile(file));
    assert.deepEqual(Array.from(a.dominators.idom), [NO_DOMINATOR, 0, 1, 1, 1, 4, NO_DOMINATOR]);
    assert.deepEqual(Array.from(a.dominators.retained), [150, 150, 20, 30, 90, 50, 60]);
    assert.equal(
      a.retainers
        .steps(5)
        .map((s) => `${s.holder}.${s.edge}`)
        .join(' '),
      '(synthetic).[1] A.b B.d D.e',
    );
    const byName = new Map(a.classAggregates().map((c) => [c.name, c]));
    assert.equal(byName.get('D')!.retainedSize, 90);
    assert.equal(byName.get('F')!.count, 1);
  });

  it('agrees with an independent dominator algorithm on a real snapshot', async () => {
    const a = new SnapshotAnalysis(await parseSnapshotFile(leak[2]!));
    const reference = referenceDominators(a.graph);
    let compared = 0;
    for (let i = 1; i < a.graph.nodeCount; i++) {
      const expected = reference[i] === -1 ? NO_DOMINATOR : reference[i];
      assert.equal(a.dominators.idom[i], expected, `node ${i} (${a.graph.className(i)})`);
      compared++;
    }
    assert.ok(compared > 10000);
    // Retained sizes add up: the root retains every reachable byte.
    let reachableBytes = 0;
    for (let i = 0; i < a.graph.nodeCount; i++) if (a.retainers.reachable(i)) reachableBytes += a.graph.selfSize(i);
    assert.equal(a.dominators.retained[0], reachableBytes);
  });

  it('the typed-array id table finds every id and only those, with dense ids and with sparse ones', () => {
    // Dense: V8's ids in one session (odd, in steps of 2). Sparse: a long session's ids,
    // spread far beyond the entry count, which take the hashed path. Mixed: dense ids with
    // a few far above them, as embedder nodes have in real snapshots.
    const dense = Uint32Array.from({ length: 200000 }, (_, i) => i * 2 + 1);
    const sparse = Uint32Array.from({ length: 200000 }, (_, i) => ((i * 2654435761 + 7) >>> 0) | 1);
    const mixed = Uint32Array.from({ length: 200000 }, (_, i) => (i % 1000 === 999 ? 3950000000 + i * 2 : i * 2 + 1));
    for (const ids of [dense, sparse, mixed]) {
      const table = new NodeIdTable(ids);
      const present = new Set(ids);
      for (let i = 0; i < ids.length; i += 997) assert.equal(table.get(ids[i]!), i);
      for (const absent of [0, 2, 400001, 123456788, 4294967294])
        if (!present.has(absent)) assert.equal(table.get(absent), -1, `id ${absent}`);
      assert.equal(table.get(4294967295), present.has(4294967295) ? ids.indexOf(4294967295) : -1);
    }
  });

  let leakReport: HeapComparison;
  it('names the leak: RequestContext first, held by the listener closure', async () => {
    leakReport = await compareSnapshotFiles(leak);
    assert.equal(leakReport.idsOverlap, true);
    const leaks = leakReport.leaks!;
    const top = leaks.classes[0]!;
    assert.equal(top.name, 'RequestContext');
    assert.equal(top.count, 150, 'the requests served between baseline and target, still alive');
    assert.equal(top.paths[0]!.path, 'EventEmitter._events.inventory-changed -> Array -> closure -> RequestContext');
    assert.match(top.location!.url, /orders-app\.js$/);
    assert.equal(top.location!.line, 14);
    assert.ok(
      leaks.culprits.some((c) => /EventEmitter listeners: a listener for 'inventory-changed'/.test(c)),
      leaks.culprits.join('\n'),
    );
    assert.ok(leaks.culprits.some((c) => /closure over a request object: the function captures `ctx`/.test(c)));
    const diffTop = leakReport.classes[0]!;
    assert.equal(diffTop.name, 'RequestContext');
    assert.equal(diffTop.added, 300);
    assert.equal(diffTop.countDelta, 300);
    assert.ok(leakReport.totals.retainedGrowth > 300 * 500, `retained growth ${leakReport.totals.retainedGrowth}`);
  });

  it('finds no application leak in the clean process', async () => {
    const report = await compareSnapshotFiles(clean);
    assert.equal(report.idsOverlap, true);
    assert.equal(
      report.leaks!.classes.filter((c) => !c.internal && c.count > 10).length,
      0,
      JSON.stringify(report.leaks!.classes.slice(0, 5)),
    );
    assert.deepEqual(report.leaks!.culprits, []);
    assert.ok(report.totals.retainedGrowth < leakReport.totals.retainedGrowth / 4);
  });

  it('falls back to class totals, and says so, for snapshots of different processes', async () => {
    const report = await compareSnapshotFiles([clean[0]!, leak[2]!]);
    assert.equal(report.idsOverlap, false);
    assert.match(report.note!, /not matched by id.*class totals/);
    const rc = report.classes.find((c) => c.name === 'RequestContext')!;
    assert.equal(rc.countDelta, 300);
    assert.equal(rc.added, 300);
    assert.equal(report.leaks, undefined);
  });
});
