// Bytes still alive per allocation site from a sampling heap profile. V8 attributes each
// sampled allocation to the function running when it happened (its call frame names where
// that function starts, not the allocating line), with the stack of callers above it; a
// constructor's own node holds what `new X()` allocated. Sites are grouped by function and
// keep the heaviest stack that led there.
import type { ProfileCallFrame, SamplingHeapNode, SamplingHeapProfile } from './types';

export interface AllocationSite {
  key: string;
  callFrame: ProfileCallFrame;
  /** Sampled bytes still alive when sampling stopped (V8 scales samples to estimated bytes). */
  aliveBytes: number;
  /** The heaviest stack that allocated here: callers, innermost first (this site excluded). */
  callers: ProfileCallFrame[];
}

export interface AllocationTotals {
  aliveBytes: number;
  sampleCount: number;
  sites: AllocationSite[];
}

function frameKey(f: ProfileCallFrame): string {
  return `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`;
}

export function allocationTotals(profile: SamplingHeapProfile): AllocationTotals {
  const sites = new Map<string, AllocationSite & { heaviest: number }>();
  let aliveBytes = 0;
  // Iterative walk: stacks can be 128 frames deep and trees wide; `path` is the current chain.
  const path: SamplingHeapNode[] = [];
  const pending: { node: SamplingHeapNode; depth: number }[] = [{ node: profile.head, depth: 0 }];
  while (pending.length) {
    const { node, depth } = pending.pop()!;
    path.length = depth;
    path.push(node);
    if (node.selfSize > 0) {
      aliveBytes += node.selfSize;
      const key = frameKey(node.callFrame);
      let site = sites.get(key);
      if (!site) sites.set(key, (site = { key, callFrame: node.callFrame, aliveBytes: 0, callers: [], heaviest: 0 }));
      site.aliveBytes += node.selfSize;
      if (node.selfSize > site.heaviest) {
        site.heaviest = node.selfSize;
        site.callers = path
          .slice(1, -1)
          .reverse()
          .map((n) => n.callFrame);
      }
    }
    for (const child of node.children ?? []) pending.push({ node: child, depth: depth + 1 });
  }
  const list = [...sites.values()].map(({ heaviest: _h, ...site }) => site).sort((a, b) => b.aliveBytes - a.aliveBytes);
  return { aliveBytes, sampleCount: profile.samples?.length ?? 0, sites: list };
}
