// Comparing two or three snapshots. Objects are matched by node id (V8 keeps an object's
// id for its lifetime within one process); when the ids do not overlap (snapshots of
// different processes) the comparison falls back to class totals and says so. With three
// snapshots (baseline, target, final) the leak check keeps the objects allocated between
// baseline and target that are still alive in final. Only the last snapshot stays fully
// analysed in memory; earlier ones are reduced to a digest (ids, classes, sizes), in a worker
// thread while this thread works on the last one.
import { availableParallelism } from 'node:os';
import { SnapshotAnalysis } from './analysis';
import { digestSnapshotFile, digestSnapshotFileInWorker, nameHashes, type DigestOptions, type SnapshotDigest } from './digest';
import { NodeIdTable } from './idTable';
import { countedTypes, judgeIds, type IdEvidence } from './idMatch';
import { recordedSessions } from './sessionRecord';
import { abortError, isAbortError } from './cancel';
import { parseSnapshotFile } from './parser/index';
import { firstLocation, groupRetainerPaths } from './pathGroups';
import type { ClassDelta, HeapComparison, LeakClass, LeakReport, SnapshotSummary } from './report';
import { isGenericClass } from './retainers';
import { bundledWorker } from './workers';

export type { SnapshotDigest } from './digest';

const PATH_CLASSES = 20;

function emptyDelta(name: string): ClassDelta {
  return {
    name,
    internal: isGenericClass(name),
    baseCount: 0,
    targetCount: 0,
    countDelta: 0,
    baseSelfSize: 0,
    targetSelfSize: 0,
    selfSizeDelta: 0,
    baseRetainedSize: 0,
    targetRetainedSize: 0,
    retainedSizeDelta: 0,
    added: 0,
    removed: 0,
    addedSize: 0,
    removedSize: 0,
    addedRetainedSize: 0,
    detached: 0,
    paths: [],
  };
}

/** Application classes that grew first, then engine internals that grew, then the rest. */
export function rankClasses<T extends { internal: boolean }>(rows: T[], size: (row: T) => number): T[] {
  const tier = (r: T): number => (size(r) > 0 ? (r.internal ? 1 : 0) : 2);
  return rows.sort((x, y) => tier(x) - tier(y) || size(y) - size(x));
}

