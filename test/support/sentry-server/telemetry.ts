// The local server's traces and logs: what the SDK sends as `transaction` items (static
// trace lifecycle), span v2 items (@sentry/node 11 streams spans by default) and `log`
// items, kept as spans and log rows, and the Sentry web API shapes rendered from them
// (see /work/shared/reference/sentry/traces-logs/):
//   GET /organizations/{org}/trace/{id}/                 span tree nodes (children, errors)
//   GET /organizations/{org}/events/?dataset=spans|logs  table rows {data, meta}
//   GET /projects/{org}/{project}/events/{id}/           a transaction event (entries[spans])
import type { Store, StoredEvent } from './store';

type Json = Record<string, unknown>;
type Value = string | number | boolean;

export interface StoredSpan {
  projectId: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  op?: string;
  description: string;
  start: number;
  end: number;
  status?: string;
  attributes: Record<string, Value>;
  isSegment: boolean;
  /** The transaction / segment this span belongs to: its name and root span id. */
  segmentName?: string;
  segmentId?: string;
  /** Event id of the transaction that carried it (static lifecycle). */
  transactionEventId?: string;
  sdkName?: string;
}

export interface StoredLog {
  projectId: string;
  itemId: string;
  timestamp: number;
  level: string;
  severityNumber: number;
  body: string;
  traceId?: string;
  attributes: Record<string, Value>;
}

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

function flat(source: unknown): Record<string, Value> {
  const out: Record<string, Value> = {};
  if (!isObject(source)) return out;
  for (const [k, raw] of Object.entries(source)) {
    const v = isObject(raw) && 'value' in raw ? raw.value : raw;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** Epoch seconds from either encoding SDKs use (a number, or an RFC 3339 string as the Python SDK sends). */
const seconds = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) / 1000 : Number(v));

const SEVERITY: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, warning: 13, error: 17, fatal: 21 };

export class TelemetryStore {
  readonly spans = new Map<string, Map<string, StoredSpan>>();
  readonly transactions = new Map<string, { projectId: string; event: Json }>();
  readonly logs: StoredLog[] = [];
  private nextLogId = 1;

  get spanCount(): number {
    let n = 0;
    for (const t of this.spans.values()) n += t.size;
    return n;
  }

  private put(s: StoredSpan): void {
    let trace = this.spans.get(s.traceId);
    if (!trace) this.spans.set(s.traceId, (trace = new Map()));
    trace.set(s.spanId, s);
  }

  /** One envelope item; false when the type is not telemetry. */
  ingestItem(projectId: string, type: string, payload: unknown, sdkName?: string): boolean {
    if (type === 'transaction' && isObject(payload)) this.ingestTransaction(projectId, payload);
    else if (type === 'span' && isObject(payload)) {
      const items = Array.isArray(payload.items) ? payload.items : [payload];
      for (const i of items) if (isObject(i)) this.ingestSpan(projectId, i, sdkName);
    } else if (type === 'log' && isObject(payload) && Array.isArray(payload.items)) {
      for (const i of payload.items) if (isObject(i)) this.ingestLog(projectId, i);
    } else return false;
    return true;
  }

  private ingestTransaction(projectId: string, event: Json): void {
    const ctx = isObject(event.contexts) && isObject(event.contexts.trace) ? event.contexts.trace : undefined;
    const traceId = str(ctx?.trace_id);
    const rootId = str(ctx?.span_id);
    if (!ctx || !traceId || !rootId) return;
    const eventId = str(event.event_id) ?? rootId.padEnd(32, '0');
    this.transactions.set(eventId, { projectId, event });
    const sdkName = isObject(event.sdk) ? str(event.sdk.name) : undefined;
    const segmentName = str(event.transaction);
    this.put({
      projectId,
      traceId,
      spanId: rootId,
      parentSpanId: str(ctx.parent_span_id),
      op: str(ctx.op),
      description: segmentName ?? '',
      start: seconds(event.start_timestamp),
      end: seconds(event.timestamp),
      status: str(ctx.status),
      attributes: { ...flat(ctx.data), ...(str(ctx.origin) ? { 'sentry.origin': ctx.origin as string } : {}) },
      isSegment: true,
      segmentName,
      segmentId: rootId,
      transactionEventId: eventId,
      sdkName,
    });
    for (const s of Array.isArray(event.spans) ? event.spans : []) {
      if (!isObject(s) || !str(s.span_id)) continue;
      this.put({
        projectId,
        traceId,
        spanId: s.span_id as string,
        parentSpanId: str(s.parent_span_id),
        op: str(s.op),
        description: str(s.description) ?? '',
        start: seconds(s.start_timestamp),
        end: seconds(s.timestamp),
        status: str(s.status),
        attributes: { ...flat(s.data), ...(str(s.origin) ? { 'sentry.origin': s.origin as string } : {}) },
        isSegment: false,
        segmentName,
        segmentId: rootId,
        transactionEventId: eventId,
        sdkName,
      });
    }
  }

