// The parts of Sentry's web API responses this tool reads, named and typed as Sentry
// serves them (camelCase, counts as strings where Sentry sends strings). See the
// reference payloads of GET /organizations/{org}/issues/, .../issues/{id}/,
// .../issues/{id}/events/latest/, .../releases/{version}/ (+ /commits/, /deploys/).
// Everything optional that Sentry may send as null is typed `| null`.

export interface ApiProject {
  id: string;
  slug: string;
  name?: string;
  platform?: string | null;
}

export interface ApiReleaseRef {
  version: string;
  shortVersion?: string;
  dateCreated?: string;
  dateReleased?: string | null;
  ref?: string | null;
  url?: string | null;
}

export interface ApiIssue {
  id: string;
  shortId: string;
  title: string;
  culprit: string | null;
  permalink?: string | null;
  level: string;
  status?: string;
  /** Sentry sends the event count as a string. */
  count: string;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  project: ApiProject;
  type?: string;
  metadata?: { type?: string; value?: string; filename?: string; function?: string; title?: string };
  isUnhandled?: boolean;
  hasSeen?: boolean;
  /** Issue details only. */
  firstRelease?: ApiReleaseRef | null;
  lastRelease?: ApiReleaseRef | null;
}

export interface ApiFrame {
  filename?: string | null;
  absPath?: string | null;
  module?: string | null;
  function?: string | null;
  lineNo?: number | null;
  colNo?: number | null;
  inApp?: boolean | null;
  /** [[lineNo, text], ...] around lineNo. */
  context?: [number, string][] | null;
}

export interface ApiExceptionValue {
  type?: string | null;
  value?: string | null;
  module?: string | null;
  mechanism?: { type?: string; handled?: boolean | null } | null;
  stacktrace?: { frames?: ApiFrame[] | null } | null;
}

export interface ApiEntry {
  type: string;
  data: unknown;
}

export interface ApiCommit {
  id: string;
  message?: string | null;
  dateCreated?: string | null;
  author?: { name?: string | null; email?: string | null } | null;
  repository?: { name?: string | null } | null;
}

export interface ApiDeploy {
  id: string;
  environment: string;
  name?: string | null;
  url?: string | null;
  dateStarted?: string | null;
  dateFinished?: string | null;
}

export interface ApiRelease extends ApiReleaseRef {
  commitCount?: number;
  lastCommit?: ApiCommit | null;
  deployCount?: number;
  lastDeploy?: ApiDeploy | null;
  firstEvent?: string | null;
  lastEvent?: string | null;
}

export interface ApiEvent {
  id: string;
  eventID: string;
  groupID?: string | null;
  projectID?: string | null;
  title?: string;
  message?: string | null;
  platform?: string | null;
  culprit?: string | null;
  dateCreated?: string;
  dateReceived?: string;
  tags?: { key: string; value: string }[];
  entries: ApiEntry[];
  /** The event endpoints embed the release object (or null). */
  release?: ApiRelease | null;
  user?: { id?: string | null; email?: string | null; username?: string | null; ip_address?: string | null } | null;
  contexts?: Record<string, unknown>;
}