/** `sessions`: the recorded inspector sessions of base and target, where a series record names them. */
export function diffSnapshots(
  base: SnapshotDigest,
  target: SnapshotAnalysis,
  targetSummary: SnapshotSummary,
  sessions: [string | undefined, string | undefined] = [undefined, undefined],
): Pick<HeapComparison, 'classes' | 'idsOverlap' | 'note'> & { retainedGrowth: number } {
  const g = target.graph;
  const rows = new Map<string, ClassDelta>(); // keyed by class name
  const row = (name: string): ClassDelta => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = emptyDelta(name)));
    return r;
  };
  for (const agg of base.aggregates) {
    if (agg.count === 0) continue;
    const r = row(agg.name);
    r.baseCount = agg.count;
    r.baseSelfSize = agg.selfSize;
    r.baseRetainedSize = agg.retainedSize;
  }
  for (const agg of target.classAggregates()) {
    if (agg.count === 0) continue;
    const r = row(agg.name);
    r.targetCount = agg.count;
    r.targetSelfSize = agg.selfSize;
    r.targetRetainedSize = agg.retainedSize;
    r.detached = agg.detached;
  }

  // Match objects by id (see idMatch.ts for what V8 does with ids). A matching id with
  // another name is a new object that took a dead one's place: added, and the old one removed.
  const baseTable = new NodeIdTable(base.ids);
  const targetNames = nameHashes(g);
  const counted = countedTypes(g);
  const added = new Uint8Array(g.nodeCount);
  const kept = new Uint8Array(base.ids.length);
  const evidence: IdEvidence = { matched: 0, sameName: 0, below: 0, orphans: 0 };
  for (let i = 0; i < g.nodeCount; i++) {
    const id = target.ids[i]!;
    const o = baseTable.get(id);
    if (counted[g.nodeTypeIndex(i)] && id <= base.counterMax) {
      evidence.below++;
      if (o < 0) evidence.orphans++;
    }
    if (o < 0) added[i] = 1;
    else {
      evidence.matched++;
      if (base.nameHash[o] === targetNames[i]) {
        evidence.sameName++;
        kept[o] = 1;
      } else added[i] = 1;
    }
  }
  const verdict = judgeIds(evidence, sessions, [base.summary.label, targetSummary.label]);
  const idsOverlap = verdict.trusted;
  for (const r of rows.values()) {
    r.countDelta = r.targetCount - r.baseCount;
    r.selfSizeDelta = r.targetSelfSize - r.baseSelfSize;
    r.retainedSizeDelta = r.targetRetainedSize - r.baseRetainedSize;
  }
  // Memory held by new objects: each counted once, at the outermost new object.
  let retainedGrowth = 0;
  if (idsOverlap) {
    const targetRow = g.classNames.map(row);
    const baseRow = base.classNames.map(row);
    for (let i = 0; i < g.nodeCount; i++) {
      if (!added[i]) continue;
      const d = target.dominators.idom[i]!;
      if (!(d < g.nodeCount && added[d])) retainedGrowth += target.dominators.retained[i]!;
      const r = targetRow[g.classOf[i]!]!;
      r.added++;
      r.addedSize += g.selfSize(i);
      r.addedRetainedSize += target.dominators.retained[i]!;
    }
    for (let o = 0; o < base.ids.length; o++) {
      if (kept[o]) continue;
      const r = baseRow[base.classOf[o]!]!;
      r.removed++;
      r.removedSize += base.selfSize[o]!;
    }
  } else {
    retainedGrowth = Math.max(0, targetSummary.totalSize - base.summary.totalSize);
    for (const r of rows.values()) {
      r.added = Math.max(0, r.countDelta);
      r.removed = Math.max(0, -r.countDelta);
      r.addedSize = Math.max(0, r.selfSizeDelta);
      r.removedSize = Math.max(0, -r.selfSizeDelta);
    }
  }
  // Without matching ids, retained sizes of new objects are unknown: rank by self-size growth.
  // A class whose new objects only replaced freed ones (a Map swapped for a fresh one) did
  // not grow: it goes with the rest, not above the engine internals that did.
  // A cache refreshed under load is all new objects and no growth: what new objects retain
  // counts only up to what the class grew by in total.
  const grew = (c: ClassDelta): boolean => c.countDelta > 0 || c.selfSizeDelta > 0;
  const growth = (c: ClassDelta): number => Math.max(c.retainedSizeDelta, c.selfSizeDelta, 0);
  const classes = rankClasses([...rows.values()], (c) =>
    !grew(c) ? 0 : idsOverlap ? Math.min(c.addedRetainedSize, growth(c)) : c.addedSize,
  );

  // Retainer paths and locations of the top classes, from their new objects (or all, without ids).
  const top = new Map(classes.slice(0, PATH_CLASSES).map((c, i) => [c.name, i] as const));
  const topOfClass = Int32Array.from(g.classNames, (name) => top.get(name) ?? -1);
  const nodesOf: number[][] = classes.slice(0, PATH_CLASSES).map(() => []);
  for (let i = 0; i < g.nodeCount; i++) {
    if (idsOverlap && !added[i]) continue;
    const t = topOfClass[g.classOf[i]!]!;
    if (t >= 0) nodesOf[t]!.push(i);
  }
  classes.slice(0, PATH_CLASSES).forEach((c, t) => {
    c.paths = groupRetainerPaths(target, nodesOf[t]!);
    c.location = firstLocation(target, nodesOf[t]!);
  });
  const note = idsOverlap
    ? undefined
    : `Objects were not matched by id (${verdict.reason}): compared class totals, not individual objects.`;
  return { classes, idsOverlap, note, retainedGrowth };
}