  private ingestSpan(projectId: string, s: Json, sdkName?: string): void {
    const traceId = str(s.trace_id);
    const spanId = str(s.span_id);
    if (!traceId || !spanId) return;
    const attributes = flat(s.attributes ?? s.data);
    // v2 carries end_timestamp and attributes; v1 standalone spans timestamp and data.
    this.put({
      projectId,
      traceId,
      spanId,
      parentSpanId: str(s.parent_span_id),
      op: str(attributes['sentry.op']) ?? str(s.op),
      description: str(s.name) ?? str(s.description) ?? '',
      start: seconds(s.start_timestamp),
      end: seconds(s.end_timestamp ?? s.timestamp),
      status: str(s.status),
      attributes,
      isSegment: s.is_segment === true,
      segmentName: str(attributes['sentry.segment.name']),
      segmentId: str(attributes['sentry.segment.id']) ?? str(s.segment_id),
      sdkName: str(attributes['sentry.sdk.name']) ?? sdkName,
    });
  }

  private ingestLog(projectId: string, l: Json): void {
    const level = str(l.level) ?? 'info';
    this.logs.push({
      projectId,
      itemId: (this.nextLogId++).toString(16).padStart(32, '0'),
      timestamp: seconds(l.timestamp),
      level,
      severityNumber: typeof l.severity_number === 'number' ? l.severity_number : (SEVERITY[level] ?? 9),
      body: str(l.body) ?? '',
      traceId: str(l.trace_id),
      attributes: flat(l.attributes),
    });
  }
}

// ---- Rendering the web API ------------------------------------------------------------

function errorsBySpan(store: Store, traceId: string): Map<string, StoredEvent[]> {
  const out = new Map<string, StoredEvent[]>();
  for (const e of store.events) {
    const trace = isObject(e.event.contexts) && isObject(e.event.contexts.trace) ? e.event.contexts.trace : undefined;
    if (str(trace?.trace_id) !== traceId) continue;
    const span = str(trace?.span_id) ?? '';
    const list = out.get(span);
    if (list) list.push(e);
    else out.set(span, [e]);
  }
  return out;
}

/** The trace endpoint's tree: top-level nodes are spans whose parent is not in the trace. */
export function serializeTrace(t: TelemetryStore, store: Store, traceId: string, attributes: readonly string[]): Json[] {
  const spans = t.spans.get(traceId);
  if (!spans) return [];
  const errors = errorsBySpan(store, traceId);
  const kids = new Map<string, StoredSpan[]>();
  const roots: StoredSpan[] = [];
  for (const s of spans.values()) {
    if (!s.parentSpanId || !spans.has(s.parentSpanId)) roots.push(s);
    else if (kids.has(s.parentSpanId)) kids.get(s.parentSpanId)!.push(s);
    else kids.set(s.parentSpanId, [s]);
  }
  const node = (s: StoredSpan): Json => {
    const project = store.projects.get(s.projectId);
    const extra = Object.fromEntries(attributes.filter((a) => s.attributes[a] !== undefined).map((a) => [a, s.attributes[a]]));
    return {
      event_id: s.spanId,
      event_type: 'span',
      transaction_id: s.transactionEventId ?? s.segmentId ?? s.spanId,
      project_id: Number(s.projectId) || s.projectId,
      project_slug: project?.slug ?? s.projectId,
      transaction: s.segmentName ?? '',
      description: s.description,
      op: s.op ?? 'default',
      name: s.op ?? 'default',
      parent_span_id: s.parentSpanId ?? null,
      profile_id: '',
      profiler_id: '',
      sdk_name: s.sdkName ?? '',
      is_transaction: s.isSegment,
      start_timestamp: s.start,
      end_timestamp: s.end,
      duration: Math.round((s.end - s.start) * 1e6) / 1e3,
      measurements: {},
      ...(Object.keys(extra).length ? { additional_attributes: extra } : {}),
      children: (kids.get(s.spanId) ?? []).sort((a, b) => a.start - b.start).map(node),
      errors: (errors.get(s.spanId) ?? []).map((e) => ({
        event_id: e.event.event_id,
        issue_id: Number(e.groupId),
        level: e.event.level ?? 'error',
        project_id: Number(e.projectId),
        project_slug: project?.slug,
        span: s.spanId,
        title: store.groups.get(e.groupId)?.type ? `${store.groups.get(e.groupId)!.type}: ${store.groups.get(e.groupId)!.value}` : '',
      })),
      occurrences: [],
    };
  };
  return roots.sort((a, b) => a.start - b.start).map(node);
}

