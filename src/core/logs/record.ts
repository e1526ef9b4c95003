// One log line as a record, whatever wrote it: pino (numeric level, epoch-ms `time`,
// `msg`), bunyan (`v`, numeric level, ISO `time`, `msg`), winston/logform (string level,
// `message`, optional `timestamp`), Sentry Logs and OTLP log rows, other JSON, or a plain
// text line with a timestamp (and Node's own `(node:PID) XWarning: …` lines).

export type LogFormat = 'pino' | 'bunyan' | 'winston' | 'sentry' | 'json' | 'text';

export interface LogRecord {
  /** Epoch ms, when the line says. */
  time?: number;
  level?: string;
  message: string;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  /** Other fields of a JSON line (flat, scalars only). */
  attributes: Record<string, string | number | boolean>;
  error?: { type?: string; message?: string; stack?: string };
  format: LogFormat;
  /** 1-based line number in the file (0 for records from Sentry). */
  line: number;
}

// pino and bunyan share the 10..60 scale (see the logger docs).
const NUMERIC_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

function levelName(v: unknown): string | undefined {
  if (typeof v === 'number') return NUMERIC_LEVELS[v] ?? (v >= 50 ? 'error' : v >= 40 ? 'warn' : v >= 30 ? 'info' : 'debug');
  if (typeof v !== 'string') return undefined;
  const l = v.toLowerCase();
  return l === 'warning' ? 'warn' : l === 'err' ? 'error' : l;
}

function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 1e14 ? v / 1e6 : v > 1e11 ? v : v * 1000; // ns, ms or s
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return timeOf(Number(v));
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** Lower case; a UUID-style trace id loses its dashes (W3C and Sentry ids are 32 hex characters). */
export function normaliseTraceId(v: string): string {
  const l = v.toLowerCase();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(l) ? l.replace(/-/g, '') : l;
}

const TRACE_KEYS = ['trace_id', 'traceId', 'trace', 'traceID', 'sentry.trace_id', 'dd.trace_id', 'otelTraceID', 'trace.id'];
const SPAN_KEYS = ['span_id', 'spanId', 'spanID', 'otelSpanID', 'span.id'];
const REQUEST_KEYS = ['request_id', 'requestId', 'req_id', 'reqId', 'x-request-id', 'correlation_id', 'correlationId'];

function pick(obj: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = obj[k];
    if ((typeof v === 'string' && v) || typeof v === 'number') return String(v);
  }
  return undefined;
}

function errorOf(obj: Record<string, unknown>): LogRecord['error'] {
  const e = obj.err ?? obj.error;
  if (e && typeof e === 'object') {
    const x = e as Record<string, unknown>;
    const stack = typeof x.stack === 'string' ? x.stack : undefined;
    if (stack || typeof x.message === 'string')
      return {
        type: typeof x.type === 'string' ? x.type : typeof x.name === 'string' ? x.name : undefined,
        message: typeof x.message === 'string' ? x.message : undefined,
        stack,
      };
  }
  if (typeof obj.stack === 'string') return { stack: obj.stack };
  return undefined;
}

function flatten(obj: Record<string, unknown>, into: Record<string, string | number | boolean>, prefix = '', depth = 0): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') into[key] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 2 && k !== 'err' && k !== 'error') {
      // Sentry-style {value, type} attributes are one value.
      const o = v as Record<string, unknown>;
      if ('value' in o && 'type' in o && typeof o.value !== 'object') into[key] = o.value as string | number | boolean;
      else flatten(o, into, key, depth + 1);
    }
  }
}

const RESERVED = new Set([
  'msg',
  'message',
  'body',
  'level',
  'time',
  'timestamp',
  'v',
  'pid',
  'hostname',
  'name',
  'severity',
  'severity_number',
  'severityText',
  'severityNumber',
  'stack',
]);

/** A parsed JSON line as a record; undefined when it is not an object. */
export function recordFromJson(obj: unknown, line: number): LogRecord | undefined {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  const attributes: Record<string, string | number | boolean> = {};
  flatten(Object.fromEntries(Object.entries(o).filter(([k]) => !RESERVED.has(k))), attributes);
  const format: LogFormat =
    o.v === 0 && typeof o.level === 'number' && typeof o.time === 'string'
      ? 'bunyan'
      : typeof o.level === 'number' && typeof o.time === 'number'
        ? 'pino'
        : typeof o.level === 'string' && typeof o.message === 'string'
          ? 'winston'
          : 'body' in o && ('severity_number' in o || 'trace_id' in o)
            ? 'sentry'
            : 'json';
  const body = o.msg ?? o.message ?? o.body;
  const error = errorOf(o);
  const message =
    typeof body === 'string'
      ? body
      : body && typeof body === 'object' && typeof (body as Record<string, unknown>).stringValue === 'string'
        ? String((body as Record<string, unknown>).stringValue)
        : (error?.message ?? '');
  const trace = pick(o, TRACE_KEYS) ?? pick(attributes, TRACE_KEYS);
  return {
    time: timeOf(o.time ?? o.timestamp ?? o.timeUnixNano ?? o['@timestamp']),
    level: levelName(o.level ?? o.severity ?? o.severityText),
    message,
    traceId: trace ? normaliseTraceId(trace) : undefined,
    spanId: pick(o, SPAN_KEYS) ?? pick(attributes, SPAN_KEYS),
    requestId:
      pick(o, REQUEST_KEYS) ??
      pick(attributes, REQUEST_KEYS) ??
      (typeof attributes['req.id'] === 'string' || typeof attributes['req.id'] === 'number' ? String(attributes['req.id']) : undefined),
    attributes,
    error,
    format,
    line,
  };
}

// 2024-05-01T10:00:00.123Z, 2024-05-01 10:00:00,123, [2024-05-01 10:00:00] …
const TEXT_TIME = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s*/;
const TEXT_LEVEL = /^\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL)\]?[:\s]\s*/i;
const NODE_WARNING = /^\(node:\d+\) ([A-Za-z]*Warning)(?: \[[A-Z0-9_]+\])?: /;

/** A text line: a record when it starts one (timestamp, or Node's warning prefix), else undefined (a continuation). */
export function recordFromText(text: string, line: number): LogRecord | undefined {
  const warning = NODE_WARNING.exec(text);
  if (warning)
    return {
      level: 'warn',
      message: text.replace(/^\(node:\d+\) /, ''),
      attributes: {},
      error: { type: warning[1] },
      format: 'text',
      line,
    };
  const t = TEXT_TIME.exec(text);
  if (!t) return undefined;
  let rest = text.slice(t[0].length);
  const lv = TEXT_LEVEL.exec(rest);
  if (lv) rest = rest.slice(lv[0].length);
  const time = Date.parse(t[1].replace(' ', 'T').replace(',', '.'));
  const traceId = /\btrace[_-]?id[=:]\s*"?([0-9a-f]{32})\b/i.exec(rest)?.[1];
  const requestId = /\b(?:request|req|correlation)[_-]?id[=:]\s*"?([\w-]+)/i.exec(rest)?.[1];
  return {
    time: Number.isNaN(time) ? undefined : time,
    level: lv ? levelName(lv[1]) : undefined,
    message: rest,
    traceId: traceId?.toLowerCase(),
    requestId,
    attributes: {},
    format: 'text',
    line,
  };
}
