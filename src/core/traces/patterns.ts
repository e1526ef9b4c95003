// Two shapes a slow trace takes besides repeated steps and retries: N+1 queries (ten or
// more similar db spans under one parent: a lookup per row of a loop) and slow
// downstreams (outbound http spans that time out or take most of the trace).
import { normaliseName } from './aggregate';
import { coveredTime, durationOf, formatMs, pushTo, type Span, type Trace } from './model';

export interface NPlusOneFinding {
  kind: 'n-plus-one';
  parent: string;
  parentSpanId: string;
  statement: string;
  count: number;
  total: number;
  share: number;
  sample: string[];
  attributes: Span['attributes'];
}

export interface SlowDownstreamFinding {
  kind: 'slow-downstream';
  host: string;
  count: number;
  covered: number;
  share: number;
  timeouts: number;
  errors: number;
  slowest: number;
  sample: string[];
  attributes: Span['attributes'];
}

export const N_PLUS_ONE_MIN = 10;

const isDb = (s: Span) =>
  /^db(\.|$)/.test(s.op ?? '') || s.attributes['db.system'] !== undefined || s.attributes['db.system.name'] !== undefined;
const isHttpClient = (s: Span) => /^http\.client/.test(s.op ?? '');

export function detectNPlusOne(trace: Trace): NPlusOneFinding[] {
  const out: NPlusOneFinding[] = [];
  for (const [parentId, kids] of trace.children) {
    const byStatement = new Map<string, Span[]>();
    for (const k of kids) {
      if (!isDb(k)) continue;
      const text = String(k.attributes['db.query.text'] ?? k.attributes['db.statement'] ?? k.name);
      const key = normaliseName(text);
      pushTo(byStatement, key, k);
    }
    const parent = trace.byId.get(parentId)!;
    for (const [statement, spans] of byStatement) {
      if (spans.length < N_PLUS_ONE_MIN) continue;
      const total = spans.reduce((n, s) => n + durationOf(s), 0);
      out.push({
        kind: 'n-plus-one',
        parent: parent.name,
        parentSpanId: parentId,
        statement,
        count: spans.length,
        total,
        share: trace.duration ? coveredTime(spans.map((s) => [s.start, s.end])) / trace.duration : 0,
        sample: spans.slice(0, 5).map((s) => s.spanId),
        attributes: spans[0].attributes,
      });
    }
  }
  return out.sort((a, b) => b.total - a.total);
}

function hostOf(s: Span): string {
  const a = s.attributes;
  const direct = a['server.address'] ?? a['net.peer.name'] ?? a['http.host'];
  if (typeof direct === 'string') return direct;
  const url = a['url.full'] ?? a['http.url'] ?? /\bhttps?:\/\/\S+/.exec(s.name)?.[0];
  if (typeof url === 'string') {
    try {
      return new URL(url).host;
    } catch {
      /* not a URL */
    }
  }
  return s.name;
}

const TIMEOUT = /deadline_exceeded|timeout|timed.?out|ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_.*TIMEOUT/i;

function timedOut(s: Span): boolean {
  const code = Number(s.attributes['http.response.status_code'] ?? s.attributes['http.status_code'] ?? 0);
  return (
    TIMEOUT.test(s.status ?? '') ||
    TIMEOUT.test(String(s.attributes['error.type'] ?? s.attributes['sentry.status.message'] ?? '')) ||
    code === 504 ||
    code === 408
  );
}

/** Hosts whose calls take half the trace or more, or time out. */
export function detectSlowDownstreams(trace: Trace): SlowDownstreamFinding[] {
  const byHost = new Map<string, Span[]>();
  for (const s of trace.spans) if (isHttpClient(s)) pushTo(byHost, hostOf(s), s);
  const out: SlowDownstreamFinding[] = [];
  for (const [host, spans] of byHost) {
    const covered = coveredTime(spans.map((s) => [s.start, s.end]));
    const share = trace.duration ? covered / trace.duration : 0;
    const timeouts = spans.filter(timedOut).length;
    if (share < 0.5 && timeouts === 0) continue;
    const slowest = spans.reduce((a, b) => (durationOf(b) > durationOf(a) ? b : a));
    out.push({
      kind: 'slow-downstream',
      host,
      count: spans.length,
      covered,
      share,
      timeouts,
      errors: spans.filter((s) => (s.status && s.status !== 'ok') || Number(s.attributes['http.response.status_code'] ?? 0) >= 500).length,
      slowest: durationOf(slowest),
      sample: spans.slice(0, 5).map((s) => s.spanId),
      attributes: slowest.attributes,
    });
  }
  return out.sort((a, b) => b.covered - a.covered);
}

export function describeNPlusOne(f: NPlusOneFinding): string {
  return `N+1: ${f.count} × \`${f.statement}\` under ${f.parent} — ${formatMs(f.total)} in all (${Math.round(f.share * 100)}% of the trace)`;
}

export function describeDownstream(f: SlowDownstreamFinding): string {
  return `slow downstream ${f.host}: ${f.count} call(s) cover ${formatMs(f.covered)} (${Math.round(f.share * 100)}% of the trace), slowest ${formatMs(f.slowest)}${f.timeouts ? `, ${f.timeouts} timed out` : ''}${f.errors ? `, ${f.errors} failed` : ''}`;
}
