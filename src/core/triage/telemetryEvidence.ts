// Traces and logs as evidence: what they hold for the investigation, the incident they
// make when there is no exception to start from (a slow trace, a retry storm, a warning
// in the logs), and the signals they give the classification, each with its numbers.
import type { LogSummary } from '../logs/summary';
import type { RetryFinding } from '../traces/retries';
import type { FindingView, TraceAnalysis } from '../traces/analyze';
import { formatBytes, formatMs } from '../traces/model';
import type { IncidentSummary } from '../model/incident';
import { parseStackTrace } from '../stack/parseTrace';
import type { BugClass } from './classify';
import type { Evidence } from './evidence';

export interface TraceEvidence {
  analysis: TraceAnalysis;
  /** Where it came from: `Sentry trace …` or the file. */
  source: string;
  /** Epoch ms of the trace's first span. */
  start?: number;
}

export interface LogEvidence {
  summary: LogSummary;
  source: string;
  notes: string[];
}

export interface TelemetrySignal {
  bugClass: BugClass;
  weight: number;
  says: string;
}

const MB = 1024 * 1024;
const PARSE_STEP = /\b(JSON\.(parse|stringify)|parse|deserializ|serializ|decode|structuredClone)/i;

/** The finding the investigation is about: storms first, then the dominant repeated step. */
export function leadFinding(analysis: TraceAnalysis): FindingView | undefined {
  const rank = (v: FindingView) =>
    v.finding.kind === 'retry-storm'
      ? v.finding.storm
        ? 0
        : 2
      : v.finding.kind === 'repeated-span'
        ? 1
        : v.finding.kind === 'n-plus-one'
          ? 3
          : 4;
  return [...analysis.findings].sort((a, b) => rank(a) - rank(b))[0];
}

function retrySignals(f: RetryFinding, summary: string): TelemetrySignal[] {
  const out: TelemetrySignal[] = [{ bugClass: 'retry-storm', weight: 3, says: `trace: ${summary}` }];
  const shape = [
    f.growth === 'geometric' ? `each failure schedules ${f.ratio!.toFixed(0)} more attempts (${f.waves.join(' → ')} per wave)` : '',
    f.backoff ? '' : 'no backoff between attempts',
    f.capped === false ? 'no cap on attempts' : '',
  ].filter(Boolean);
  if (shape.length) out.push({ bugClass: 'retry-storm', weight: 2, says: `retry pattern: ${shape.join('; ')}` });
  return out;
}

export function telemetrySignals(e: Evidence): TelemetrySignal[] {
  const out: TelemetrySignal[] = [];
  for (const v of e.trace?.analysis.findings ?? []) {
    const f = v.finding;
    // Three capped attempts with backoff are a retry policy working, not a storm.
    if (f.kind === 'retry-storm' && f.storm) out.push(...retrySignals(f, v.summary));
    else if (f.kind === 'repeated-span') {
      const size = f.group.sizes[0];
      const parses = PARSE_STEP.test(`${f.group.name} ${f.group.op ?? ''}`);
      if (parses) out.push({ bugClass: 'oversized-payload', weight: 3, says: `trace: ${v.summary}` });
      if (size && /bytes|size/i.test(size.key) && size.max >= MB)
        out.push({
          bugClass: 'oversized-payload',
          weight: parses ? 2 : 1,
          says: `payload size: ${size.key} is ${formatBytes(size.max)} on the repeated ${f.group.name} (mean ${formatBytes(size.mean)})`,
        });
    } else if (f.kind === 'n-plus-one') out.push({ bugClass: 'slow-query', weight: 3, says: `trace: ${v.summary}` });
  }
  // A failure logged again and again for the same few keys: attempts per key, from the logs.
  for (const t of e.logs?.summary.templates ?? []) {
    if (!/warn|error|fatal/.test(t.level ?? '') && !/fail|error|retry|timeout|refused|unavailable|\b5\d\d\b/i.test(t.sample)) continue;
    const key = t.keys.find((k) => k.distinct > 0 && k.top[0].count >= 3 && k.distinct <= Math.max(1, t.count / 3));
    if (!key || !/retr|attempt|fail|deliver/i.test(t.template)) continue;
    out.push({
      bugClass: 'retry-storm',
      weight: 2,
      says: `logs: "${t.template}" ×${t.count} for ${key.distinct} ${key.name === '<id>' ? 'id' : key.name}(s): ${key.top
        .slice(0, 3)
        .map((x) => `${x.value} ×${x.count}`)
        .join(', ')}`,
    });
    break;
  }
  return out;
}

