// One measurement of the heap peers bench, run in a child process of its own so its peak
// RSS (maxRSS) is its own:  node --import tsx bench/lib/heapPeerMeasure.ts <method> <op> <base> <target>
// Prints one line `@@measure@@{"ms":…,"peakRssMb":…,"detail":…}` on stdout (memlab logs to
// stdout too, hence the marker). `op` is "parse" (the target file) or "diff" (base → target).
import { readFileSync } from 'node:fs';
import { parseSnapshotFile } from '../../src/core/heap/parser/index';
import { SnapshotAnalysis } from '../../src/core/heap/analysis';
import { compareSnapshotFiles } from '../../src/core/heap/compare';
import { requirePeer } from './heapPeers';
import { runMeasured } from './measureChild';

export { MEASURE_MARK } from './measureChild';
export const METHODS = ['ours', 'ours+analysis', 'json', 'memlab', 'memlab+analysis', 'vscode'] as const;
export type Method = (typeof METHODS)[number];
export type Op = 'parse' | 'diff';

// The few members of the peers' APIs used here, as their own type definitions declare them
// (@memlab/core dist/lib/Utils.d.ts, Types.d.ts; @vscode/v8-heap-parser pkg/nodejs/*.d.ts).
interface MemlabNode {
  id: number;
  name: string;
}
interface MemlabSnapshot {
  nodes: { length: number; forEach(cb: (node: MemlabNode) => void): void };
}
interface MemlabCore {
  analysis: { preparePathFinder(snapshot: MemlabSnapshot): unknown };
  utils: {
    getSnapshotFromFile(file: string, options: Record<string, unknown>): Promise<MemlabSnapshot>;
    getSnapshotNodeIdsFromFile(file: string, options: Record<string, unknown>): Promise<{ has(id: number): boolean; size: number }>;
  };
}
interface VscodeGraph {
  get_class_groups(start: number, end: number, noRetained: boolean): { free(): void }[];
  free(): void;
}
interface VscodeHeapParser {
  decode_bytes(input: Uint8Array): VscodeGraph;
}

/** What each method does to a snapshot (or pair); returns a short detail for the report. */
async function perform(method: Method, op: Op, base: string, target: string): Promise<string> {
  switch (method) {
    case 'ours': {
      if (op === 'diff') {
        // BENCH_WORKER_DIR: the bundled digest worker, so the base is read beside the target as in the product.
        const cmp = await compareSnapshotFiles([base, target], { workerDir: process.env.BENCH_WORKER_DIR });
        return `${cmp.classes.length} classes compared, +${cmp.totals.countDelta} nodes`;
      }
      return `${(await parseSnapshotFile(target)).nodeCount} nodes`;
    }
    case 'ours+analysis':
      return `${new SnapshotAnalysis(await parseSnapshotFile(target)).graph.nodeCount} nodes with dominators and retained sizes`;
    case 'json': {
      const json = JSON.parse(readFileSync(target, 'utf8')) as { snapshot: { node_count: number } };
      return `${json.snapshot.node_count} nodes`;
    }
    case 'memlab': {
      const { utils } = requirePeer('@memlab/core') as MemlabCore;
      if (op === 'parse') {
        // The parse step of @memlab/heap-analysis's getFullHeapFromFile (with the node-id index).
        const heap = await utils.getSnapshotFromFile(target, { buildNodeIdIndex: true });
        return `${heap.nodes.length} nodes`;
      }
      // memlab's own diff (MemoryAnalyst.diffSnapshots) needs a memlab work dir of browser
      // runs; its building blocks are: the ids of the base, a full parse of the target and
      // the target's nodes whose ids are new, grouped by name.
      const baseIds = await utils.getSnapshotNodeIdsFromFile(base, {});
      const heap = await utils.getSnapshotFromFile(target, { buildNodeIdIndex: true });
      const added = new Map<string, number>();
      heap.nodes.forEach((n) => {
        if (!baseIds.has(n.id)) added.set(n.name, (added.get(n.name) ?? 0) + 1);
      });
      return `${added.size} names with new nodes`;
    }
    case 'memlab+analysis': {
      // @memlab/heap-analysis's getFullHeapFromFile: the parse above, then preparePathFinder
      // (dominators, retained sizes, shortest paths), as its loadProcessedSnapshot does.
      const { utils, analysis } = requirePeer('@memlab/core') as MemlabCore;
      const heap = await utils.getSnapshotFromFile(target, { buildNodeIdIndex: true });
      analysis.preparePathFinder(heap);
      return `${heap.nodes.length} nodes with dominators and retained sizes`;
    }
    case 'vscode': {
      const parser = requirePeer('@vscode/v8-heap-parser') as VscodeHeapParser;
      // The VS Code heap viewer reads the whole file into memory and decodes it in WebAssembly;
      // decoding computes retained sizes too (reading the top class groups by retained size
      // afterwards takes ~1 ms), so this row compares with ours + analysis.
      const graph = parser.decode_bytes(readFileSync(target));
      const groups = graph.get_class_groups(0, 10, false);
      for (const g of groups) g.free();
      graph.free();
      return `decoded, ${groups.length} class groups read`;
    }
  }
}

if (require.main === module) runMeasured(([method, op, base, target]) => perform(method as Method, op as Op, base!, target!));
