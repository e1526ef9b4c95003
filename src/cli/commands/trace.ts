// `forensics trace show`: one trace, from Sentry (by trace id) or from a file (OTLP/JSON,
// Jaeger JSON, a Sentry transaction event), analysed: the repeated steps with their share
// of the trace, retry storms, N+1 queries, slow downstreams, and the critical path.
import { CliError, stringOption, type CliCommand } from '../framework';
import { redact } from '../../core/triage/redact';
import { connection, makeClient } from './sentry';
import { analysisJson, checkTraceId, loadSentryTrace, loadTraceFile, printTrace } from './telemetryArgs';

const show: CliCommand = {
  path: ['trace', 'show'],
  summary:
    'Analyse one trace from Sentry (by id) or a file (OTLP/JSON, Jaeger JSON, Sentry transaction): repeated steps, retries, N+1, slow downstreams.',
  usage: '(TRACE_ID --base-url URL --org ORG | --file FILE [TRACE_ID]) [--json]',
  options: { ...connection, file: { type: 'string' } },
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const file = stringOption(values, 'file');
    const id = positionals[0] ? checkTraceId(positionals[0]) : undefined;
    if (!file && !id) throw new CliError('give a TRACE_ID (with --base-url and --org) or --file FILE', 2);
    const trace = file ? await loadTraceFile(file, io, id) : await loadSentryTrace(makeClient(values, io), id!, io);
    if (values.json)
      io.stdout.write(redact(JSON.stringify({ source: trace.source, analysis: analysisJson(trace.analysis) }, null, 2)) + '\n');
    else printTrace(trace, io);
    return 0;
  },
};

export const traceCommands: readonly CliCommand[] = [show];
