// What a window of logs says, in a screenful: lines grouped by message template (ids and
// numbers masked) with counts and the distinct keys each carries (webhook wh_1 ×156),
// Node's warnings surfaced with their stack, levels and the trace ids seen. Bounded: a
// 1 GB log feeds it record by record and it keeps counts, not lines. Every text it keeps
// is redacted as event data is, since logs carry secrets.
import { redact } from '../triage/redact';
import type { LogRecord } from './record';

export interface KeyCount {
  name: string;
  distinct: number;
  top: { value: string; count: number }[];
  /** Distinct values stopped being counted at the cap. */
  capped?: boolean;
}

export interface LogTemplate {
  template: string;
  level?: string;
  count: number;
  first?: number;
  last?: number;
  keys: KeyCount[];
  sample: string;
}

export interface LogWarning {
  type: string;
  message: string;
  count: number;
  first?: number;
  stack?: string;
}

export interface LogSummary {
  records: number;
  first?: number;
  last?: number;
  levels: Record<string, number>;
  templates: LogTemplate[];
  warnings: LogWarning[];
  errors: { type?: string; message: string; stack?: string; count: number }[];
  traceIds: { traceId: string; count: number }[];
  notes: string[];
}

const MAX_TEMPLATES = 2000;
const MAX_VALUES = 10_000;
const MAX_TRACE_IDS = 10_000;

const ID_TOKEN = /\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z_])[A-Za-z][\w-]*[_-][\w-]+\b|\b[a-z]+\d+\b/g;
const KEY_ATTRIBUTE = /(^|[._])id$|[a-z]Id$|_key$/;
const IGNORED_ATTRIBUTES = /^(pid|hostname|v|sentry\.|span_?id|trace_?id|parent_span_id|server\.address)/i;

/** The message with its variable parts masked, and the id-like values it held. */
export function templateOf(message: string): { template: string; ids: string[] } {
  const firstLine = redact(message.split('\n', 1)[0].slice(0, 300));
  const ids: string[] = [];
  const template = firstLine
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, (m) => (ids.push(m), '<uuid>'))
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(ID_TOKEN, (m) => (ids.push(m), '<id>'))
    .replace(/\b\d+(\.\d+)?(ms|s|MB|KB|B)?\b/g, '<n>');
  return { template, ids };
}

class Counter {
  readonly counts = new Map<string, number>();
  capped = false;
  add(value: string): void {
    const n = this.counts.get(value);
    if (n !== undefined) this.counts.set(value, n + 1);
    else if (this.counts.size < MAX_VALUES) this.counts.set(value, 1);
    else this.capped = true;
  }
  top(n: number): { value: string; count: number }[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([value, count]) => ({ value, count }));
  }
}

interface TemplateAcc {
  template: string;
  level?: string;
  count: number;
  first?: number;
  last?: number;
  keys: Map<string, Counter>;
  sample: string;
}

export class LogSummarizer {
  private readonly templates = new Map<string, TemplateAcc>();
  private readonly warnings = new Map<string, LogWarning>();
  private readonly errors = new Map<string, { type?: string; message: string; stack?: string; count: number }>();
  private readonly traces = new Counter();
  private readonly levels: Record<string, number> = {};
  private records = 0;
  private first?: number;
  private last?: number;
  private overflow = 0;

  add(r: LogRecord): void {
    this.records++;
    if (r.time !== undefined) {
      if (this.first === undefined || r.time < this.first) this.first = r.time;
      if (this.last === undefined || r.time > this.last) this.last = r.time;
    }
    const level = r.level ?? 'unknown';
    this.levels[level] = (this.levels[level] ?? 0) + 1;
    if (r.traceId && this.traces.counts.size < MAX_TRACE_IDS) this.traces.add(r.traceId);
    const { template, ids } = templateOf(r.message || r.error?.message || '(empty)');
    const key = `${level}\u0000${template}`;
    let acc = this.templates.get(key);
    if (!acc) {
      if (this.templates.size >= MAX_TEMPLATES) {
        this.overflow++;
      } else {
        acc = { template, level: r.level, count: 0, keys: new Map(), sample: redact(r.message.split('\n', 1)[0].slice(0, 500)) };
        this.templates.set(key, acc);
      }
    }
    if (acc) {
      acc.count++;
      if (r.time !== undefined) {
        acc.first = Math.min(acc.first ?? r.time, r.time);
        acc.last = Math.max(acc.last ?? r.time, r.time);
      }
      const counter = (name: string) => acc!.keys.get(name) ?? acc!.keys.set(name, new Counter()).get(name)!;
      for (const id of ids) counter('<id>').add(redact(id));
      for (const [k, v] of Object.entries(r.attributes))
        if (KEY_ATTRIBUTE.test(k) && !IGNORED_ATTRIBUTES.test(k) && (typeof v === 'string' || typeof v === 'number'))
          counter(k).add(redact(String(v)));
      if (r.requestId) counter('request id').add(r.requestId);
    }
    // pino serialises a Warning with type "Error"; its stack still starts with the real name.
    const warningType =
      r.error?.type && /Warning$/.test(r.error.type)
        ? r.error.type
        : (/^\s*([A-Z][A-Za-z]*Warning)\b/.exec(r.error?.stack ?? '')?.[1] ?? /\b([A-Z][A-Za-z]*Warning)\b/.exec(r.message)?.[1]);
    if (warningType) {
      const w = this.warnings.get(warningType);
      if (w) w.count++;
      else
        this.warnings.set(warningType, {
          type: warningType,
          message: redact(
            (r.error?.message ?? r.message)
              .split('\n', 1)[0]
              .replace(/^\(node:\d+\) /, '')
              .slice(0, 500),
          ),
          count: 1,
          first: r.time,
          stack: stackOf(r),
        });
    } else if (r.error?.stack || r.level === 'error' || r.level === 'fatal') {
      const k = `${r.error?.type ?? ''}\u0000${template}`;
      const e = this.errors.get(k);
      if (e) e.count++;
      else if (this.errors.size < MAX_TEMPLATES)
        this.errors.set(k, {
          type: r.error?.type,
          message: redact((r.error?.message ?? r.message).split('\n', 1)[0].slice(0, 500)),
          stack: stackOf(r),
          count: 1,
        });
    }
  }

  summary(): LogSummary {
    const notes = this.overflow
      ? [`${this.overflow} record(s) fell outside the first ${MAX_TEMPLATES} templates and are only counted in the totals`]
      : [];
    return {
      records: this.records,
      first: this.first,
      last: this.last,
      levels: this.levels,
      templates: [...this.templates.values()]
        .sort((a, b) => b.count - a.count)
        .map((t) => ({
          template: t.template,
          level: t.level,
          count: t.count,
          first: t.first,
          last: t.last,
          sample: t.sample,
          keys: [...t.keys.entries()]
            .map(([name, c]) => ({ name, distinct: c.counts.size, top: c.top(5), capped: c.capped || undefined }))
            .sort((a, b) => b.distinct - a.distinct),
        })),
      warnings: [...this.warnings.values()].sort((a, b) => b.count - a.count),
      errors: [...this.errors.values()].sort((a, b) => b.count - a.count),
      traceIds: this.traces.top(20).map(({ value, count }) => ({ traceId: value, count })),
      notes,
    };
  }
}

function stackOf(r: LogRecord): string | undefined {
  const stack = r.error?.stack ?? (/\n\s+at\s/.test(r.message) ? r.message : undefined);
  return stack ? redact(stack.slice(0, 8000)) : undefined;
}