/** A transaction event as GET /projects/{org}/{project}/events/{id}/ serves it. */
export function serializeTransactionEvent(t: TelemetryStore, store: Store, eventId: string): Json | undefined {
  const found = t.transactions.get(eventId);
  if (!found) return undefined;
  const e = found.event;
  const when = new Date(seconds(e.timestamp) * 1000).toISOString();
  return {
    id: eventId,
    eventID: eventId,
    groupID: null,
    type: 'transaction',
    title: e.transaction ?? '',
    message: '',
    platform: e.platform ?? 'node',
    projectID: found.projectId,
    projectSlug: store.projects.get(found.projectId)?.slug,
    dateCreated: when,
    dateReceived: when,
    startTimestamp: e.start_timestamp,
    endTimestamp: e.timestamp,
    contexts: e.contexts ?? {},
    tags: Object.entries(isObject(e.tags) ? e.tags : {}).map(([key, value]) => ({ key, value: String(value) })),
    entries: [{ type: 'spans', data: Array.isArray(e.spans) ? e.spans : [] }],
    sdk: e.sdk ?? null,
    release: e.release ? { version: e.release } : null,
    environment: e.environment,
  };
}

// ---- The events endpoint ----------------------------------------------------------------

interface Term {
  key?: string;
  value: string;
  negated: boolean;
}

function parseQuery(q: string): Term[] {
  const terms: Term[] = [];
  for (const m of q.matchAll(/(!?)(?:([\w.[\], -]+?):)?("[^"]*"|\S+)/g)) {
    const value = m[3].replace(/^"|"$/g, '');
    terms.push({ key: m[2]?.trim(), value, negated: m[1] === '!' });
  }
  return terms;
}

function spanRow(s: StoredSpan, store: Store): Record<string, Value | null> {
  const slug = store.projects.get(s.projectId)?.slug ?? s.projectId;
  return {
    id: s.spanId,
    span_id: s.spanId,
    'span.op': s.op ?? null,
    'span.description': s.description,
    'span.duration': Math.round((s.end - s.start) * 1e6) / 1e3,
    'span.status': s.status ?? null,
    transaction: s.segmentName ?? null,
    timestamp: new Date(s.end * 1000).toISOString().replace(/\.\d+Z$/, '+00:00'),
    is_transaction: s.isSegment,
    project: slug,
    trace: s.traceId,
    'transaction.span_id': s.segmentId ?? null,
    'project.name': slug,
    parent_span: s.parentSpanId ?? null,
    precise_start_ts: s.start,
    precise_finish_ts: s.end,
  };
}

function logRow(l: StoredLog): Record<string, Value | null> {
  const nanos = BigInt(Math.round(l.timestamp * 1e6)) * 1000n;
  return {
    'sentry.item_id': l.itemId,
    'project.id': Number(l.projectId) || l.projectId,
    trace: l.traceId ?? null,
    severity_number: l.severityNumber,
    severity: l.level,
    timestamp: new Date(l.timestamp * 1000).toISOString().replace(/Z$/, '+00:00'),
    'tags[sentry.timestamp_precise,number]': Number(nanos),
    'sentry.observed_timestamp_nanos': nanos.toString(),
    message: l.body,
  };
}

function fieldValue(row: Record<string, Value | null>, attributes: Record<string, Value>, field: string): Value | null {
  if (field in row) return row[field];
  const tag = /^tags?\[([^,\]]+)(?:,\s*\w+)?\]$/.exec(field)?.[1] ?? field;
  return attributes[tag] ?? null;
}

