// The trace model every source turns into: spans with parent/child links, self time and
// the critical path. Sources disagree on shape (OTLP nanoseconds, Jaeger microseconds,
// Sentry seconds) but agree on meaning, so everything here is epoch milliseconds.
// Real traces are imperfect: parents that never arrived and clocks that disagree between
// services are kept (as roots, clamped) and said in `notes`, never a crash.

export type AttributeValue = string | number | boolean;

export interface Span {
  spanId: string;
  traceId: string;
  parentSpanId?: string;
  /** The span's name (OTel) or description (Sentry). */
  name: string;
  /** Sentry's op (`db`, `http.client`), or one derived from OTel attributes. */
  op?: string;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  /** `ok`, `error`, or a Sentry status (`unavailable`, `deadline_exceeded`, …). */
  status?: string;
  attributes: Record<string, AttributeValue>;
  service?: string;
  /** A transaction / segment root as the SDK marked it. */
  isSegment?: boolean;
}

export interface Trace {
  traceId: string;
  spans: Span[];
  byId: Map<string, Span>;
  children: Map<string, Span[]>;
  roots: Span[];
  /** Epoch ms of the earliest start and the latest end. */
  start: number;
  end: number;
  /** Wall time of the trace, ms. */
  duration: number;
  /** Span id → time not covered by its children, ms. */
  selfTime: Map<string, number>;
  /** The chain of spans that decided the trace's end, root first. */
  criticalPath: Span[];
  /** What was odd about the input, in words (missing parents, clock skew, dropped spans). */
  notes: string[];
}

export const durationOf = (s: Span): number => Math.max(0, s.end - s.start);

/** Total length of the union of intervals, clipped to [from, to]. */
export function coveredTime(intervals: readonly [number, number][], from = -Infinity, to = Infinity): number {
  const clipped = intervals.map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number]).filter(([a, b]) => b > a);
  clipped.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [a, b] of clipped) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) curEnd = b;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

// Skew smaller than this is rounding between sources, not a clock problem.
const SKEW_TOLERANCE_MS = 1;

/** Builds the model from spans of one trace (any order; duplicates by span id keep the first). */
export function buildTrace(input: readonly Span[], traceId?: string, notes: string[] = []): Trace {
  const byId = new Map<string, Span>();
  let duplicates = 0;
  let inverted = 0;
  for (const raw of input) {
    if (byId.has(raw.spanId)) {
      duplicates++;
      continue;
    }
    let s = raw;
    if (!(s.end >= s.start)) {
      inverted++;
      s = { ...s, end: s.start };
    }
    byId.set(s.spanId, s);
  }
  const spans = [...byId.values()];
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  let orphans = 0;
  for (const s of spans) {
    const parent = s.parentSpanId && s.parentSpanId !== s.spanId ? byId.get(s.parentSpanId) : undefined;
    if (!parent) {
      if (s.parentSpanId) orphans++;
      roots.push(s);
      continue;
    }
    const list = children.get(parent.spanId);
    if (list) list.push(s);
    else children.set(parent.spanId, [s]);
  }
  let skewed = 0;
  const selfTime = new Map<string, number>();
  for (const s of spans) {
    const kids = children.get(s.spanId) ?? [];
    for (const k of kids) if (k.start < s.start - SKEW_TOLERANCE_MS || k.end > s.end + SKEW_TOLERANCE_MS) skewed++;
    selfTime.set(
      s.spanId,
      Math.max(
        0,
        durationOf(s) -
          coveredTime(
            kids.map((k) => [k.start, k.end]),
            s.start,
            s.end,
          ),
      ),
    );
  }
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    if (s.start < start) start = s.start;
    if (s.end > end) end = s.end;
  }
  if (!spans.length) start = end = 0;
  if (duplicates) notes.push(`${duplicates} duplicate span id(s) ignored (the first copy kept)`);
  if (inverted) notes.push(`${inverted} span(s) ended before they started; their duration is taken as 0`);
  if (orphans) notes.push(`${orphans} span(s) name a parent that is not in the trace (dropped or not yet sent); they are shown as roots`);
  if (skewed)
    notes.push(
      `${skewed} span(s) start before or end after their parent (clock skew between services?); self times are clipped to the parent`,
    );
  const trace: Trace = {
    traceId: traceId ?? spans[0]?.traceId ?? '',
    spans,
    byId,
    children,
    roots: roots.sort((a, b) => a.start - b.start),
    start,
    end,
    duration: Math.max(0, end - start),
    selfTime,
    criticalPath: [],
    notes,
  };
  trace.criticalPath = criticalPath(trace);
  return trace;
}

/**
 * From the root that ends last, down through the child that ends last at each level: the
 * chain that held the trace open longest. Iterative, so 100,000-span traces cannot blow
 * the stack.
 */
function criticalPath(trace: Trace): Span[] {
  if (!trace.roots.length) return [];
  let root = trace.roots[0];
  for (const r of trace.roots) if (r.end > root.end) root = r;
  const path: Span[] = [root];
  let current: Span | undefined = root;
  while (current) {
    const kids = trace.children.get(current.spanId);
    if (!kids?.length) break;
    let latest = kids[0];
    for (const k of kids) if (k.end > latest.end) latest = k;
    path.push(latest);
    current = latest;
  }
  return path;
}

/** `12 ms`, `1.25 s`, `2 min 3 s`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Appends to the list under `key` (in place: grouping 100,000 spans must stay linear). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