export function leakCheck(baseline: SnapshotDigest, targetDigest: SnapshotDigest, final: SnapshotAnalysis): LeakReport {
  const g = final.graph;
  const inBaseline = new NodeIdTable(baseline.ids);
  const inTarget = new NodeIdTable(targetDigest.ids);
  const finalNames = nameHashes(g);
  const leaked = new Uint8Array(g.nodeCount);
  const byClass = new Map<number, number[]>(); // class ordinal -> leaked nodes
  // The same object has the same id and name; an id under another name is a newer object in a dead one's place.
  const sameObject = (digest: SnapshotDigest, ordinal: number, i: number): boolean =>
    ordinal >= 0 && digest.nameHash[ordinal] === finalNames[i];
  for (let i = 0; i < g.nodeCount; i++) {
    const id = final.ids[i]!;
    if (!sameObject(targetDigest, inTarget.get(id), i) || sameObject(baseline, inBaseline.get(id), i)) continue;
    leaked[i] = 1;
    const c = g.classOf[i]!;
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(i);
  }
  const idom = final.dominators.idom;
  let retainedSize = 0;
  for (let i = 0; i < g.nodeCount; i++) {
    if (leaked[i] && !(idom[i]! < g.nodeCount && leaked[idom[i]!])) retainedSize += final.dominators.retained[i]!;
  }
  const classes: (LeakClass & { nodes: number[] })[] = [];
  for (const [c, nodes] of byClass) {
    let self = 0;
    let retained = 0;
    for (const i of nodes) {
      self += g.selfSize(i);
      const d = idom[i]!;
      // Count an object's retained size unless a leaked object of the same class already holds it.
      if (!(d < g.nodeCount && leaked[d] && g.classOf[d] === c)) retained += final.dominators.retained[i]!;
    }
    const name = g.classNames[c]!;
    classes.push({ name, internal: isGenericClass(name), count: nodes.length, selfSize: self, retainedSize: retained, paths: [], nodes });
  }
  // A class no bigger in final than in baseline only replaced what it freed (a cache
  // refreshed under load): its survivors are not a leak, so it ranks after those that grew.
  const baselineCount = new Map(baseline.aggregates.map((a) => [a.name, a.count] as const));
  const finalCount = new Map(final.classAggregates().map((a) => [a.name, a.count] as const));
  const grewSinceBaseline = (name: string): boolean => (finalCount.get(name) ?? 0) > (baselineCount.get(name) ?? 0);
  rankClasses(classes, (c) => (grewSinceBaseline(c.name) ? c.retainedSize : 0));
  for (const c of classes.slice(0, PATH_CLASSES)) {
    c.paths = groupRetainerPaths(final, c.nodes);
    c.location = firstLocation(final, c.nodes);
  }
  // Culprits are read from application objects only; engine internals allocated along the
  // way (compiled code, shapes) would name whatever happens to hold them.
  const named = classes.filter((c) => !c.internal).slice(0, 5);
  const paths = groupRetainerPaths(
    final,
    named.flatMap((c) => c.nodes),
    5,
    500,
  );
  const culprits = [...new Set(paths.flatMap((p) => p.culprits))];
  return { classes: classes.map(({ nodes: _nodes, ...rest }) => rest), paths, culprits, retainedSize };
}

export type CompareStage = { stage: 'parse' | 'analyse'; file: string; index: number; fraction: number };

export interface CompareOptions {
  labels?: string[];
  onProgress?: (p: CompareStage) => void;
  signal?: AbortSignal;
  /** Where the bundled workers live (tests build them); defaults to beside this bundle. */
  workerDir?: string;
}

