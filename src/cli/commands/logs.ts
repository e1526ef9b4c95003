// `forensics logs`: the incident window of a log file (pino, winston, bunyan JSON lines or
// timestamped text, streamed) or of Sentry Logs, grouped by message template with counts
// and distinct keys, Node warnings surfaced, secrets redacted.
import { CliError, stringOption, type CliCommand } from '../framework';
import { redact } from '../../core/triage/redact';
import { connection, makeClient } from './sentry';
import { checkTraceId, loadLogFile, loadSentryLogs, printLogs, timeWindow } from './telemetryArgs';

const logs: CliCommand = {
  path: ['logs'],
  summary: 'Summarise logs (a file, or Sentry Logs) for a time window or a trace: messages by template, counts per key, warnings.',
  usage: '(--file FILE | --base-url URL --org ORG --query Q) [--since T] [--until T] [--trace TRACE_ID] [--json]',
  options: {
    ...connection,
    file: { type: 'string' },
    query: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    trace: { type: 'string' },
  },
  async run({ values, io }) {
    const file = stringOption(values, 'file');
    const window = timeWindow(values);
    const traceRaw = stringOption(values, 'trace');
    const traceId = traceRaw ? checkTraceId(traceRaw) : undefined;
    let result;
    if (file) result = await loadLogFile(file, io, { ...window, traceId });
    else {
      const query = [stringOption(values, 'query'), traceId ? `trace:${traceId}` : undefined].filter(Boolean).join(' ');
      if (!query && window.since === undefined)
        throw new CliError('give --file FILE, or --query Q (Sentry search syntax) and/or --trace / --since for Sentry Logs', 2);
      result = await loadSentryLogs(makeClient(values, io), { query, ...window }, io);
    }
    if (values.json)
      io.stdout.write(
        redact(JSON.stringify({ source: result.source, ...result.summary, notes: [...result.notes, ...result.summary.notes] }, null, 2)) +
          '\n',
      );
    else printLogs(result, io);
    return 0;
  },
};

export const logsCommands: readonly CliCommand[] = [logs];
