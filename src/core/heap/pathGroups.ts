// Retainer paths of many objects grouped by their readable form: a sample of each class
// is enough to see the handful of paths that hold it.
import type { SnapshotAnalysis } from './analysis';
import { culpritsOf } from './culprits';
import type { RetainerGroup } from './report';
import { describePath } from './retainers';

/** Evenly spaced sample of at most `limit` items, so early and late objects are both seen. */
export function sample<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const out: T[] = [];
  const step = items.length / limit;
  for (let i = 0; i < limit; i++) out.push(items[Math.floor(i * step)]!);
  return out;
}

export function groupRetainerPaths(a: SnapshotAnalysis, nodes: number[], top = 3, limit = 200): RetainerGroup[] {
  const groups = new Map<string, RetainerGroup>(); // keyed by path text
  for (const node of sample(nodes, limit)) {
    const target = a.graph.className(node);
    const steps = a.retainers.steps(node);
    const path = describePath(steps, target);
    let group = groups.get(path);
    if (!group) {
      group = { path, count: 0, retainedSize: 0, culprits: culpritsOf(steps, target), classes: [] };
      groups.set(path, group);
    }
    group.count++;
    group.retainedSize += a.dominators.retained[node]!;
    if (!group.classes!.includes(target)) group.classes!.push(target);
  }
  return [...groups.values()].sort((x, y) => y.retainedSize - x.retainedSize || y.count - x.count).slice(0, top);
}

export function firstLocation(a: SnapshotAnalysis, nodes: number[]): ReturnType<SnapshotAnalysis['location']> {
  for (const node of nodes.slice(0, 50)) {
    const loc = a.location(node);
    if (loc) return loc;
  }
  return undefined;
}
