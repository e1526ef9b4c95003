// Repeated spans: the same operation N times in one trace. A step that parses a 50 MB
// state on every iteration shows as one row "JSON.parse ×20 — 48.1 s of 51.9 s (93%)"
// with the size attributes the spans carry, instead of twenty rows nobody adds up.
import { coveredTime, durationOf, formatBytes, formatMs, type Span, type Trace } from './model';

export interface SizeAttribute {
  key: string;
  max: number;
  mean: number;
}

export interface SpanGroup {
  /** `op` + normalised name. */
  key: string;
  op?: string;
  name: string;
  count: number;
  /** Sum of durations, ms. */
  total: number;
  mean: number;
  max: number;
  /** Wall time the group's spans cover (overlaps counted once), ms. */
  covered: number;
  /** Sum of self times (not covered by children), ms: where the time went. */
  self: number;
  /** covered / trace duration, 0..1. */
  share: number;
  errors: number;
  sizes: SizeAttribute[];
  /** A few span ids, for the panel and for jumping to code. */
  sample: string[];
  /** Attributes of the longest span, for span → code. */
  attributes: Span['attributes'];
}

// Variable parts of a name: ids (`ord_17`, hex, uuids), numbers, quoted literals, so
// `GET /orders/17` and `GET /orders/18` (or `SELECT … WHERE id = 3`) are one group.
export function normaliseName(name: string): string {
  return name
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '?')
    .replace(/\b[0-9a-f]{16,}\b/gi, '?')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'?'")
    .replace(/\b[A-Za-z]+_\d+\b/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

const SIZE_KEY = /(size|bytes|length)$|_size_|content[._-]length|body\.size/i;

export function spanGroupKey(s: Span): string {
  return `${s.op ?? ''}\u0000${normaliseName(s.name)}`;
}

export function aggregateSpans(trace: Trace, spans: readonly Span[] = trace.spans): SpanGroup[] {
  const groups = new Map<string, Span[]>();
  for (const s of spans) {
    const k = spanGroupKey(s);
    const list = groups.get(k);
    if (list) list.push(s);
    else groups.set(k, [s]);
  }
  const out: SpanGroup[] = [];
  for (const [key, list] of groups) {
    let total = 0;
    let self = 0;
    let max = 0;
    let errors = 0;
    let longest = list[0];
    const sizes = new Map<string, { max: number; sum: number; n: number }>();
    for (const s of list) {
      const d = durationOf(s);
      total += d;
      self += trace.selfTime.get(s.spanId) ?? d;
      if (d > max) {
        max = d;
        longest = s;
      }
      if (s.status && s.status !== 'ok' && s.status !== 'unknown') errors++;
      for (const [k, v] of Object.entries(s.attributes)) {
        if (typeof v !== 'number' || !SIZE_KEY.test(k)) continue;
        const acc = sizes.get(k) ?? { max: 0, sum: 0, n: 0 };
        acc.max = Math.max(acc.max, v);
        acc.sum += v;
        acc.n++;
        sizes.set(k, acc);
      }
    }
    const covered = coveredTime(list.map((s) => [s.start, s.end]));
    out.push({
      key,
      op: list[0].op,
      name: normaliseName(list[0].name),
      count: list.length,
      total,
      self,
      mean: total / list.length,
      max,
      covered,
      share: trace.duration > 0 ? Math.min(1, covered / trace.duration) : 0,
      errors,
      sizes: [...sizes.entries()].map(([k, a]) => ({ key: k, max: a.max, mean: a.sum / a.n })).sort((a, b) => b.max - a.max),
      sample: list.slice(0, 5).map((s) => s.spanId),
      attributes: longest.attributes,
    });
  }
  // By self time: wrappers (middleware, the step around the parse) cover much and do little.
  return out.sort((a, b) => b.self - a.self || b.covered - a.covered || b.count - a.count);
}

/** "JSON.parse ×20 — 48.1 s of 51.9 s (93%), state_size_bytes up to 50.0 MB". */
export function describeGroup(g: SpanGroup, traceDuration: number): string {
  const size = g.sizes[0]
    ? `, ${g.sizes[0].key} up to ${/bytes|size/i.test(g.sizes[0].key) ? formatBytes(g.sizes[0].max) : g.sizes[0].max}`
    : '';
  return `${g.name}${g.op && g.op !== g.name ? ` (${g.op})` : ''} ×${g.count} — ${formatMs(g.covered)} of ${formatMs(traceDuration)} (${Math.round(g.share * 100)}%), ${formatMs(g.mean)} each${size}`;
}