/** Parses and compares 2 or 3 snapshot files (in order: base, target[, final]). */
export async function compareSnapshotFiles(files: string[], options: CompareOptions = {}): Promise<HeapComparison> {
  if (files.length < 2 || files.length > 3) throw new Error(`compare 2 or 3 snapshots (base, target[, final]); got ${files.length}`);
  const labels = options.labels ?? (files.length === 3 ? ['baseline', 'target', 'final'] : ['base', 'target']);
  const lastIndex = files.length - 1;
  const worker = bundledWorker('digest.worker.js', options.workerDir);
  const digestOptions = (file: string, index: number, signal: AbortSignal | undefined): DigestOptions => ({
    signal,
    onProgress: (p) => options.onProgress?.({ ...p, file, index }),
  });
  const analyseLast = async (signal: AbortSignal | undefined): Promise<SnapshotAnalysis> => {
    const file = files[lastIndex]!;
    const raw = await parseSnapshotFile(file, {
      signal,
      onProgress: (read, total) => options.onProgress?.({ stage: 'parse', file, index: lastIndex, fraction: total ? read / total : 1 }),
    });
    options.onProgress?.({ stage: 'analyse', file, index: lastIndex, fraction: 0 });
    return new SnapshotAnalysis(raw);
  };

  let final: SnapshotAnalysis;
  let digests: SnapshotDigest[];
  if (!worker) {
    // No bundled worker (running from source): one snapshot after another, in this thread.
    digests = [];
    for (let index = 0; index < lastIndex; index++)
      digests.push(await digestSnapshotFile(files[index]!, labels[index]!, digestOptions(files[index]!, index, options.signal)));
    final = await analyseLast(options.signal);
  } else {
    // The earlier snapshots are digested in workers while this thread reads the last one:
    // all at once when there are cores for it, else one worker after another.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const together = availableParallelism() > lastIndex;
    let previous: Promise<unknown> = Promise.resolve();
    const pending = files.slice(0, lastIndex).map((file, index) => {
      const start = (): Promise<SnapshotDigest> =>
        digestSnapshotFileInWorker(worker, file, labels[index]!, digestOptions(file, index, signal));
      const run = together ? start() : previous.then(start);
      previous = run.catch(() => undefined);
      run.catch(() => undefined); // observed below; no unhandled rejection while the last file is read
      return run;
    });
    try {
      final = await analyseLast(signal);
      digests = await Promise.all(pending);
    } catch (err) {
      stop.abort();
      // An earlier file's own error (say, it is missing) is the one to report.
      const settled = await Promise.allSettled(pending);
      const earlier = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !isAbortError(s.reason));
      throw options.signal?.aborted ? abortError() : (earlier?.reason ?? err);
    }
  }
  const finalSummary: SnapshotSummary = {
    file: files[lastIndex]!,
    label: labels[lastIndex]!,
    nodeCount: final.graph.nodeCount,
    totalSize: final.totalSize,
  };
  const sessions = await recordedSessions(files);
  const diff = diffSnapshots(digests[0]!, final, finalSummary, [sessions[0], sessions[lastIndex]]);
  // The leak check also needs the target in the session of the other two.
  const targetInSession =
    digests.length === 2 && diff.idsOverlap && (sessions[1] === sessions[0] || sessions[1] === undefined || sessions[0] === undefined);
  const leaks = targetInSession ? leakCheck(digests[0]!, digests[1]!, final) : undefined;
  let note = diff.note;
  if (digests.length === 2 && !leaks)
    note = `${note ?? `${labels[1]} was captured in another inspector session.`} The three-snapshot leak check needs snapshots of one inspector session and was skipped.`;
  return {
    snapshots: [...digests.map((d) => d.summary), finalSummary],
    idsOverlap: diff.idsOverlap,
    note,
    classes: diff.classes,
    leaks,
    totals: {
      countDelta: finalSummary.nodeCount - digests[0]!.summary.nodeCount,
      selfSizeDelta: finalSummary.totalSize - digests[0]!.summary.totalSize,
      retainedGrowth: leaks ? leaks.retainedSize : diff.retainedGrowth,
    },
  };
}
