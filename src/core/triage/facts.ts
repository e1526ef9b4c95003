// From the incident as the incidents feature knows it (IncidentSummary) to the facts the
// investigation reasons about.
import type { IncidentSummary } from '../model/incident';
import type { IncidentFacts, LatestEventFacts } from './evidence';
import { culpritFrame } from '../model/frame';
import { exceptionsFromEvent } from '../stack/eventJson';

export function incidentFacts(summary: IncidentSummary, extra: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    id: summary.id,
    shortId: summary.shortId,
    title: summary.title,
    culprit: summary.culprit,
    level: summary.level,
    count: summary.count,
    userCount: summary.userCount,
    firstSeen: summary.firstSeen,
    lastSeen: summary.lastSeen,
    permalink: summary.permalink,
    project: summary.project,
    firstRelease: summary.firstRelease ?? summary.latestEvent?.release,
    environments: summary.latestEvent?.environment ? [summary.latestEvent.environment] : undefined,
    ...extra,
  };
}

export function latestEventFacts(summary: IncidentSummary, extra: Partial<LatestEventFacts> = {}): LatestEventFacts | undefined {
  const latest = summary.latestEvent;
  if (!latest) return undefined;
  return {
    eventId: latest.eventId,
    release: latest.release,
    environment: latest.environment,
    dateCreated: latest.dateCreated,
    exceptions: latest.exceptions,
    ...extra,
  };
}

/**
 * An incident of one event, from a saved event in either shape Sentry gives it (the web
 * API's event, or the raw event the SDK sends and the event page downloads): for triage
 * without access to Sentry. Throws, saying what is expected, when it holds no exception.
 */
export function incidentFromEvent(json: unknown, now = new Date()): IncidentSummary {
  const event = exceptionsFromEvent(json);
  const last = event.exceptions[event.exceptions.length - 1];
  if (!last) throw new Error('the event has no exception values');
  const raw = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const eventId = String(raw.eventID ?? raw.event_id ?? 'event');
  const id = String(raw.groupID ?? eventId);
  const when = event.date ?? now.toISOString();
  const environment = typeof raw.environment === 'string' ? raw.environment : undefined;
  return {
    id,
    shortId: id,
    title: event.title ?? `${last.type}: ${last.value}`,
    culprit: culpritFrame(last.frames)?.function ?? '',
    level: 'error',
    count: 1,
    userCount: 0,
    firstSeen: when,
    lastSeen: when,
    firstRelease: event.release,
    latestEvent: { eventId, release: event.release, environment, dateCreated: when, exceptions: event.exceptions },
  };
}
