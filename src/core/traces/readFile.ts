// A trace from a file people already have: an OTLP/JSON export (one request object, or
// the collector file exporter's one object per line), Jaeger JSON, a saved Sentry
// transaction event, or a saved Sentry envelope. JSON-lines files are read line by line;
// a single document is parsed whole, so it is capped.
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { buildTrace, type Span, type Trace } from './model';
import { spansFromJaeger, spansFromOtlp } from './otlp';
import { isTransactionEvent, spanFromV1, spanFromV2, spansFromTransaction, spansFromTraceTree } from './sentrySpans';

export type TraceFormat = 'otlp' | 'otlp-lines' | 'jaeger' | 'sentry-transaction' | 'sentry-envelope' | 'sentry-trace';

export interface TraceFile {
  trace: Trace;
  format: TraceFormat;
  /** Other trace ids in the file, when it held more than one. */
  otherTraces: string[];
}

export class TraceFileError extends Error {}

const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/** Spans of one parsed JSON document, with the format it was recognised as. */
export function spansFromDocument(doc: unknown): { spans: Span[]; format: TraceFormat } {
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && Array.isArray((doc as { resourceSpans?: unknown }).resourceSpans))
    return { spans: spansFromOtlp(doc), format: 'otlp' };
  const jaeger = spansFromJaeger(doc);
  if (jaeger) return { spans: jaeger, format: 'jaeger' };
  if (isTransactionEvent(doc)) return { spans: spansFromTransaction(doc), format: 'sentry-transaction' };
  if (Array.isArray(doc) && doc.some((n) => n && typeof n === 'object' && 'start_timestamp' in n && 'children' in n)) {
    const first = doc.find((n) => n && typeof n === 'object' && typeof (n as { trace?: unknown }).trace === 'string') as
      { trace?: string } | undefined;
    return { spans: spansFromTraceTree(doc, first?.trace ?? ''), format: 'sentry-trace' };
  }
  throw new TraceFileError(
    'not a trace: expected OTLP/JSON ("resourceSpans"), Jaeger JSON ("data"/"spans" with "spanID"), a Sentry transaction event (type "transaction" with contexts.trace) or a Sentry trace ("children" nodes)',
  );
}

/** Spans of an envelope's `transaction` and `span` items. */
function spansFromEnvelopeItem(header: Record<string, unknown>, payload: unknown): Span[] {
  if (header.type === 'transaction' && isTransactionEvent(payload)) return spansFromTransaction(payload);
  if (header.type === 'span' && payload && typeof payload === 'object') {
    const items = (payload as { items?: unknown }).items;
    if (Array.isArray(items))
      return items
        .flatMap((i) => (i && typeof i === 'object' ? [spanFromV2(i as Record<string, unknown>)] : []))
        .filter((s): s is Span => !!s);
    const one = spanFromV1(payload as Record<string, unknown>);
    return one ? [one] : [];
  }
  return [];
}

async function firstBytes(path: string, n: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function readLines(path: string, notes: string[]): Promise<{ spans: Span[]; format: TraceFormat }> {
  const spans: Span[] = [];
  let format: TraceFormat = 'otlp-lines';
  let pendingHeader: Record<string, unknown> | undefined;
  let lineNo = 0;
  let bad = 0;
  let badAt = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    const text = line.trim();
    if (!text) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      bad++;
      badAt ||= lineNo;
      continue;
    }
    const obj = doc as Record<string, unknown>;
    if (
      lineNo === 1 &&
      obj &&
      typeof obj === 'object' &&
      !Array.isArray(obj) &&
      ('sdk' in obj || 'dsn' in obj || 'sent_at' in obj) &&
      !('resourceSpans' in obj)
    ) {
      format = 'sentry-envelope';
      continue;
    }
    if (format === 'sentry-envelope') {
      if (!pendingHeader) pendingHeader = obj;
      else {
        spans.push(...spansFromEnvelopeItem(pendingHeader, obj));
        pendingHeader = undefined;
      }
      continue;
    }
    try {
      spans.push(...spansFromDocument(doc).spans);
    } catch {
      bad++;
      badAt ||= lineNo;
    }
  }
  if (bad) notes.push(`${bad} line(s) were not trace data and were skipped (first: line ${badAt}; a truncated last line reads like this)`);
  if (!spans.length)
    throw new TraceFileError(
      `no spans found in ${lineNo} line(s): expected OTLP/JSON lines ("resourceSpans" per line) or a Sentry envelope`,
    );
  return { spans, format };
}

/** Picks the trace asked for, or the one with most spans, from what the file holds. */
export function pickTrace(spans: Span[], traceId: string | undefined, notes: string[]): { trace: Trace; otherTraces: string[] } {
  const counts = new Map<string, number>();
  for (const s of spans) counts.set(s.traceId, (counts.get(s.traceId) ?? 0) + 1);
  const wanted = traceId?.toLowerCase().replace(/-/g, '');
  let chosen = wanted;
  if (wanted && !counts.has(wanted))
    throw new TraceFileError(
      `trace ${traceId} is not in the file (it holds ${[...counts.keys()].slice(0, 5).join(', ')}${counts.size > 5 ? ', …' : ''})`,
    );
  if (!chosen) chosen = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!chosen) throw new TraceFileError('the file holds no spans');
  const otherTraces = [...counts.keys()].filter((t) => t !== chosen);
  if (otherTraces.length && !wanted)
    notes.push(`the file holds ${counts.size} traces; showing ${chosen} (${counts.get(chosen)} spans), pick another with --trace`);
  return {
    trace: buildTrace(
      spans.filter((s) => s.traceId === chosen),
      chosen,
      notes,
    ),
    otherTraces,
  };
}

export async function readTraceFile(path: string, options: { traceId?: string } = {}): Promise<TraceFile> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new TraceFileError(err.code === 'ENOENT' ? `${path}: no such file` : `${path}: ${err.message}`);
  });
  if (!info.isFile()) throw new TraceFileError(`${path} is not a file`);
  const notes: string[] = [];
  const head = await firstBytes(path, 64 * 1024);
  const firstLine = head.split('\n', 1)[0].trim();
  let parsedFirst = false;
  try {
    JSON.parse(firstLine);
    parsedFirst = true;
  } catch {
    /* a pretty-printed document, or not JSON at all */
  }
  const multiLine = head.indexOf('\n') !== -1 && head.slice(head.indexOf('\n')).trim().length > 0;
  let result: { spans: Span[]; format: TraceFormat };
  if (parsedFirst && multiLine) result = await readLines(path, notes);
  else {
    if (!/^\s*[[{]/.test(head))
      throw new TraceFileError(`${path} is not JSON: expected OTLP/JSON, Jaeger JSON or a Sentry transaction event`);
    if (info.size > MAX_DOCUMENT_BYTES)
      throw new TraceFileError(
        `${path} is ${Math.round(info.size / 1024 / 1024)} MB in one JSON document; export it as JSON lines (one request per line, as the collector's file exporter writes) to read it in pieces`,
      );
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new TraceFileError(`${path} is not valid JSON (${(err as Error).message}); a truncated export reads like this`);
    }
    result = spansFromDocument(doc);
  }
  const { trace, otherTraces } = pickTrace(result.spans, options.traceId, notes);
  return { trace, format: result.format, otherTraces };
}
