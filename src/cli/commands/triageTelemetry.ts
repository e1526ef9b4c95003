// `forensics triage --trace ID | --trace-file FILE | --logs FILE`: traces and logs as
// evidence beside an incident, or as the incident itself when there is no exception (a
// slow trace, a retry storm, a warning in the logs). With a Sentry connection, a trace id
// also brings the Sentry Logs of that trace.
import { stringOption, type CliIO, type OptionValues } from '../framework';
import type { IncidentSummary } from '../../core/model/incident';
import type { EvidenceSources } from '../../core/triage/gather';
import { incidentFromLogs, incidentFromTrace, type LogEvidence, type TraceEvidence } from '../../core/triage/telemetryEvidence';
import { CliError } from '../framework';
import { makeClient } from './sentry';
import type { SentryClient } from '../../core/sentry/client';
import { SentryApiError } from '../../core/sentry/errors';
import { logsFromSentry, traceFromSentry } from '../../core/triage/telemetrySources';
import { checkTraceId, loadLogFile, loadSentryLogs, loadSentryTrace, loadTraceFile, timeWindow } from './telemetryArgs';

export const telemetryOptions = {
  trace: { type: 'string' },
  'trace-file': { type: 'string' },
  logs: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
} as const;

export interface TelemetryInput {
  sources: Pick<EvidenceSources, 'trace' | 'logs'>;
  /** The incident when traces or logs are all there is. */
  incident?: IncidentSummary;
}

export function wantsTelemetry(values: OptionValues): boolean {
  return !!(stringOption(values, 'trace') || stringOption(values, 'trace-file') || stringOption(values, 'logs'));
}

/** Loads what the flags name; `standalone` when no --issue/--event gives the incident. */
export async function telemetryInput(values: OptionValues, io: CliIO, standalone: boolean): Promise<TelemetryInput> {
  const traceRaw = stringOption(values, 'trace');
  const traceId = traceRaw ? checkTraceId(traceRaw) : undefined;
  const traceFile = stringOption(values, 'trace-file');
  const logFile = stringOption(values, 'logs');
  const window = timeWindow(values);
  let trace: TraceEvidence | undefined;
  let logs: LogEvidence | undefined;
  if (traceFile) trace = await loadTraceFile(traceFile, io, traceId);
  else if (traceId) {
    const client = makeClient(values, io);
    trace = await loadSentryTrace(client, traceId, io);
    // The logs of that trace, unless a log file was given instead.
    if (!logFile) logs = await loadSentryLogs(client, { query: `trace:${traceId}` }, io);
  }
  if (logFile) logs = await loadLogFile(logFile, io, window);
  let incident: IncidentSummary | undefined;
  if (standalone) {
    if (trace) incident = incidentFromTrace(trace);
    else if (logs) {
      try {
        incident = incidentFromLogs(logs);
      } catch (err) {
        throw new CliError((err as Error).message, 1);
      }
    }
  }
  const sources: TelemetryInput['sources'] = {};
  if (trace) sources.trace = async () => trace;
  if (logs) sources.logs = async () => logs;
  return { sources, incident };
}

/**
 * An incident from Sentry leads to its trace: the latest event's contexts.trace.trace_id
 * gives the trace and the Sentry Logs of that trace. Best effort: an event without a trace,
 * or a trace Sentry no longer has, adds nothing (not a gap); other failures are gaps.
 */
export function followedTrace(client: SentryClient, issueId: string, signal?: AbortSignal): Pick<EvidenceSources, 'trace' | 'logs'> {
  let traceId: Promise<string | undefined> | undefined;
  const id = () => (traceId ??= client.getIssueEvent(issueId, 'latest', signal).then(traceIdOfEvent, () => undefined));
  return {
    async trace() {
      const t = await id();
      if (!t) return undefined;
      try {
        return await traceFromSentry(client, t, signal);
      } catch (err) {
        if (err instanceof SentryApiError && err.kind === 'notFound') return undefined;
        throw err;
      }
    },
    async logs() {
      const t = await id();
      if (!t) return undefined;
      const logs = await logsFromSentry(client, { query: `trace:${t}` }, signal);
      return logs.summary.records ? logs : undefined;
    },
  };
}

export function traceIdOfEvent(event: { contexts?: Record<string, unknown> }): string | undefined {
  const trace = event.contexts?.trace as { trace_id?: unknown } | undefined;
  return typeof trace?.trace_id === 'string' && /^[0-9a-f]{32}$/i.test(trace.trace_id) ? trace.trace_id.toLowerCase() : undefined;
}
