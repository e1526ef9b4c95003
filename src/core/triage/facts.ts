// From the incident as the incidents feature knows it (IncidentSummary) to the facts the
// investigation reasons about.
import type { IncidentSummary } from '../model/incident';
import type { IncidentFacts, LatestEventFacts } from './evidence';

export function incidentFacts(summary: IncidentSummary, extra: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    id: summary.id, shortId: summary.shortId, title: summary.title, culprit: summary.culprit, level: summary.level,
    count: summary.count, userCount: summary.userCount, firstSeen: summary.firstSeen, lastSeen: summary.lastSeen,
    permalink: summary.permalink, project: summary.project,
    firstRelease: summary.firstRelease ?? summary.latestEvent?.release,
    environments: summary.latestEvent?.environment ? [summary.latestEvent.environment] : undefined,
    ...extra,
  };
}

export function latestEventFacts(summary: IncidentSummary, extra: Partial<LatestEventFacts> = {}): LatestEventFacts | undefined {
  const latest = summary.latestEvent;
  if (!latest) return undefined;
  return { eventId: latest.eventId, release: latest.release, environment: latest.environment, dateCreated: latest.dateCreated, exceptions: latest.exceptions, ...extra };
}
