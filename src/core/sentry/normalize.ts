// Sentry's API payloads -> the tool's own shapes (src/core/model). Frame order is kept
// exactly as Sentry stores it (outermost first, crashing frame last) and so is the order
// of chained exceptions; the culprit is the innermost in-app frame.
import { culpritFrame, type ExceptionInfo, type StackFrame } from '../model/frame';
import type { IncidentSummary } from '../model/incident';
import type { ApiEvent, ApiExceptionValue, ApiFrame, ApiIssue } from './types';

function str(v: string | null | undefined): string | undefined {
  return v == null || v === '' ? undefined : v;
}

function num(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function normaliseFrame(frame: ApiFrame): StackFrame {
  const out: StackFrame = {};
  const set = <K extends keyof StackFrame>(key: K, value: StackFrame[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('filename', str(frame.filename));
  set('absPath', str(frame.absPath));
  set('module', str(frame.module));
  set('function', str(frame.function));
  set('lineNo', num(frame.lineNo));
  set('colNo', num(frame.colNo));
  set('inApp', typeof frame.inApp === 'boolean' ? frame.inApp : undefined);
  // Sentry serves source context as [[lineNo, text], ...]; split it around the frame's line.
  const context = Array.isArray(frame.context) ? frame.context : [];
  const line = out.lineNo;
  if (context.length && line !== undefined) {
    const pre = context.filter(([n]) => n < line).map(([, t]) => t);
    const at = context.find(([n]) => n === line);
    const post = context.filter(([n]) => n > line).map(([, t]) => t);
    if (pre.length) out.preContext = pre;
    if (at) out.contextLine = at[1];
    if (post.length) out.postContext = post;
  }
  return out;
}

export function normaliseException(value: ApiExceptionValue): ExceptionInfo {
  const info: ExceptionInfo = {
    type: str(value.type) ?? 'Error',
    value: value.value ?? '',
    frames: (value.stacktrace?.frames ?? []).map(normaliseFrame),
  };
  if (value.mechanism) {
    info.mechanism = {};
    if (value.mechanism.type) info.mechanism.type = value.mechanism.type;
    if (typeof value.mechanism.handled === 'boolean') info.mechanism.handled = value.mechanism.handled;
  }
  return info;
}

/** The exception chain of an event, from its `entries` of type `exception`. */
export function eventExceptions(event: Pick<ApiEvent, 'entries'>): ExceptionInfo[] {
  const out: ExceptionInfo[] = [];
  for (const entry of event.entries ?? []) {
    if (entry.type !== 'exception') continue;
    const values = (entry.data as { values?: ApiExceptionValue[] | null } | null)?.values ?? [];
    for (const v of values) out.push(normaliseException(v));
  }
  return out;
}

/**
 * The frame where the application failed: in a chain, Sentry lists the cause first and
 * the exception that was raised last, so the last exception with frames decides.
 */
export function eventCulprit(exceptions: readonly ExceptionInfo[]): StackFrame | undefined {
  for (let i = exceptions.length - 1; i >= 0; i--) {
    if (exceptions[i].frames.length) return culpritFrame(exceptions[i].frames);
  }
  return undefined;
}

export interface NormalisedEvent {
  eventId: string;
  issueId?: string;
  projectId?: string;
  title?: string;
  message?: string;
  platform?: string;
  release?: string;
  environment?: string;
  dateCreated?: string;
  tags: Record<string, string>;
  exceptions: ExceptionInfo[];
  culprit?: StackFrame;
}

export function normaliseEvent(event: ApiEvent): NormalisedEvent {
  const tags: Record<string, string> = {};
  for (const t of event.tags ?? []) tags[t.key] = t.value;
  const exceptions = eventExceptions(event);
  const out: NormalisedEvent = { eventId: event.eventID ?? event.id, tags, exceptions };
  const assign = <K extends keyof NormalisedEvent>(key: K, value: NormalisedEvent[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  assign('issueId', str(event.groupID));
  assign('projectId', str(event.projectID));
  assign('title', str(event.title));
  assign('message', str(event.message));
  assign('platform', str(event.platform));
  assign('release', str(event.release?.version) ?? tags.release);
  assign('environment', tags.environment);
  assign('dateCreated', str(event.dateCreated));
  assign('culprit', eventCulprit(exceptions));
  return out;
}

export function issueToSummary(issue: ApiIssue): IncidentSummary {
  const summary: IncidentSummary = {
    id: issue.id,
    shortId: issue.shortId,
    title: issue.title,
    culprit: issue.culprit ?? '',
    level: issue.level,
    count: Number(issue.count) || 0,
    userCount: issue.userCount ?? 0,
    firstSeen: issue.firstSeen,
    lastSeen: issue.lastSeen,
  };
  if (issue.permalink) summary.permalink = issue.permalink;
  if (issue.project?.slug) summary.project = issue.project.slug;
  if (issue.firstRelease?.version) summary.firstRelease = issue.firstRelease.version;
  return summary;
}

export function withLatestEvent(summary: IncidentSummary, event: NormalisedEvent): IncidentSummary {
  const latestEvent: NonNullable<IncidentSummary['latestEvent']> = { eventId: event.eventId, exceptions: event.exceptions };
  if (event.release) latestEvent.release = event.release;
  if (event.environment) latestEvent.environment = event.environment;
  if (event.dateCreated) latestEvent.dateCreated = event.dateCreated;
  if (event.culprit) latestEvent.culprit = event.culprit;
  return { ...summary, latestEvent };
}
