// The results of comparing snapshots, as plain data: what the CLI prints, the worker
// posts back and the heap-diff panel draws. Sizes are in bytes.
import type { SourceLocation } from './analysis';

export interface RetainerGroup {
  /** Readable path, e.g. `EventEmitter._events.data -> Array -> closure -> RequestContext`. */
  path: string;
  /** Objects (of the sample looked at) retained along this path. */
  count: number;
  retainedSize: number;
  culprits: string[];
  /** Classes of the objects on this path (leak check only). */
  classes?: string[];
}

export interface ClassDelta {
  name: string;
  /** Engine-internal or generic (closures, arrays, strings, system objects, plain Object). */
  internal: boolean;
  baseCount: number;
  targetCount: number;
  countDelta: number;
  baseSelfSize: number;
  targetSelfSize: number;
  selfSizeDelta: number;
  baseRetainedSize: number;
  targetRetainedSize: number;
  retainedSizeDelta: number;
  /** Objects present in the target only (by node id); equal to the growth when ids do not overlap. */
  added: number;
  removed: number;
  addedSize: number;
  removedSize: number;
  /** Retained size of the added objects in the target. */
  addedRetainedSize: number;
  detached: number;
  paths: RetainerGroup[];
  location?: SourceLocation;
}

export interface SnapshotSummary {
  file: string;
  label: string;
  nodeCount: number;
  totalSize: number;
}

export interface LeakClass {
  name: string;
  internal: boolean;
  /** Allocated between baseline and target and still alive in the final snapshot. */
  count: number;
  selfSize: number;
  retainedSize: number;
  paths: RetainerGroup[];
  location?: SourceLocation;
}

export interface LeakReport {
  classes: LeakClass[];
  paths: RetainerGroup[];
  /** The culprits of the top paths, in words. */
  culprits: string[];
  /** Memory held by the leaked objects, each counted once. */
  retainedSize: number;
}

export interface HeapComparison {
  snapshots: SnapshotSummary[];
  /** False when the snapshots come from different processes: the diff is then of class totals. */
  idsOverlap: boolean;
  note?: string;
  /** Ranked: application classes first, then by retained size of what was added. */
  classes: ClassDelta[];
  /** Present when three snapshots were compared (baseline, target, final). */
  leaks?: LeakReport;
  /** retainedGrowth: memory held by new objects (leaked ones with three snapshots), each counted once. */
  totals: { countDelta: number; selfSizeDelta: number; retainedGrowth: number };
}
