// Retry detection: the same operation attempted again and again for one key (a webhook
// id, an idempotency key, a job id). How the attempts grow says what kind of storm it is:
// a loop hammering one key (steady), a fan-out where each failure schedules several new
// attempts (geometric: 1 → 5 → 25), and the gaps between waves say whether anything
// backs off. Precision first: attempts must be failures (but the last), on the same key.
import { spanGroupKey } from './aggregate';
import { normaliseName } from './aggregate';
import { formatMs, pushTo, type Span, type Trace } from './model';

export type Growth = 'geometric' | 'linear' | 'steady' | 'irregular' | 'single-wave';

export interface RetryFinding {
  kind: 'retry-storm';
  operation: string;
  op?: string;
  /** The attribute that identifies the retried work, e.g. `webhook_id`. */
  key: string;
  /** Most-attempted keys first. */
  attemptsPerKey: { value: string; attempts: number; failures: number }[];
  /** Attempts of the most-attempted key per wave, oldest first. */
  waves: number[];
  /** Per wave after the first: the median wait between a failed attempt's end and the next attempt's start, ms. */
  gaps: number[];
  growth: Growth;
  /** Mean wave-to-wave ratio when geometric. */
  ratio?: number;
  backoff: boolean;
  /** false: more attempts on one key than any usual retry policy allows; undefined: cannot tell. */
  capped?: boolean;
  /** A storm rather than a retry policy at work: past the usual caps, or fanning out. */
  storm: boolean;
  totalAttempts: number;
  failures: number;
  /** The attempt attribute used to split waves, when the spans carry one. */
  attemptAttribute?: string;
  sample: string[];
  attributes: Span['attributes'];
}

const KEY_NAMES =
  /^(webhook[._]?id|idempotency[._]?key|delivery[._]?id|job[._]?id|message[._]?id|task[._]?id|request[._]?id|order[._]?id|event[._]?id)$/i;
const GENERIC_KEY = /(^|[._])(id|key)$|[a-z]Id$/;
const NOT_A_WORK_KEY =
  /^(sentry|http|url|server|network|otel|thread|process|code|db|span|trace|parent|segment|user_agent|client|host|net|messaging\.system|telemetry|service)[._]|^(id|span_id|trace_id|parent_span_id)$/i;
const ATTEMPT_NAMES = [
  'attempt',
  'retry_count',
  'retry.attempt',
  'retry_attempt',
  'http.request.resend_count',
  'attempt_number',
  'retries',
];

function statusCode(s: Span): number | undefined {
  const v = s.attributes['http.response.status_code'] ?? s.attributes['http.status_code'];
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function failed(s: Span, trace: Trace): boolean {
  const bad = (x: Span) => (x.status !== undefined && x.status !== 'ok' && x.status !== 'unknown') || (statusCode(x) ?? 0) >= 400;
  return bad(s) || (trace.children.get(s.spanId) ?? []).some(bad);
}

function workKeys(s: Span): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(s.attributes)) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    if (NOT_A_WORK_KEY.test(k)) continue;
    if (KEY_NAMES.test(k) || GENERIC_KEY.test(k)) out.push([k, String(v)]);
  }
  return out;
}

function attemptOf(s: Span): { name: string; value: number } | undefined {
  for (const name of ATTEMPT_NAMES) {
    const v = s.attributes[name];
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return { name, value: n };
  }
  return undefined;
}

/** Attempts split into waves: by attempt number when the spans carry one, else by gaps in time. */
function wavesOf(attempts: Span[]): { waves: Span[][]; by?: string } {
  const sorted = [...attempts].sort((a, b) => a.start - b.start);
  const numbered = sorted.map(attemptOf);
  if (numbered.every((n) => n)) {
    const byNumber = new Map<number, Span[]>();
    sorted.forEach((s, i) => pushTo(byNumber, numbered[i]!.value, s));
    return { waves: [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w), by: numbered[0]!.name };
  }
  const gaps = sorted.slice(1).map((s, i) => s.start - sorted[i].start);
  // Timers scheduled by one failure fire within a few ms of each other; waves are further apart.
  const threshold = Math.max(5, Math.min(50, 0.2 * gaps.reduce((m, g) => Math.max(m, g), 0)));
  const waves: Span[][] = [[sorted[0]]];
  gaps.forEach((g, i) => (g > threshold ? waves.push([sorted[i + 1]]) : waves[waves.length - 1].push(sorted[i + 1])));
  return { waves };
}

function growthOf(counts: number[]): { growth: Growth; ratio?: number } {
  if (counts.length < 2) return { growth: 'single-wave' };
  const ratios = counts.slice(1).map((c, i) => c / counts[i]);
  if (counts.length >= 3 && ratios.every((r) => r >= 1.5))
    return { growth: 'geometric', ratio: Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length) };
  if (counts.every((c) => c === counts[0])) return { growth: 'steady' };
  const diffs = counts.slice(1).map((c, i) => c - counts[i]);
  if (counts.length >= 3 && diffs.every((d) => d > 0) && Math.max(...diffs) <= 2 * Math.min(...diffs)) return { growth: 'linear' };
  return { growth: 'irregular' };
}

