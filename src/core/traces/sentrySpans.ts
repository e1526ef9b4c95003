// Spans from Sentry's shapes: a transaction event (as the SDK sends it, or as the web API
// serves it with an `entries[type=spans]` entry), span v2 envelope items (what
// @sentry/node 11 streams by default), v1 standalone spans, and the trace endpoint's tree
// (GET /organizations/{org}/trace/{trace_id}/). Sentry timestamps are epoch seconds.
import type { AttributeValue, Span } from './model';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const seconds = (v: unknown): number => (typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN);

function flat(source: unknown, into: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  if (!isObject(source)) return into;
  for (const [k, raw] of Object.entries(source)) {
    // v2 attributes are {value, type}; v1 data and tags are plain values.
    const v = isObject(raw) && 'value' in raw ? raw.value : raw;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') into[k] = v;
    else if (Array.isArray(v)) into[k] = JSON.stringify(v);
  }
  return into;
}

function sentryStatus(v: unknown): string | undefined {
  const s = str(v);
  return s === 'ok' || s === 'unknown' || s === undefined ? s : s === 'internal_error' || s === 'unknown_error' ? 'error' : s;
}

/** A v1 span (transaction `spans[]`, `entries[spans].data[]`, a standalone span item). */
export function spanFromV1(s: Json, traceId?: string): Span | undefined {
  const spanId = str(s.span_id);
  const trace = str(s.trace_id) ?? traceId;
  if (!spanId || !trace) return undefined;
  const attributes = flat(s.tags, flat(s.data));
  if (str(s.origin)) attributes['sentry.origin'] = s.origin as string;
  return {
    spanId,
    traceId: trace,
    parentSpanId: str(s.parent_span_id),
    name: str(s.description) ?? str(s.op) ?? '',
    op: str(s.op) ?? str(attributes['sentry.op']),
    start: seconds(s.start_timestamp),
    end: seconds(s.timestamp ?? s.end_timestamp),
    status: sentryStatus(s.status),
    attributes,
    isSegment: s.is_segment === true,
  };
}

/** A span v2 item (`{version:2, items:[…]}` payloads). */
export function spanFromV2(s: Json): Span | undefined {
  const spanId = str(s.span_id);
  const traceId = str(s.trace_id);
  if (!spanId || !traceId) return undefined;
  const attributes = flat(s.attributes);
  return {
    spanId,
    traceId,
    parentSpanId: str(s.parent_span_id),
    name: str(s.name) ?? '',
    op: str(attributes['sentry.op']),
    start: seconds(s.start_timestamp),
    end: seconds(s.end_timestamp),
    status: sentryStatus(s.status),
    attributes,
    isSegment: s.is_segment === true,
  };
}

export function isTransactionEvent(doc: unknown): doc is Json {
  if (!isObject(doc)) return false;
  const trace = isObject(doc.contexts) ? doc.contexts.trace : undefined;
  return (
    (doc.type === 'transaction' || Array.isArray(doc.spans) || Array.isArray(doc.entries)) &&
    isObject(trace) &&
    typeof trace.trace_id === 'string'
  );
}

/** The transaction itself (from contexts.trace) and its child spans. */
export function spansFromTransaction(doc: Json): Span[] {
  const ctx = (doc.contexts as Json).trace as Json;
  const traceId = ctx.trace_id as string;
  const rootAttributes = flat(ctx.data);
  const root: Span = {
    spanId: str(ctx.span_id) ?? `${traceId.slice(0, 16)}`,
    traceId,
    parentSpanId: str(ctx.parent_span_id),
    name: str(doc.transaction) ?? str(doc.title) ?? str(ctx.op) ?? 'transaction',
    op: str(ctx.op),
    start: seconds(doc.start_timestamp ?? doc.startTimestamp),
    end: seconds(doc.timestamp ?? doc.endTimestamp),
    status: sentryStatus(ctx.status),
    attributes: rootAttributes,
    isSegment: true,
  };
  const raw = Array.isArray(doc.spans)
    ? doc.spans
    : (Array.isArray(doc.entries) ? doc.entries : [])
        .filter((e) => isObject(e) && e.type === 'spans')
        .flatMap((e) => ((e as Json).data as unknown[]) ?? []);
  const spans = raw.flatMap((s) => (isObject(s) ? [spanFromV1(s, traceId)].filter((x): x is Span => !!x) : []));
  return [root, ...spans];
}

/**
 * The trace endpoint's nodes, flattened. A node's `children` are spans (and transactions)
 * below it; attributes asked for with `additional_attributes` come back on each node.
 */
export function spansFromTraceTree(nodes: unknown, traceId: string): Span[] {
  const out: Span[] = [];
  const stack: { node: unknown; parent?: string }[] = (Array.isArray(nodes) ? nodes : []).map((node) => ({ node }));
  while (stack.length) {
    const { node, parent } = stack.pop()!;
    // The endpoint mixes issue objects into the list; only nodes with timestamps are spans.
    if (!isObject(node) || node.start_timestamp === undefined) continue;
    const spanId = str(node.span_id) ?? str(node.event_id);
    if (!spanId) continue;
    const attributes = flat(node.additional_attributes, flat(node.tags, flat(node.data)));
    if (str(node.transaction)) attributes['sentry.transaction'] = node.transaction as string;
    const start = seconds(node.start_timestamp);
    const end =
      node.end_timestamp !== undefined
        ? seconds(node.end_timestamp)
        : node.timestamp !== undefined
          ? seconds(node.timestamp)
          : start + Number(node.duration ?? 0);
    out.push({
      spanId,
      traceId: str(node.trace) ?? traceId,
      parentSpanId: str(node.parent_span_id) ?? parent,
      name: str(node.description) ?? str(node.name) ?? str(node.op) ?? '',
      op: str(node.op),
      start,
      end,
      status: sentryStatus(node.status),
      attributes,
      service: str(node.project_slug),
      isSegment: node.is_transaction === true || node.is_segment === true,
    });
    for (const child of Array.isArray(node.children) ? node.children : []) stack.push({ node: child, parent: spanId });
  }
  return out;
}

/** The error events the trace endpoint attaches to its nodes: what ties an exception to this trace. */
export function errorsFromTraceTree(nodes: unknown): { eventId: string; issueId?: string; title?: string; spanId?: string }[] {
  const out: { eventId: string; issueId?: string; title?: string; spanId?: string }[] = [];
  const stack: unknown[] = Array.isArray(nodes) ? [...nodes] : [];
  while (stack.length) {
    const node = stack.pop();
    if (!isObject(node)) continue;
    for (const e of Array.isArray(node.errors) ? node.errors : []) {
      if (isObject(e) && str(e.event_id))
        out.push({
          eventId: e.event_id as string,
          issueId: e.issue_id !== undefined ? String(e.issue_id) : undefined,
          title: str(e.title),
          spanId: str(e.span),
        });
    }
    if (Array.isArray(node.children)) stack.push(...node.children);
  }
  return out;
}
