// What the Incidents view shows, kept between refreshes: the last good list, why the last
// refresh failed (the list stays on screen, marked stale), the latest event of each
// incident once loaded, and each incident's first-seen release (it never changes, so it
// is fetched once per incident, not on every refresh).
import type { IncidentSummary } from '../model/incident';
import type { IssueQuery } from './client';
import { SentryApiError, type SentryErrorKind } from './errors';
import { withLatestEvent, type NormalisedEvent } from './normalize';
import type { ApiIssue } from './types';

/** The part of SentryClient the view needs (a fake-free seam: tests pass the real client). */
export interface IncidentsSource {
  listIncidents(q: IssueQuery, signal?: AbortSignal): Promise<{ incidents: IncidentSummary[]; truncated: boolean }>;
  getIssue(issueId: string, signal?: AbortSignal): Promise<ApiIssue>;
  latestEvent(issueId: string, signal?: AbortSignal): Promise<NormalisedEvent>;
}

export interface IncidentsData {
  incidents: IncidentSummary[];
  truncated: boolean;
  /** Epoch ms of the refresh that produced this list. */
  fetchedAt: number;
}

export interface RefreshFailure {
  kind: SentryErrorKind | 'unknown';
  message: string;
  at: number;
  /** The fix is a new token or a connection setting, not waiting. */
  needsConnect: boolean;
}

/** Issue details fetched per refresh, at most, for first-seen releases; the rest come on later refreshes. */
const RELEASE_LOOKUPS_PER_REFRESH = 25;
const RELEASE_LOOKUP_CONCURRENCY = 4;

export function describeFailure(err: unknown, at = Date.now()): RefreshFailure {
  if (err instanceof SentryApiError) {
    const needsConnect = err.kind === 'unauthorized' || err.kind === 'forbidden' || err.kind === 'notFound' || err.kind === 'badRequest';
    return { kind: err.kind, message: err.message, at, needsConnect };
  }
  return { kind: 'unknown', message: err instanceof Error ? err.message : String(err), at, needsConnect: false };
}

/** How far an incident moved between two refreshes: what a row shows as "+12 new". */
export interface IncidentGrowth {
  newEvents: number;
  newUsers: number;
  /** Epoch ms of the refresh the figures are counted from. */
  since: number;
}

export class IncidentsStore {
  data?: IncidentsData;
  failure?: RefreshFailure;
  /** Per incident id: growth since the previous good refresh (only incidents that grew). */
  readonly growth = new Map<string, IncidentGrowth>();
  private readonly events = new Map<string, { lastSeen: string; event: NormalisedEvent }>();
  private readonly firstReleases = new Map<string, string | null>();

  /** There is a list on screen, but the latest refresh failed. */
  get stale(): boolean {
    return this.data !== undefined && this.failure !== undefined;
  }

  /** Loads the list; on failure keeps the previous one and records why. Never throws. */
  async refresh(source: IncidentsSource, query: IssueQuery, signal?: AbortSignal, now: () => number = Date.now): Promise<boolean> {
    try {
      const { incidents, truncated } = await source.listIncidents(query, signal);
      await this.fillFirstReleases(source, incidents, signal);
      this.measureGrowth(incidents);
      this.data = { incidents, truncated, fetchedAt: now() };
      this.failure = undefined;
      return true;
    } catch (err) {
      this.failure = describeFailure(err, now());
      return false;
    }
  }

  /**
   * Compares counts with the previous good list. An incident keeps its last growth while a
   * refresh finds it unchanged, so "+12 new" stays until something moves again or it drops
   * out of the list; new incidents have no growth (the status bar announces them instead).
   */
  private measureGrowth(incidents: readonly IncidentSummary[]): void {
    const previous = this.data;
    if (!previous) return;
    const before = new Map(previous.incidents.map((i) => [i.id, i]));
    const listed = new Set(incidents.map((i) => i.id));
    for (const id of [...this.growth.keys()]) if (!listed.has(id)) this.growth.delete(id);
    for (const incident of incidents) {
      const old = before.get(incident.id);
      if (!old) continue;
      const newEvents = incident.count - old.count;
      if (newEvents > 0)
        this.growth.set(incident.id, { newEvents, newUsers: Math.max(0, incident.userCount - old.userCount), since: previous.fetchedAt });
    }
  }

  private async fillFirstReleases(source: IncidentsSource, incidents: IncidentSummary[], signal?: AbortSignal): Promise<void> {
    const unknown = incidents.filter((i) => !i.firstRelease && !this.firstReleases.has(i.id)).slice(0, RELEASE_LOOKUPS_PER_REFRESH);
    let next = 0;
    const worker = async () => {
      while (next < unknown.length) {
        const incident = unknown[next++];
        try {
          const details = await source.getIssue(incident.id, signal);
          this.firstReleases.set(incident.id, details.firstRelease?.version ?? null);
        } catch {
          // A missing first release only loses a detail of the row; the list itself is fine.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RELEASE_LOOKUP_CONCURRENCY, unknown.length) }, worker));
    for (const incident of incidents) {
      const release = this.firstReleases.get(incident.id);
      if (!incident.firstRelease && release) incident.firstRelease = release;
    }
  }

  incident(id: string): IncidentSummary | undefined {
    return this.data?.incidents.find((i) => i.id === id);
  }

  /** The latest event, reused while the incident's lastSeen has not moved. */
  async latestEvent(source: IncidentsSource, incident: IncidentSummary, signal?: AbortSignal): Promise<NormalisedEvent> {
    const cached = this.events.get(incident.id);
    if (cached && cached.lastSeen === incident.lastSeen) return cached.event;
    const event = await source.latestEvent(incident.id, signal);
    this.events.set(incident.id, { lastSeen: incident.lastSeen, event });
    return event;
  }

  cachedEvent(incident: IncidentSummary): NormalisedEvent | undefined {
    const cached = this.events.get(incident.id);
    return cached && cached.lastSeen === incident.lastSeen ? cached.event : undefined;
  }

  /** The incidents as other features see them, with the latest event where it is loaded. */
  summaries(): IncidentSummary[] {
    return (this.data?.incidents ?? []).map((i) => {
      const event = this.cachedEvent(i);
      return event ? withLatestEvent(i, event) : { ...i };
    });
  }

  /** After signing out: nothing from the old connection stays on screen. */
  clear(): void {
    this.data = undefined;
    this.failure = undefined;
    this.events.clear();
    this.firstReleases.clear();
    this.growth.clear();
  }
}

/** Incidents not seen at the user's last look at the view (for the status bar). */
export function newIncidentIds(incidents: readonly IncidentSummary[], seen: readonly string[]): string[] {
  const known = new Set(seen);
  return incidents.filter((i) => !known.has(i.id)).map((i) => i.id);
}
