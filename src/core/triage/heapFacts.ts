// Evidence from a heap comparison: how much the heap grew, what leaked (with three
// snapshots), and the classes that grow most with the retainer path that holds them and
// the culprit in words. Application classes come first, as the comparison ranks them.
import type { HeapComparison } from '../heap/report';
import type { HeapFacts } from './evidence';

export function heapFacts(comparison: HeapComparison, top = 5): HeapFacts {
  const sizes = comparison.snapshots.map((s) => s.totalSize);
  const growthBytes = sizes.length >= 2 ? sizes[sizes.length - 1] - sizes[0] : comparison.totals.selfSizeDelta;
  const leaked = comparison.leaks?.classes.filter((c) => c.count > 0);
  const suspects = leaked?.length
    ? leaked.slice(0, top).map((c) => ({
        className: c.name,
        countDelta: c.count,
        sizeDelta: c.retainedSize,
        retainerPath: c.paths[0]?.path,
        culprit: c.paths[0]?.culprits[0],
      }))
    : comparison.classes
        .filter((c) => c.countDelta > 0)
        .slice(0, top)
        .map((c) => ({
          className: c.name,
          countDelta: c.countDelta,
          sizeDelta: c.selfSizeDelta,
          retainerPath: c.paths[0]?.path,
          culprit: c.paths[0]?.culprits[0],
        }));
  return { leakedBytes: comparison.leaks?.retainedSize, growthBytes, suspects };
}