function matchesTerms(
  row: Record<string, Value | null>,
  attributes: Record<string, Value>,
  text: string,
  terms: Term[],
  projectSlug: string,
): boolean {
  return terms.every((t) => {
    let hit: boolean;
    if (!t.key) hit = text.toLowerCase().includes(t.value.toLowerCase());
    else if (t.key === 'project') hit = projectSlug === t.value;
    else if (t.key === 'trace' || t.key === 'trace_id') hit = String(row.trace ?? '') === t.value.toLowerCase();
    else {
      const v = fieldValue(row, attributes, t.key);
      const wanted = t.value.replace(/\*/g, '');
      hit = v !== null && (t.value.includes('*') ? String(v).includes(wanted) : String(v) === t.value);
    }
    return t.negated ? !hit : hit;
  });
}

export interface EventsAnswer {
  status: number;
  body: unknown;
}

/** GET /organizations/{org}/events/ for the spans and logs datasets. */
export function queryTelemetry(t: TelemetryStore, store: Store, params: URLSearchParams): { rows: Json[]; meta: Json } | { error: string } {
  const dataset = params.get('dataset') ?? '';
  const fields = params.getAll('field');
  if (!fields.length) return { error: 'No columns selected' };
  const terms = parseQuery(params.get('query') ?? '');
  const projectIds = params.getAll('project').filter((p) => p !== '-1');
  const start = params.get('start') ? Date.parse(params.get('start')!) / 1000 : -Infinity;
  const end = params.get('end') ? Date.parse(params.get('end')!) / 1000 : Infinity;
  let rows: { row: Record<string, Value | null>; attributes: Record<string, Value>; when: number }[];
  if (dataset === 'spans') {
    rows = [...t.spans.values()]
      .flatMap((m) => [...m.values()])
      .filter((s) => !projectIds.length || projectIds.includes(s.projectId))
      .map((s) => ({
        row: spanRow(s, store),
        attributes: s.attributes,
        when: s.end,
        text: s.description,
        slug: store.projects.get(s.projectId)?.slug ?? '',
      }))
      .filter((r) => r.when >= start && r.when <= end && matchesTerms(r.row, r.attributes, r.text, terms, r.slug));
  } else if (dataset === 'logs' || dataset === 'ourlogs') {
    rows = t.logs
      .filter((l) => !projectIds.length || projectIds.includes(l.projectId))
      .map((l) => ({
        row: logRow(l),
        attributes: l.attributes,
        when: l.timestamp,
        text: l.body,
        slug: store.projects.get(l.projectId)?.slug ?? '',
      }))
      .filter((r) => r.when >= start && r.when <= end && matchesTerms(r.row, r.attributes, r.text, terms, r.slug));
  } else return { error: `Invalid dataset: ${dataset}` };
  const sort = params.get('sort');
  if (sort) {
    const key = sort.replace(/^-/, '');
    if (!fields.includes(key)) return { error: `Cannot sort by a field that is not selected: ${key}` };
    const dir = sort.startsWith('-') ? -1 : 1;
    const num = (r: (typeof rows)[number]) => (key === 'timestamp' ? r.when : Number(fieldValue(r.row, r.attributes, key) ?? 0));
    rows.sort((a, b) => dir * (num(a) - num(b)));
  }
  const types: Record<string, string> = {
    'span.duration': 'duration',
    is_transaction: 'boolean',
    severity_number: 'integer',
    'project.id': 'integer',
    'tags[sentry.timestamp_precise,number]': 'number',
  };
  return {
    rows: rows.map((r) => Object.fromEntries(fields.map((f) => [f, fieldValue(r.row, r.attributes, f)]))),
    meta: {
      fields: Object.fromEntries(fields.map((f) => [f, types[f] ?? 'string'])),
      units: Object.fromEntries(fields.map((f) => [f, f === 'span.duration' ? 'millisecond' : null])),
      isMetricsData: false,
      isMetricsExtractedData: false,
      tips: {},
      datasetReason: 'unchanged',
      dataset,
      dataScanned: 'full',
    },
  };
}