const MAX_USUAL_ATTEMPTS = 5;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
}

/**
 * A retried key: every attempt after the first starts once an earlier attempt on the same
 * key has failed. Polling the same key with successes, or one key used by unrelated calls
 * that happen to fail, does not read as retries.
 */
function retriedAfterFailures(spans: Span[], trace: Trace): boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let firstFailureEnd = Infinity;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i].start < firstFailureEnd) return false;
    if (failed(sorted[i], trace)) firstFailureEnd = Math.min(firstFailureEnd, sorted[i].end);
  }
  return true;
}

/** Retry storms in the trace, most attempts first. */
export function detectRetries(trace: Trace): RetryFinding[] {
  // (operation, key name) → key value → attempts
  const byOperation = new Map<string, Map<string, Span[]>>();
  for (const s of trace.spans) {
    for (const [k, v] of workKeys(s)) {
      const id = `${spanGroupKey(s)}\u0001${k}`;
      let values = byOperation.get(id);
      if (!values) byOperation.set(id, (values = new Map()));
      const list = values.get(v);
      if (list) list.push(s);
      else values.set(v, [s]);
    }
  }
  const findings: RetryFinding[] = [];
  for (const [id, values] of byOperation) {
    const key = id.split('\u0001')[1];
    const perKey = [...values.entries()]
      .map(([value, spans]) => ({ value, spans, failures: spans.filter((s) => failed(s, trace)).length }))
      .filter((x) => x.spans.length >= 3 && x.failures >= 2 && retriedAfterFailures(x.spans, trace))
      .sort((a, b) => b.spans.length - a.spans.length);
    if (!perKey.length) continue;
    const top = perKey[0];
    const { waves, by } = wavesOf(top.spans);
    const counts = waves.map((w) => w.length);
    // The wait after a failure, not the distance between waves: a big wave takes longer to
    // fail, which would read as backoff when nothing waits longer.
    const failedEnds = top.spans
      .filter((s) => failed(s, trace))
      .map((s) => s.end)
      .sort((a, b) => a - b);
    const waitOf = (s: Span): number => {
      let lo = 0;
      let hi = failedEnds.length - 1;
      let best = -Infinity;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (failedEnds[mid] <= s.start) {
          best = failedEnds[mid];
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return s.start - best;
    };
    const gaps = waves.slice(1).map((w) => median(w.map(waitOf).filter(Number.isFinite)));
    const { growth, ratio } = growthOf(counts);
    const backoff = gaps.length >= 2 && gaps.slice(1).every((g, i) => g >= 1.5 * gaps[i]);
    // Past the caps retry policies use (3 to 5), the attempts on one key are not capped.
    const capped = top.spans.length > MAX_USUAL_ATTEMPTS ? false : undefined;
    const all = perKey.flatMap((x) => x.spans);
    const longest = top.spans.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    findings.push({
      kind: 'retry-storm',
      operation: normaliseName(top.spans[0].name),
      op: top.spans[0].op,
      key,
      attemptsPerKey: perKey.map((x) => ({ value: x.value, attempts: x.spans.length, failures: x.failures })),
      waves: counts,
      gaps,
      growth,
      ratio,
      backoff,
      capped,
      storm: capped === false || growth === 'geometric',
      totalAttempts: all.length,
      failures: perKey.reduce((n, x) => n + x.failures, 0),
      attemptAttribute: by,
      sample: top.spans.slice(0, 5).map((s) => s.spanId),
      attributes: longest.attributes,
    });
  }
  // One storm is often visible under several keys of the same spans; keep the strongest per operation.
  findings.sort(
    (a, b) =>
      b.attemptsPerKey[0].attempts - a.attemptsPerKey[0].attempts || (KEY_NAMES.test(b.key) ? 1 : 0) - (KEY_NAMES.test(a.key) ? 1 : 0),
  );
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.op}\u0000${f.operation}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function describeRetry(f: RetryFinding): string {
  const top = f.attemptsPerKey[0];
  const gap = f.gaps.length ? `, each retried ${formatMs(median(f.gaps))} after a failure` : '';
  const growth =
    f.growth === 'geometric'
      ? `geometric growth (×${f.ratio!.toFixed(1)} per wave)`
      : f.growth === 'linear'
        ? 'linear growth'
        : f.growth === 'steady'
          ? 'one attempt after another'
          : f.growth === 'single-wave'
            ? 'all at once'
            : 'irregular waves';
  return (
    `${f.operation} retried per ${f.key}: ${top.value} attempted ${top.attempts} times (${top.failures} failed)` +
    `${f.attemptsPerKey.length > 1 ? `, ${f.attemptsPerKey.length} keys retried, ${f.totalAttempts} attempts in all` : ''}; ` +
    `attempts per wave ${f.waves.join(' → ')}${gap}: ${growth}; ${f.backoff ? 'the wait grows (backoff)' : 'no backoff (the wait does not grow)'}` +
    `${f.capped === false ? `; no cap: ${top.attempts} attempts on one ${f.key}` : ''}`
  );
}
