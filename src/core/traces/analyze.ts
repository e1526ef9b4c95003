// One pass over a trace that names what made it slow or noisy, with the numbers: the
// repeated step that dominates, retry storms, N+1 queries, slow downstreams. Each finding
// carries the code hint of its spans so triage can resolve it to a line.
import { aggregateSpans, describeGroup, type SpanGroup } from './aggregate';
import { formatMs, type Trace } from './model';
import {
  describeDownstream,
  describeNPlusOne,
  detectNPlusOne,
  detectSlowDownstreams,
  type NPlusOneFinding,
  type SlowDownstreamFinding,
} from './patterns';
import { describeRetry, detectRetries, type RetryFinding } from './retries';
import { codeHint, measuredLine, schedulingLine, type CodeHint } from './spanCode';

export interface RepeatedStepFinding {
  kind: 'repeated-span';
  group: SpanGroup;
}

export type TraceFinding = RepeatedStepFinding | RetryFinding | NPlusOneFinding | SlowDownstreamFinding;

export interface FindingView {
  finding: TraceFinding;
  summary: string;
  code: CodeHint;
  /** What the line to point at looks like, within the function (or its file). */
  line?: { pattern: RegExp; scope: 'body' | 'file' };
}

export interface TraceAnalysis {
  traceId: string;
  duration: number;
  spanCount: number;
  /** Root transaction / segment name. */
  rootName?: string;
  groups: SpanGroup[];
  findings: FindingView[];
  criticalPath: string[];
  notes: string[];
}

// A repeated step worth naming: done several times and most of the trace's wall time.
const REPEATED_MIN_COUNT = 5;
const REPEATED_MIN_SHARE = 0.4;
const TOP_GROUPS = 25;
const MAX_PER_KIND = 10;

function view(f: TraceFinding, duration: number): FindingView {
  switch (f.kind) {
    case 'repeated-span': {
      const code = codeHint(f.group.attributes, f.group.name);
      const pattern = measuredLine(f.group.name);
      return { finding: f, summary: describeGroup(f.group, duration), code, line: pattern ? { pattern, scope: 'body' } : undefined };
    }
    case 'retry-storm': {
      const code = codeHint(f.attributes, f.operation);
      return {
        finding: f,
        summary: describeRetry(f),
        code,
        line: code.function ? { pattern: schedulingLine(code.function), scope: 'file' } : undefined,
      };
    }
    case 'n-plus-one':
      return { finding: f, summary: describeNPlusOne(f), code: codeHint(f.attributes) };
    case 'slow-downstream':
      return { finding: f, summary: describeDownstream(f), code: codeHint(f.attributes) };
  }
}

export function analyzeTrace(trace: Trace): TraceAnalysis {
  // The root itself always covers the whole trace; repetition is about what runs under it.
  const rootIds = new Set(trace.roots.map((r) => r.spanId));
  const groups = aggregateSpans(
    trace,
    trace.spans.filter((s) => !rootIds.has(s.spanId)),
  );
  const repeated = groups.filter((g) => g.count >= REPEATED_MIN_COUNT && g.share >= REPEATED_MIN_SHARE);
  const retries = detectRetries(trace);
  // A retried operation is repeated by definition; the retry finding says more.
  const retried = new Set(retries.map((r) => `${r.op ?? ''}\u0000${r.operation}`));
  const findings: TraceFinding[] = [
    ...retries,
    ...repeated
      .filter((g) => !retried.has(`${g.op ?? ''}\u0000${g.name}`))
      .map((group): RepeatedStepFinding => ({ kind: 'repeated-span', group })),
    ...detectNPlusOne(trace),
    ...detectSlowDownstreams(trace),
  ];
  // The panel and the report name the worst few of each kind; the rest are counted.
  const notes = [...trace.notes];
  const kept: TraceFinding[] = [];
  const perKind = new Map<string, number>();
  for (const f of findings) {
    const n = (perKind.get(f.kind) ?? 0) + 1;
    perKind.set(f.kind, n);
    if (n <= MAX_PER_KIND) kept.push(f);
  }
  for (const [kind, n] of perKind)
    if (n > MAX_PER_KIND) notes.push(`${n - MAX_PER_KIND} more ${kind} finding(s) not listed (the ${MAX_PER_KIND} largest are)`);
  const root = trace.roots.reduce<(typeof trace.roots)[number] | undefined>(
    (a, b) => (!a || b.end - b.start > a.end - a.start ? b : a),
    undefined,
  );
  return {
    traceId: trace.traceId,
    duration: trace.duration,
    spanCount: trace.spans.length,
    rootName: root?.name,
    groups: groups.slice(0, TOP_GROUPS),
    findings: kept.map((f) => view(f, trace.duration)),
    criticalPath: trace.criticalPath.slice(0, 50).map((s) => `${s.name} (${formatMs(s.end - s.start)})`),
    notes,
  };
}
