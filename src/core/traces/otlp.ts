// OTLP/JSON traces (ExportTraceServiceRequest, as POSTed to /v1/traces and written by the
// collector's file exporter, one request object per line) and Jaeger's JSON (the query
// API's `{data:[trace]}`, one UI-model trace, or the anonymizer's bare span array).
// Facts from opentelemetry-proto's JSON encoding: ids are hex, enums are integers,
// 64-bit integers are decimal strings, unknown fields are ignored.
import type { AttributeValue, Span } from './model';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** An OTLP AnyValue as a flat attribute value (arrays and maps become JSON text). */
export function anyValue(v: unknown): AttributeValue | undefined {
  if (!isObject(v)) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (isObject(v.arrayValue)) return JSON.stringify(((v.arrayValue.values as unknown[]) ?? []).map(anyValue));
  if (isObject(v.kvlistValue)) return JSON.stringify(Object.fromEntries(otlpAttributes(v.kvlistValue.values)));
  if (typeof v.bytesValue === 'string') return v.bytesValue;
  return undefined;
}

function otlpAttributes(list: unknown): [string, AttributeValue][] {
  if (!Array.isArray(list)) return [];
  const out: [string, AttributeValue][] = [];
  for (const kv of list) {
    if (!isObject(kv) || typeof kv.key !== 'string') continue;
    const value = anyValue(kv.value);
    if (value !== undefined) out.push([kv.key, value]);
  }
  return out;
}

const nanosToMs = (v: unknown): number => {
  if (typeof v === 'number') return v / 1e6;
  if (typeof v === 'string' && /^\d+$/.test(v)) {
    // Nanoseconds since 1970 exceed 2^53; split so the millisecond part stays exact.
    return v.length > 6 ? Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6 : Number(v) / 1e6;
  }
  return NaN;
};

const KIND_OPS: Record<number, string> = { 2: 'server', 3: 'client', 4: 'producer', 5: 'consumer' };

/** Sentry-style op from OTel attributes: what the aggregation groups and the detectors read. */
export function opFromAttributes(attrs: Record<string, AttributeValue>, kind?: number): string | undefined {
  if (typeof attrs['sentry.op'] === 'string') return attrs['sentry.op'];
  if (attrs['db.system'] !== undefined || attrs['db.system.name'] !== undefined) return 'db';
  const http = attrs['http.request.method'] ?? attrs['http.method'];
  if (http !== undefined) return kind === 2 ? 'http.server' : 'http.client';
  if (attrs['messaging.system'] !== undefined) return kind === 5 ? 'queue.process' : 'queue.publish';
  return kind !== undefined ? KIND_OPS[kind] : undefined;
}

function isOtlp(doc: unknown): doc is { resourceSpans: unknown[] } {
  return isObject(doc) && Array.isArray(doc.resourceSpans);
}

/** Spans of one ExportTraceServiceRequest. Throws when the object is not one. */
export function spansFromOtlp(doc: unknown): Span[] {
  if (!isOtlp(doc)) throw new Error('not OTLP/JSON: no "resourceSpans" array');
  const out: Span[] = [];
  for (const rs of doc.resourceSpans) {
    if (!isObject(rs)) continue;
    const resource = Object.fromEntries(otlpAttributes(isObject(rs.resource) ? rs.resource.attributes : undefined));
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    const scopes = (rs.scopeSpans ?? rs.instrumentationLibrarySpans) as unknown;
    if (!Array.isArray(scopes)) continue;
    for (const ss of scopes) {
      if (!isObject(ss) || !Array.isArray(ss.spans)) continue;
      for (const s of ss.spans) {
        if (!isObject(s) || typeof s.spanId !== 'string' || typeof s.traceId !== 'string') continue;
        const attributes = Object.fromEntries(otlpAttributes(s.attributes));
        const kind = typeof s.kind === 'number' ? s.kind : undefined;
        const code = isObject(s.status) ? Number(s.status.code ?? 0) : 0;
        out.push({
          spanId: s.spanId.toLowerCase(),
          traceId: s.traceId.toLowerCase(),
          parentSpanId: typeof s.parentSpanId === 'string' && s.parentSpanId ? s.parentSpanId.toLowerCase() : undefined,
          name: typeof s.name === 'string' ? s.name : '',
          op: opFromAttributes(attributes, kind),
          start: nanosToMs(s.startTimeUnixNano),
          end: nanosToMs(s.endTimeUnixNano),
          status: code === 2 ? 'error' : code === 1 ? 'ok' : undefined,
          attributes,
          service,
        });
      }
    }
  }
  return out;
}

function jaegerTags(tags: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(tags)) return out;
  for (const t of tags) {
    if (!isObject(t) || typeof t.key !== 'string') continue;
    const v = t.value;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[t.key] = t.type === 'int64' || t.type === 'float64' ? Number(v) : v;
  }
  return out;
}

const JAEGER_KINDS: Record<string, number> = { server: 2, client: 3, producer: 4, consumer: 5 };

function jaegerSpan(s: Json, processes: Json): Span | undefined {
  if (typeof s.spanID !== 'string' || typeof s.traceID !== 'string') return undefined;
  const attributes = jaegerTags(s.tags);
  const parentRef = Array.isArray(s.references)
    ? (s.references.find((r) => isObject(r) && r.refType === 'CHILD_OF') ?? s.references[0])
    : undefined;
  const process = isObject(s.process)
    ? s.process
    : typeof s.processID === 'string' && isObject(processes[s.processID])
      ? (processes[s.processID] as Json)
      : undefined;
  const start = Number(s.startTime) / 1000;
  const kindTag = attributes['span.kind'];
  return {
    spanId: s.spanID.toLowerCase(),
    traceId: s.traceID.toLowerCase(),
    parentSpanId: isObject(parentRef) && typeof parentRef.spanID === 'string' ? parentRef.spanID.toLowerCase() : undefined,
    name: typeof s.operationName === 'string' ? s.operationName : '',
    op: opFromAttributes(attributes, typeof kindTag === 'string' ? JAEGER_KINDS[kindTag] : undefined),
    start,
    end: start + Number(s.duration) / 1000,
    status: attributes.error === true || attributes.error === 'true' || attributes['otel.status_code'] === 'ERROR' ? 'error' : undefined,
    attributes,
    service: process && typeof process.serviceName === 'string' ? process.serviceName : undefined,
  };
}

function isJaegerSpan(v: unknown): v is Json {
  return isObject(v) && typeof v.spanID === 'string' && typeof v.operationName === 'string';
}

/** Jaeger JSON in any of its three shapes; undefined when the document is not Jaeger's. */
export function spansFromJaeger(doc: unknown): Span[] | undefined {
  const traces: Json[] = [];
  if (isObject(doc) && Array.isArray(doc.data) && doc.data.every((t) => isObject(t) && Array.isArray(t.spans)))
    traces.push(...(doc.data as Json[]));
  else if (isObject(doc) && typeof doc.traceID === 'string' && Array.isArray(doc.spans)) traces.push(doc);
  else if (Array.isArray(doc) && doc.length > 0 && doc.every(isJaegerSpan)) traces.push({ spans: doc, processes: {} });
  else return undefined;
  const out: Span[] = [];
  for (const t of traces) {
    const processes = isObject(t.processes) ? t.processes : {};
    for (const s of t.spans as unknown[]) {
      const span = isObject(s) ? jaegerSpan(s, processes) : undefined;
      if (span) out.push(span);
    }
  }
  return out;
}
