// What the features outside the incidents view need to know about an incident (CodeLens,
// investigation, report), independent of where it came from.
import type { ExceptionInfo, StackFrame } from './frame';

export interface IncidentSummary {
  /** Sentry's issue id. */
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  level: string;
  /** Event count (Sentry serves it as a string). */
  count: number;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  permalink?: string;
  project?: string;
  /** Release the incident was first seen in, when known. */
  firstRelease?: string;
  /** From the latest event, once it has been loaded. */
  latestEvent?: {
    eventId: string;
    release?: string;
    environment?: string;
    dateCreated?: string;
    exceptions: ExceptionInfo[];
    culprit?: StackFrame;
  };
}
