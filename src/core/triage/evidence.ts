// What an investigation knows about one incident. Each part is optional: evidence is
// gathered from Sentry, the workspace, git, the quick-fix rules, heap snapshots and the
// database, and any of them may be missing. The investigation says what is missing and
// the one action that gets it instead of guessing.
import type { ExceptionInfo, StackFrame } from '../model/frame';
import type { LogEvidence, TraceEvidence } from './telemetryEvidence';

export interface IncidentFacts {
  id: string;
  shortId?: string;
  title: string;
  culprit?: string;
  level?: string;
  count: number;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  permalink?: string;
  project?: string;
  environments?: string[];
  /** Release the incident was first seen in. */
  firstRelease?: string;
  /** Releases the incident has been seen in. */
  releases?: string[];
  /** Event counts over time, oldest first: [unix seconds, count]. */
  series?: [number, number][];
}

export interface LatestEventFacts {
  eventId?: string;
  release?: string;
  environment?: string;
  dateCreated?: string;
  /** Outermost first; the last is the one that surfaced. */
  exceptions: ExceptionInfo[];
  tags?: Record<string, string>;
  /** Log lines and breadcrumbs (messages) that came with the event. */
  messages?: string[];
}

export interface FailurePoint {
  frame: StackFrame;
  /** Workspace-relative path of the resolved file. */
  file: string;
  line: number;
  column?: number;
  lineText?: string;
  /** The lines around the failing line: first line number and the text. */
  excerpt?: { startLine: number; lines: string[] };
  /** Said when the line moved since the release, or could not be found. */
  drift?: string;
}

export interface CommitFacts {
  sha: string;
  subject: string;
  author: string;
  date: string;
  /** The commit that last changed the failing line. */
  introducedLine?: boolean;
  /** Touched the file in the window before the incident was first seen. */
  inWindow?: boolean;
  /** Releases this commit shipped in. */
  releases?: string[];
  /** Unified diff of the commit for the file, when gathered. */
  diff?: string;
}

export interface CodeFinding {
  ruleId: string;
  message: string;
  file: string;
  line: number;
  /** Title of the preferred fix, with the unified diff it would apply. */
  fix?: { title: string; diff: string };
}

export interface HeapFacts {
  /** Bytes retained by objects allocated between baseline and target that survive in final. */
  leakedBytes?: number;
  /** Growth of the heap over the series, bytes. */
  growthBytes: number;
  suspects: { className: string; countDelta: number; sizeDelta: number; retainerPath?: string; culprit?: string }[];
}

export interface DatabaseFacts {
  slowStatements?: { query: string; calls: number; meanMs: number; totalMs: number }[];
  activity?: { total: number; maxConnections: number; idleInTransaction: number; waiting: number };
  blockingChains?: number;
}

export interface Evidence {
  incident: IncidentFacts;
  event?: LatestEventFacts;
  failurePoint?: FailurePoint;
  /** Why the culprit frame was not resolved (e.g. its path leads outside the workspace). */
  failurePointUnresolved?: string;
  commits?: CommitFacts[];
  /** Start of the window before first seen that the commit list covers (ISO). */
  windowStart?: string;
  findings?: CodeFinding[];
  heap?: HeapFacts;
  database?: DatabaseFacts;
  /** A trace of the incident, analysed (repeated steps, retries, N+1, slow downstreams). */
  trace?: TraceEvidence;
  /** The incident window of the logs, summarised by template. */
  logs?: LogEvidence;
}
