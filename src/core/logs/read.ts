// Streaming log reader: a file of any size through a file handle in 1 MB chunks, lines
// cut at 1 MB, records handed to a sink one by one (nothing accumulates here). With a
// trace id or request id to look for, the raw bytes are searched first and only the
// matching lines are decoded, which is what keeps a 1 GB scan near `grep` speed.
import { open } from 'node:fs/promises';
import { normaliseTraceId, recordFromJson, recordFromText, type LogFormat, type LogRecord } from './record';

export interface LogFilter {
  /** Epoch ms, inclusive. */
  since?: number;
  until?: number;
  traceId?: string;
  requestId?: string;
}

export interface LogScanStats {
  bytes: number;
  /** Lines read (not counted when a needle search skips non-matching lines). */
  lines?: number;
  matched: number;
  formats: Partial<Record<LogFormat, number>>;
  /** Lines that were neither a log record nor the continuation of one. */
  unparsed: number;
  notes: string[];
}

export class LogFileError extends Error {}

const CHUNK = 1024 * 1024;
export const MAX_LINE = 1024 * 1024;
const MAX_CONTINUATION_LINES = 200;

export function matches(r: LogRecord, f: LogFilter): boolean {
  if (f.traceId && r.traceId !== normaliseTraceId(f.traceId)) return false;
  if (f.requestId && r.requestId !== f.requestId) return false;
  if (f.since !== undefined && (r.time === undefined || r.time < f.since)) return false;
  if (f.until !== undefined && (r.time === undefined || r.time > f.until)) return false;
  return true;
}

/** Parses one line: JSON when it looks like JSON, else text. */
export function parseLine(text: string, line: number): { record?: LogRecord; json: boolean; failedJson: boolean } {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    try {
      const r = recordFromJson(JSON.parse(t), line);
      if (r) return { record: r, json: true, failedJson: false };
    } catch {
      return { record: recordFromText(t, line), json: false, failedJson: true };
    }
  }
  return { record: recordFromText(text, line), json: false, failedJson: false };
}

export async function scanLogFile(
  path: string,
  filter: LogFilter,
  sink: (r: LogRecord) => void,
  signal?: AbortSignal,
): Promise<LogScanStats> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new LogFileError(
      e.code === 'ENOENT' ? `${path}: no such file` : e.code === 'EISDIR' ? `${path} is a folder, not a log file` : `${path}: ${e.message}`,
    );
  }
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw new LogFileError(`${path} is a folder, not a log file`);
  }
  const stats: LogScanStats = { bytes: 0, matched: 0, formats: {}, unparsed: 0, notes: [] };
  const needleText = filter.traceId ? normaliseTraceId(filter.traceId) : filter.requestId;
  const needle = needleText ? Buffer.from(needleText) : undefined;
  let lineNo = 0;
  let cutLines = 0;
  let untimed = 0;
  let lastFailedJson = false;
  let pending: LogRecord | undefined;
  let continuation = 0;
  const flush = () => {
    if (pending && matches(pending, filter)) {
      stats.matched++;
      sink(pending);
    } else if (pending && (filter.since !== undefined || filter.until !== undefined) && pending.time === undefined) untimed++;
    pending = undefined;
  };
  const handleLine = (buf: Buffer, start: number, end: number) => {
    if (end - start > MAX_LINE) {
      cutLines++;
      end = start + MAX_LINE;
    }
    const text = buf.toString('utf8', start, end).replace(/\r$/, '');
    lineNo++;
    if (!text.trim()) return;
    const { record, json, failedJson } = parseLine(text, lineNo);
    lastFailedJson = failedJson;
    if (record) {
      flush();
      stats.formats[record.format] = (stats.formats[record.format] ?? 0) + 1;
      pending = record;
      continuation = 0;
      return;
    }
    // A line with no timestamp under a text record: a stack trace or a wrapped message.
    if (!json && pending && pending.format === 'text' && continuation < MAX_CONTINUATION_LINES) {
      pending.message += `\n${text}`;
      continuation++;
      return;
    }
    stats.unparsed++;
  };
  const needleLine = (buf: Buffer, start: number, end: number) => {
    const text = buf.toString('utf8', start, Math.min(end, start + MAX_LINE)).replace(/\r$/, '');
    const { record, failedJson } = parseLine(text, 0);
    lastFailedJson = failedJson;
    if (!record) return void stats.unparsed++;
    stats.formats[record.format] = (stats.formats[record.format] ?? 0) + 1;
    if (matches(record, filter)) {
      stats.matched++;
      sink(record);
    }
  };
  // One buffer for the whole scan: the unfinished last line moves to its start and the next
  // chunk is read after it, so nothing is allocated per chunk (a 1 GB scan stays flat).
  const work = Buffer.allocUnsafe(CHUNK + MAX_LINE + 1);
  let carryLen = 0;
  let endsWithNewline = true;
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
      const { bytesRead } = await handle.read(work, carryLen, CHUNK, null);
      if (bytesRead === 0) break;
      stats.bytes += bytesRead;
      const buf = work.subarray(0, carryLen + bytesRead);
      endsWithNewline = buf[buf.length - 1] === 0x0a;
      const last = buf.lastIndexOf(0x0a);
      if (last === -1) {
        // One line longer than a chunk: keep at most MAX_LINE + 1 bytes of it (it is cut anyway).
        carryLen = Math.min(buf.length, MAX_LINE + 1);
        continue;
      }
      if (needle) {
        let at = buf.indexOf(needle, 0);
        while (at !== -1 && at < last) {
          const start = buf.lastIndexOf(0x0a, at) + 1;
          const end = buf.indexOf(0x0a, at);
          needleLine(buf, start, end);
          at = buf.indexOf(needle, end + 1);
        }
      } else {
        let start = 0;
        while (start <= last) {
          const end = buf.indexOf(0x0a, start);
          handleLine(buf, start, end);
          start = end + 1;
        }
      }
      carryLen = Math.min(buf.length - (last + 1), MAX_LINE + 1);
      work.copyWithin(0, last + 1, last + 1 + carryLen);
    }
    if (carryLen) {
      const rest = work.subarray(0, carryLen);
      if (needle) {
        if (rest.indexOf(needle) !== -1) needleLine(rest, 0, rest.length);
      } else handleLine(rest, 0, rest.length);
    }
    flush();
  } finally {
    await handle.close();
  }
  if (!needle) stats.lines = lineNo;
  if (!endsWithNewline && lastFailedJson)
    stats.notes.push('the last line is cut short (the file was still being written, or truncated); it was read as text');
  if (cutLines) stats.notes.push(`${cutLines} line(s) longer than ${MAX_LINE / 1024 / 1024} MB were cut`);
  const kinds = Object.keys(stats.formats);
  if (kinds.length > 1)
    stats.notes.push(
      `mixed formats: ${Object.entries(stats.formats)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`,
    );
  if (stats.unparsed)
    stats.notes.push(`${stats.unparsed} line(s) were neither a log record (JSON, or text with a timestamp) nor part of one`);
  if (untimed) stats.notes.push(`${untimed} record(s) carry no timestamp and were left out of the time window`);
  return stats;
}
