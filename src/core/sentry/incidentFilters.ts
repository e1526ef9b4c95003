// The Incidents view's filters (environment, search query, sort): the settings give the
// defaults, and what the user picks from the view's title bar is remembered per
// workspace on top of them. Plain data, so the remembered state can be stored as JSON.
import { ISSUE_SORTS, type IssueQuery, type IssueSort } from './client';
import type { SentrySettings } from './settings';

export interface IncidentFilters {
  /** Empty: every environment. */
  environment: string;
  /** Sentry search syntax; empty: every issue. */
  query: string;
  sort: IssueSort;
}

/** What the user chose in the title bar; an absent field falls back to the setting. */
export interface RememberedFilters {
  environment?: string;
  query?: string;
  sort?: IssueSort;
}

export const SORT_LABELS: Record<IssueSort, string> = {
  date: 'Last seen',
  new: 'First seen',
  freq: 'Events',
  user: 'Users',
  trends: 'Trends',
  inbox: 'Date added',
};

export function isIssueSort(value: unknown): value is IssueSort {
  return typeof value === 'string' && (ISSUE_SORTS as readonly string[]).includes(value);
}

/** Drops anything malformed in what was stored (an older version, a hand edit). */
export function sanitiseRemembered(raw: unknown): RememberedFilters {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: RememberedFilters = {};
  if (typeof r.environment === 'string') out.environment = r.environment.trim();
  if (typeof r.query === 'string') out.query = r.query.trim();
  if (isIssueSort(r.sort)) out.sort = r.sort;
  return out;
}

export function effectiveFilters(settings: Pick<SentrySettings, 'environment' | 'query'>, remembered: RememberedFilters): IncidentFilters {
  return {
    environment: remembered.environment ?? settings.environment,
    query: remembered.query ?? settings.query,
    sort: remembered.sort ?? 'date',
  };
}

/** The client query for these filters and settings. */
export function issueQuery(settings: Pick<SentrySettings, 'projects' | 'limit'>, filters: IncidentFilters): IssueQuery {
  return {
    projects: settings.projects,
    environment: filters.environment || undefined,
    query: filters.query,
    sort: filters.sort,
    limit: settings.limit,
  };
}

/** "production · is:unresolved · by last seen", for the view's description. */
export function describeFilters(filters: IncidentFilters): string {
  return [filters.environment || 'all environments', filters.query || 'all issues', `by ${SORT_LABELS[filters.sort].toLowerCase()}`].join(
    ' · ',
  );
}

/** A new remembered state with one filter changed. */
export function withFilter<K extends keyof RememberedFilters>(
  remembered: RememberedFilters,
  key: K,
  value: NonNullable<RememberedFilters[K]>,
): RememberedFilters {
  return { ...remembered, [key]: value };
}
