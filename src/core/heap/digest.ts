// A snapshot reduced to what a comparison needs from an earlier snapshot: ids, classes,
// sizes and per-class aggregates, all typed arrays or small lists so that a worker thread
// can hand it over without copying. Node names travel as 32-bit hashes, not as the string
// table: they only serve to check that a matching id is the same object.
import { SnapshotAnalysis, type ClassAggregate } from './analysis';
import type { HeapGraph } from './graph';
import { counterMax } from './idMatch';
import { parseSnapshotFile } from './parser/index';
import type { SnapshotSummary } from './report';
import { runWorker } from './workers';

export interface SnapshotDigest {
  summary: SnapshotSummary;
  ids: Uint32Array;
  classOf: Uint32Array;
  classNames: string[];
  selfSize: Uint32Array;
  /** FNV-1a hash of each node's name. */
  nameHash: Uint32Array;
  aggregates: ClassAggregate[];
  /** The highest id of V8's object counter in this snapshot (see idMatch.ts). */
  counterMax: number;
}

export type DigestStage = { stage: 'parse' | 'analyse'; fraction: number };

export interface DigestOptions {
  onProgress?: (p: DigestStage) => void;
  signal?: AbortSignal;
}

/** FNV-1a over UTF-16 code units: one hash per distinct string, then one load per node. */
export function nameHashes(g: HeapGraph): Uint32Array {
  const perString = new Uint32Array(g.strings.length);
  for (let s = 0; s < g.strings.length; s++) {
    const text = g.strings[s]!;
    let h = 0x811c9dc5;
    for (let c = 0; c < text.length; c++) h = Math.imul(h ^ text.charCodeAt(c), 0x01000193);
    perString[s] = h >>> 0;
  }
  const out = new Uint32Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) out[i] = perString[g.nodeNameIndex(i)] ?? 0;
  return out;
}

export function digest(a: SnapshotAnalysis, file: string, label: string): SnapshotDigest {
  const g = a.graph;
  const selfSize = new Uint32Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) selfSize[i] = g.selfSize(i);
  return {
    summary: { file, label, nodeCount: g.nodeCount, totalSize: a.totalSize },
    ids: a.ids,
    classOf: g.classOf,
    classNames: g.classNames,
    selfSize,
    nameHash: nameHashes(g),
    aggregates: a.classAggregates(),
    counterMax: counterMax(g),
  };
}

/** The typed arrays of a digest, to transfer (not copy) between threads. */
export function digestBuffers(d: SnapshotDigest): ArrayBuffer[] {
  return [d.ids, d.classOf, d.selfSize, d.nameHash].map((a) => a.buffer as ArrayBuffer);
}

export async function digestSnapshotFile(file: string, label: string, options: DigestOptions = {}): Promise<SnapshotDigest> {
  const raw = await parseSnapshotFile(file, {
    signal: options.signal,
    onProgress: (read, total) => options.onProgress?.({ stage: 'parse', fraction: total ? read / total : 1 }),
  });
  options.onProgress?.({ stage: 'analyse', fraction: 0 });
  return digest(new SnapshotAnalysis(raw), file, label);
}

export interface DigestRequest {
  file: string;
  label: string;
}

/** Digests a file in the bundled digest worker (see `bundledWorker`). */
export function digestSnapshotFileInWorker(
  worker: string,
  file: string,
  label: string,
  options: DigestOptions = {},
): Promise<SnapshotDigest> {
  const request: DigestRequest = { file, label };
  return runWorker<DigestStage, SnapshotDigest>(worker, request, options.onProgress, options.signal);
}
