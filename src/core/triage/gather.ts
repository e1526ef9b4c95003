// Gathers the evidence for one incident from whichever sources are available. Each source
// is a small function supplied by the caller (the CLI or the extension wires the real
// ones: workspace resolution, git, the quick-fix rules, heap diffs, the database); a
// source that fails is recorded as a gap, never as a crash, so the investigation can say
// what is missing.
import type { ExceptionInfo, StackFrame } from '../model/frame';
import { culpritFrame } from '../model/frame';
import type {
  CodeFinding,
  CommitFacts,
  DatabaseFacts,
  Evidence,
  FailurePoint,
  HeapFacts,
  IncidentFacts,
  LatestEventFacts,
} from './evidence';
import { logMessages, type LogEvidence, type TraceEvidence } from './telemetryEvidence';

export interface EvidenceSources {
  /** Resolve a frame to a workspace file and line (with excerpt and drift). */
  resolveFrame?(frame: StackFrame, event: LatestEventFacts): Promise<FailurePoint | undefined>;
  /** Commits for the failing line and file, marked against the window and releases. */
  commits?(
    point: FailurePoint,
    incident: IncidentFacts,
    event: LatestEventFacts,
  ): Promise<{ commits: CommitFacts[]; windowStart?: string }>;
  /** Quick-fix findings in the failing file. */
  findings?(point: FailurePoint): Promise<CodeFinding[]>;
  heap?(): Promise<HeapFacts | undefined>;
  database?(): Promise<DatabaseFacts | undefined>;
  trace?(): Promise<TraceEvidence | undefined>;
  logs?(): Promise<LogEvidence | undefined>;
  /** With no exception frame: the code a trace finding points at (span → code). */
  locateCode?(evidence: Evidence): Promise<FailurePoint | undefined>;
}

export interface GatherResult {
  evidence: Evidence;
  /** Sources that failed, with the reason in words. */
  gaps: { source: string; reason: string }[];
}

function lastException(exceptions: ExceptionInfo[]): ExceptionInfo | undefined {
  return exceptions[exceptions.length - 1];
}

export async function gatherEvidence(
  incident: IncidentFacts,
  event: LatestEventFacts | undefined,
  sources: EvidenceSources,
): Promise<GatherResult> {
  const evidence: Evidence = { incident, event };
  const gaps: GatherResult['gaps'] = [];
  const attempt = async <T>(source: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (err) {
      gaps.push({ source, reason: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  };
  // Traces and logs first: with no exception, the failure point comes from them.
  const [trace, logs] = await Promise.all([
    sources.trace ? attempt('trace', () => sources.trace!()) : undefined,
    sources.logs ? attempt('logs', () => sources.logs!()) : undefined,
  ]);
  if (trace) evidence.trace = trace;
  if (logs) {
    evidence.logs = logs;
    if (event) event.messages = [...(event.messages ?? []), ...logMessages(logs)];
  }
  const exc = event ? lastException(event.exceptions) : undefined;
  const frame = exc ? culpritFrame(exc.frames) : undefined;
  if (event && frame && sources.resolveFrame) {
    evidence.failurePoint = await attempt('workspace', () => sources.resolveFrame!(frame, event));
    if (!evidence.failurePoint) evidence.failurePointUnresolved = gaps.find((g) => g.source === 'workspace')?.reason;
  } else if (trace && sources.locateCode) {
    evidence.failurePoint = await attempt('span → code', () => sources.locateCode!(evidence));
  }
  const point = evidence.failurePoint;
  const [changes, findings, heap, database] = await Promise.all([
    point && event && sources.commits ? attempt('git', () => sources.commits!(point, incident, event)) : undefined,
    point && sources.findings ? attempt('quick-fix rules', () => sources.findings!(point)) : undefined,
    sources.heap ? attempt('heap snapshots', () => sources.heap!()) : undefined,
    sources.database ? attempt('database', () => sources.database!()) : undefined,
  ]);
  if (changes) {
    evidence.commits = changes.commits;
    evidence.windowStart = changes.windowStart;
  }
  if (findings) evidence.findings = findings;
  if (heap) evidence.heap = heap;
  if (database) evidence.database = database;
  return { evidence, gaps };
}
