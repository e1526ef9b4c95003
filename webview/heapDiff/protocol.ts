// The heap-diff panel's protocol, shared by the extension host and the webview. The panel
// gets aggregates only (the top classes, their retainer paths, per-snapshot totals); the
// snapshots themselves stay in the extension host's worker.
import type { ProtocolShape } from '../shared/ipc';

export interface SourceLocationView {
  url: string;
  line: number;
  column: number;
}

export interface RetainerPathView {
  path: string;
  count: number;
  retainedSize: number;
  culprits: string[];
}

export interface ClassRowView {
  name: string;
  internal: boolean;
  targetCount: number;
  targetSelfSize: number;
  countDelta: number;
  selfSizeDelta: number;
  retainedSizeDelta: number;
  added: number;
  removed: number;
  addedRetainedSize: number;
  paths: RetainerPathView[];
  location?: SourceLocationView;
}

export interface LeakRowView {
  name: string;
  internal: boolean;
  count: number;
  selfSize: number;
  retainedSize: number;
  paths: RetainerPathView[];
  location?: SourceLocationView;
}

export interface HeapDiffView {
  title: string;
  snapshots: { label: string; file: string; totalSize: number; nodeCount: number }[];
  idsOverlap: boolean;
  note?: string;
  totals: { countDelta: number; selfSizeDelta: number; retainedGrowth: number };
  /** Ranked as the core ranks them: application classes that grew first. */
  classes: ClassRowView[];
  leaks?: { classes: LeakRowView[]; paths: RetainerPathView[]; culprits: string[]; retainedSize: number };
  /** The class selected when the panel opens: the top application suspect (core/heap/suspects). */
  suspect?: string;
}

export interface HeapDiffProtocol extends ProtocolShape {
  requests: {
    model: { params: Record<string, never>; result: HeapDiffView };
  };
  commands: {
    openLocation: SourceLocationView;
  };
  notifications: {
    model: HeapDiffView;
  };
}
