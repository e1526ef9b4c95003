// Whether two snapshots' object ids name the same objects, i.e. come from one inspector
// session of one process. What V8 does (measured on a busy Node 20 process, see
// test/unit/heap/idMatch.test.ts):
// - Ids come from one counter that only grows within a session; each new session starts
//   again at 1 and numbers the whole heap densely. So in one session every id of a later
//   snapshot that is not above the earlier snapshot's highest id was in that snapshot:
//   an id below it that the earlier one lacks ("orphan") means another session.
// - An id sticks to an address until an object is seen moving there: an object allocated
//   in the place of a dead one, without moving, inherits its id. Under load that is 2-50%
//   of the ids found in both, with another name. Those are new objects, not kept ones,
//   and name agreement is no test of the session (a 98% bar refused every busy series).
// - Snapshots of two runs of one program overlap in ids when the earlier one is the first
//   of its session (dense ids leave no orphans); names then agree on 10-35% of the matches
//   of a busy service, and on 89% for a small one whose heap is mostly Node's own start-up.
//   Only the series record (sessionRecord.ts) tells such pairs apart for sure. Without one,
//   the old bar stays: 98% of the matches agree by name, which a quiet process meets.
import type { HeapGraph } from './graph';

/** Synthetic roots and embedder (native) nodes get ids outside V8's object counter. */
export function countedTypes(g: HeapGraph): Uint8Array {
  return Uint8Array.from(g.nodeTypes, (t) => (t === 'synthetic' || t === 'native' ? 0 : 1));
}

/** The highest id V8's object counter had handed out when this snapshot was taken. */
export function counterMax(g: HeapGraph): number {
  const counted = countedTypes(g);
  let max = 0;
  for (let i = 0; i < g.nodeCount; i++) {
    if (!counted[g.nodeTypeIndex(i)]) continue;
    const id = g.nodeId(i);
    if (id > max) max = id;
  }
  return max;
}

export interface IdEvidence {
  /** Target objects whose id is in the base. */
  matched: number;
  /** Of those, the ones with the same name. */
  sameName: number;
  /** Counted target objects with an id not above the base's counter. */
  below: number;
  /** Of those, the ones whose id the base lacks. */
  orphans: number;
}

export interface IdVerdict {
  trusted: boolean;
  /** Why not, in words, for the report's note (starts lower-case, no full stop). */
  reason?: string;
}

/** More orphans than this share of `below` means another session (one session has none). */
const ORPHAN_SHARE = 0.01;
/** Without a series record, at least this share of matched ids must agree by name. */
const UNRECORDED_NAME_SHARE = 0.98;

const percent = (part: number, whole: number): string => `${whole ? Math.round((100 * part) / whole) : 0}%`;

/**
 * `sessions` are the recorded sessions of base and target (undefined when not recorded);
 * labels name the snapshots in the reason.
 */
export function judgeIds(e: IdEvidence, sessions: [string | undefined, string | undefined], labels: [string, string]): IdVerdict {
  const [base, target] = labels;
  if (e.orphans > ORPHAN_SHARE * e.below && e.orphans > 0) {
    return {
      trusted: false,
      reason: `${percent(e.orphans, e.below)} of ${target}'s object ids within ${base}'s range are not in ${base}, which one inspector session cannot produce`,
    };
  }
  const [a, b] = sessions;
  if (a && b)
    return a === b
      ? { trusted: true }
      : { trusted: false, reason: `${target} was captured in another inspector session than ${base} (their series records say so)` };
  if (e.matched === 0) return { trusted: false, reason: `${target} shares no object id with ${base}` };
  if (e.sameName >= UNRECORDED_NAME_SHARE * e.matched) return { trusted: true };
  return {
    trusted: false,
    reason: `${percent(e.sameName, e.matched)} of the objects ${target} shares ids with have the same name in ${base}, too few to tell one inspector session from two runs without a series record; a series captured with "Capture Heap Snapshot Series" has one`,
  };
}
