// The trace and log evidence sources: from Sentry (trace endpoint, Logs dataset) or from
// files (OTLP/Jaeger/Sentry traces, JSON-lines or text logs), and span → code against the
// workspace. The CLI and the scenario suite wire the same functions.
import type { SentryClient } from '../sentry/client';
import { getTraceTree, queryLogs } from '../sentry/traces';
import { analyzeTrace } from '../traces/analyze';
import { buildTrace } from '../traces/model';
import { readTraceFile } from '../traces/readFile';
import { spansFromTraceTree } from '../traces/sentrySpans';
import { locateFunction } from '../traces/spanCode';
import { recordFromJson } from '../logs/record';
import { scanLogFile, type LogFilter } from '../logs/read';
import { LogSummarizer } from '../logs/summary';
import type { Evidence, FailurePoint } from './evidence';
import { leadFinding, type LogEvidence, type TraceEvidence } from './telemetryEvidence';
import type { WorkspaceSources } from './workspaceSources';

export async function traceFromSentry(client: SentryClient, traceId: string, signal?: AbortSignal): Promise<TraceEvidence> {
  const nodes = await getTraceTree(client, traceId, {}, signal);
  const id = traceId.replace(/-/g, '').toLowerCase();
  const trace = buildTrace(spansFromTraceTree(nodes, id), id);
  return { analysis: analyzeTrace(trace), source: `Sentry trace ${id}`, start: trace.start };
}

export async function traceFromFile(path: string, traceId?: string): Promise<TraceEvidence> {
  const { trace, format } = await readTraceFile(path, { traceId });
  return { analysis: analyzeTrace(trace), source: `${path} (${format})`, start: trace.start };
}

export async function logsFromFile(path: string, filter: LogFilter, signal?: AbortSignal): Promise<LogEvidence> {
  const summarizer = new LogSummarizer();
  const stats = await scanLogFile(path, filter, (r) => summarizer.add(r), signal);
  const summary = summarizer.summary();
  return { summary, source: path, notes: stats.notes };
}

/** Sentry Logs for a query (`trace:ID` for the logs of one trace), summarised. */
export async function logsFromSentry(
  client: SentryClient,
  q: { query?: string; start?: string; end?: string; limit?: number },
  signal?: AbortSignal,
): Promise<LogEvidence> {
  const page = await queryLogs(client, { ...q, limit: q.limit ?? 5000 }, signal);
  const summarizer = new LogSummarizer();
  for (const row of page.rows) {
    const r = recordFromJson(row, 0);
    if (r) summarizer.add(r);
  }
  return {
    summary: summarizer.summary(),
    source: `Sentry Logs${q.query ? ` "${q.query}"` : ''}`,
    notes: page.truncated ? [`only the first ${page.rows.length} log rows were read`] : [],
  };
}

/**
 * Span → code for the lead finding: the span's own code.* file and line through the
 * workspace's frame resolution, else its function found in the workspace and the line in
 * it that the finding is about (the JSON.parse, the timer that schedules the retry).
 */
export function spanCodeSource(
  workspace: WorkspaceSources,
  folders: readonly { path: string }[],
): (evidence: Evidence) => Promise<FailurePoint | undefined> {
  return async (evidence) => {
    const lead = evidence.trace ? leadFinding(evidence.trace.analysis) : undefined;
    if (!lead) return undefined;
    const { code, line } = lead;
    const event = evidence.event ?? { exceptions: [] };
    if (code.file) return workspace.resolveFrame({ filename: code.file, lineNo: code.line, function: code.function, inApp: true }, event);
    if (!code.function)
      throw new Error(`the spans of "${lead.summary.slice(0, 80)}" carry no code.* attributes and no function name to look up`);
    const found = await locateFunction(code.function, folders, line?.pattern, line?.scope);
    if (!found) throw new Error(`${code.function}() (from the spans' code.function) is not defined in the workspace`);
    return workspace.resolveFrame(
      { absPath: found.file, filename: found.file, lineNo: found.line, function: code.function, inApp: true },
      event,
    );
  };
}