/** What to do now, from the trace's numbers: the hotfix when no quick-fix rule gives one. */
export function telemetryAdvice(e: Evidence, bugClass: BugClass | undefined): string[] {
  const lead = e.trace ? leadFinding(e.trace.analysis) : undefined;
  const f = lead?.finding;
  const where = e.failurePoint ? ` at ${e.failurePoint.file}:${e.failurePoint.line}` : '';
  if (bugClass === 'retry-storm' && f?.kind === 'retry-storm') {
    const top = f.attemptsPerKey[0];
    const gap = f.gaps.length ? formatMs([...f.gaps].sort((a, b) => a - b)[Math.floor(f.gaps.length / 2)]) : undefined;
    return [
      `Cap the attempts per ${f.key} (e.g. 5, then park the ${f.key} in a dead-letter queue) where the retries are scheduled${where}: ${top.value} was attempted ${top.attempts} times.`,
      ...(f.growth === 'geometric'
        ? [`Schedule one retry per failure, not ${f.ratio!.toFixed(0)}: attempts grew ${f.waves.join(' → ')} per wave.`]
        : []),
      `Back off exponentially with full jitter (e.g. min(2^attempt × 1 s, 5 min) × random)${gap && !f.backoff ? `; today it retries ${gap} after a failure and the wait does not grow` : ''}, and honour Retry-After.`,
      'Add a circuit breaker per receiving endpoint: after a run of 5xx/429, stop calling it for a while and let queued deliveries wait.',
    ];
  }
  if (bugClass === 'oversized-payload' && f?.kind === 'repeated-span') {
    const size = f.group.sizes[0];
    return [
      `Parse the state once and pass the object from step to step instead of ${f.group.name} on every step${where}: ${lead!.summary}.`,
      'If the state must be persisted between steps, store it elsewhere (object storage, a table) and keep a reference in the workflow, or stream it with a streaming JSON parser instead of one JSON.parse.',
      `Add a size limit on the state${size ? ` (today ${size.key} reaches ${formatBytes(size.max)})` : ''}: refuse or split anything above a budget such as 5 MB, with a clear error at the boundary.`,
    ];
  }
  if (bugClass === 'slow-query' && f?.kind === 'n-plus-one') {
    return [
      `Fetch the ${f.count} rows in one statement (a JOIN, or \`= ANY($1)\` over the keys) instead of one \`${f.statement}\` per row under ${f.parent}.`,
    ];
  }
  return [];
}

/** An incident made from a trace: no exception, the lead finding is the title. */
export function incidentFromTrace(t: TraceEvidence): IncidentSummary {
  const a = t.analysis;
  const lead = leadFinding(a);
  const start = new Date(t.start ?? Date.now()).toISOString();
  const end = new Date((t.start ?? Date.now()) + a.duration).toISOString();
  return {
    id: a.traceId,
    shortId: `trace ${a.traceId.slice(0, 8)}`,
    title: lead ? lead.summary : `${a.rootName ?? 'trace'} took ${formatMs(a.duration)} over ${a.spanCount} spans`,
    culprit: a.rootName ?? '',
    level: 'warning',
    count: 1,
    userCount: 0,
    firstSeen: start,
    lastSeen: end,
    latestEvent: { eventId: a.traceId, dateCreated: end, exceptions: [] },
  };
}

/** An incident made from logs: the warning (or error) they surface, with its stack when logged. */
export function incidentFromLogs(l: LogEvidence): IncidentSummary {
  const s = l.summary;
  const lead = s.warnings[0] ?? s.errors[0];
  if (!lead)
    throw new Error(
      `${l.source}: the logs hold no warning or error to investigate (${s.records} record(s)); pass --event/--issue or --trace beside them`,
    );
  const type = 'type' in lead && lead.type ? lead.type : 'Error';
  const exceptions = lead.stack ? parseStackTrace(lead.stack) : [];
  const when = (t?: number) => new Date(t ?? Date.now()).toISOString();
  const last = exceptions[exceptions.length - 1];
  return {
    id: `logs:${type}`,
    shortId: `logs ${type}`,
    title: `${type}: ${lead.message.replace(new RegExp(`^${type}:\\s*`), '')}`,
    culprit: last?.frames[last.frames.length - 1]?.function ?? '',
    level: s.warnings[0] ? 'warning' : 'error',
    count: lead.count,
    userCount: 0,
    firstSeen: when(s.first),
    lastSeen: when(s.last),
    latestEvent: {
      eventId: `logs:${type}`,
      dateCreated: when(s.last),
      exceptions: exceptions.length ? exceptions : [{ type, value: lead.message, frames: [] }],
    },
  };
}

/** Log lines worth quoting beside an event: the warnings, with counts. */
export function logMessages(l: LogEvidence): string[] {
  return [
    ...l.summary.warnings.map((w) => `${w.type}: ${w.message} (×${w.count} in the logs)`),
    ...l.summary.errors.slice(0, 3).map((x) => `${x.type ?? 'error'}: ${x.message} (×${x.count} in the logs)`),
  ];
}
