// What `forensics trace`, `forensics logs` and `forensics triage` share about traces and
// logs: time arguments, the trace and log sources from flags, and the printing of an
// analysed trace and a log summary. Every quoted text goes through redaction.
import { resolve } from 'node:path';
import { CliError, stringOption, type CliIO, type OptionValues } from '../framework';
import { SentryApiError } from '../../core/sentry/errors';
import type { SentryClient } from '../../core/sentry/client';
import { TraceFileError } from '../../core/traces/readFile';
import { LogFileError } from '../../core/logs/read';
import type { TraceAnalysis } from '../../core/traces/analyze';
import { formatBytes, formatMs } from '../../core/traces/model';
import type { LogSummary } from '../../core/logs/summary';
import { redact } from '../../core/triage/redact';
import { logsFromFile, logsFromSentry, traceFromFile, traceFromSentry } from '../../core/triage/telemetrySources';
import type { LogEvidence, TraceEvidence } from '../../core/triage/telemetryEvidence';
import { asCliError } from './sentry';

const RELATIVE = /^-?(\d+)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** ISO date/time, epoch ms, or a span back from now (`15m`, `2h`, `1d`). */
export function parseTime(raw: string, flag: string, now = Date.now()): number {
  const rel = RELATIVE.exec(raw.trim());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]];
  if (/^\d{12,}$/.test(raw)) return Number(raw);
  const t = Date.parse(raw);
  if (Number.isNaN(t))
    throw new CliError(
      `--${flag} "${raw}": expected an ISO time (2024-05-01T10:00:00Z), epoch milliseconds, or a span back from now (15m, 2h, 1d)`,
      2,
    );
  return t;
}

export function timeWindow(values: OptionValues): { since?: number; until?: number } {
  const s = stringOption(values, 'since');
  const u = stringOption(values, 'until');
  const since = s ? parseTime(s, 'since') : undefined;
  const until = u ? parseTime(u, 'until') : undefined;
  if (since !== undefined && until !== undefined && since > until) throw new CliError('--since is after --until', 2);
  return { since, until };
}

export function checkTraceId(id: string): string {
  const clean = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(clean))
    throw new CliError(`"${id}" is not a trace id (32 hexadecimal characters, as in contexts.trace.trace_id)`, 2);
  return clean;
}

/** Runs a trace/log read, turning its errors into one-line CLI errors. */
export async function cliRead<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TraceFileError || err instanceof LogFileError) throw new CliError(redact(err.message), 1);
    if (err instanceof SentryApiError) throw asCliError(err);
    throw err;
  }
}

export function loadTraceFile(file: string, io: CliIO, traceId?: string): Promise<TraceEvidence> {
  return cliRead(() => traceFromFile(resolve(io.cwd, file), traceId));
}

export function loadSentryTrace(client: SentryClient, traceId: string, io: CliIO): Promise<TraceEvidence> {
  return cliRead(() => traceFromSentry(client, traceId, io.signal));
}

export function loadLogFile(file: string, io: CliIO, filter: { since?: number; until?: number; traceId?: string }): Promise<LogEvidence> {
  return cliRead(() => logsFromFile(resolve(io.cwd, file), filter, io.signal));
}

export function loadSentryLogs(
  client: SentryClient,
  q: { query?: string; since?: number; until?: number },
  io: CliIO,
): Promise<LogEvidence> {
  return cliRead(() =>
    logsFromSentry(
      client,
      {
        query: q.query,
        start: q.since !== undefined ? new Date(q.since).toISOString() : undefined,
        end: q.until !== undefined ? new Date(q.until).toISOString() : undefined,
      },
      io.signal,
    ),
  );
}

/** The analysis as JSON-safe data (the finding's line pattern as its source text). */
export function analysisJson(a: TraceAnalysis): unknown {
  return {
    ...a,
    findings: a.findings.map((f) => ({ ...f, line: f.line ? { pattern: f.line.pattern.source, scope: f.line.scope } : undefined })),
  };
}

export function printTrace(t: TraceEvidence, io: CliIO): void {
  const a = t.analysis;
  const out = [
    `trace ${a.traceId} — ${a.rootName ?? 'root'}: ${formatMs(a.duration)}, ${a.spanCount.toLocaleString('en-US')} spans (${t.source})`,
  ];
  for (const n of a.notes) out.push(`  note: ${n}`);
  out.push('', a.findings.length ? 'Findings:' : 'Findings: none (no repeated step, retry storm, N+1 or slow downstream)');
  for (const f of a.findings) {
    out.push(`  - ${f.summary}`);
    const c = f.code;
    if (c.file || c.function)
      out.push(
        `      code: ${c.function ? `${c.function}()` : ''}${c.file ? ` ${c.file}${c.line ? `:${c.line}` : ''}` : ''}${c.origin ? ` [${c.origin}]` : ''}`,
      );
  }
  out.push('', 'Spans by operation, by self time (count, self time, wall time covered, share of the trace):');
  for (const g of a.groups.slice(0, 15)) {
    const size = g.sizes[0]
      ? `  ${g.sizes[0].key} ≤ ${/bytes|size/i.test(g.sizes[0].key) ? formatBytes(g.sizes[0].max) : g.sizes[0].max}`
      : '';
    out.push(
      `  ${`×${g.count}`.padStart(7)}  ${formatMs(g.self).padStart(9)}  ${formatMs(g.covered).padStart(9)}  ${`${Math.round(g.share * 100)}%`.padStart(4)}  ${g.op ? `${g.op}: ` : ''}${g.name.length > 140 ? `${g.name.slice(0, 139)}…` : g.name}${g.errors ? `  (${g.errors} failed)` : ''}${size}`,
    );
  }
  if (a.criticalPath.length) out.push('', `Critical path: ${a.criticalPath.join(' → ')}`);
  io.stdout.write(redact(out.join('\n')) + '\n');
}

const when = (t?: number) => (t === undefined ? '?' : new Date(t).toISOString());

export function printLogs(l: LogEvidence, io: CliIO, limit = 20): void {
  const s: LogSummary = l.summary;
  const levels = Object.entries(s.levels)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const out = [
    `${s.records.toLocaleString('en-US')} record(s) from ${l.source}${s.records ? `, ${when(s.first)} → ${when(s.last)} (${levels})` : ''}`,
  ];
  for (const n of [...l.notes, ...s.notes]) out.push(`  note: ${n}`);
  if (s.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of s.warnings) out.push(`  ${w.type} ×${w.count}: ${w.message}`);
  }
  out.push('', 'Messages by template:');
  for (const t of s.templates.slice(0, limit)) {
    out.push(`  ${`×${t.count}`.padStart(7)}  ${(t.level ?? '').padEnd(5)}  ${t.template}`);
    for (const k of t.keys.slice(0, 2))
      out.push(
        `             ${k.distinct}${k.capped ? '+' : ''} distinct ${k.name}: ${k.top.map((x) => `${x.value} ×${x.count}`).join(', ')}`,
      );
  }
  if (s.templates.length > limit) out.push(`  … ${s.templates.length - limit} more template(s) (--json lists them all)`);
  if (s.traceIds.length)
    out.push(
      '',
      `Trace ids: ${s.traceIds
        .slice(0, 5)
        .map((t) => `${t.traceId} (${t.count})`)
        .join(', ')}`,
    );
  io.stdout.write(redact(out.join('\n')) + '\n');
}
