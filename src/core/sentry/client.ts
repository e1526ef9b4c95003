// The Sentry REST client the extension and the CLI share: organization issues with
// cursor pagination up to a limit, an issue's details and latest (or recommended) event,
// and what Sentry knows about a release (date, commits, deploys) for git correlation.
import { SentryApiError } from './errors';
import { SentryHttp, type SentryHttpOptions } from './http';
import { nextCursor } from './link';
import { issueToSummary, normaliseEvent, type NormalisedEvent } from './normalize';
import type { ApiCommit, ApiDeploy, ApiEvent, ApiIssue, ApiProject, ApiRelease } from './types';
import type { IncidentSummary } from '../model/incident';

export type IssueSort = 'date' | 'new' | 'freq' | 'user' | 'trends' | 'inbox';
export const ISSUE_SORTS: readonly IssueSort[] = ['date', 'new', 'freq', 'user', 'trends', 'inbox'];

export interface IssueQuery {
  /** Project slugs; resolved to the numeric ids the org issues endpoint takes. Empty: all projects. */
  projects?: readonly string[];
  environment?: string;
  /** Sentry search syntax; Sentry's own default is `is:unresolved`, and so is ours. */
  query?: string;
  statsPeriod?: string;
  sort?: IssueSort;
  /** Most issues to return across pages. Default 25. */
  limit?: number;
  /** Issues per request (Sentry caps it at 100). Default min(limit, 100). */
  pageSize?: number;
}

export interface IssuePage {
  issues: ApiIssue[];
  /** Requests made, one per page. */
  pages: number;
  /** More issues exist beyond the limit. */
  truncated: boolean;
}

export interface ReleaseDetails {
  version: string;
  shortVersion?: string;
  dateCreated?: string;
  dateReleased?: string;
  ref?: string;
  url?: string;
  firstEvent?: string;
  lastEvent?: string;
  commitCount?: number;
  lastCommit?: CommitInfo;
  commits: CommitInfo[];
  deploys: DeployInfo[];
}

export interface CommitInfo {
  id: string;
  message?: string;
  dateCreated?: string;
  authorName?: string;
  authorEmail?: string;
  repository?: string;
}

export interface DeployInfo {
  id: string;
  environment: string;
  name?: string;
  dateStarted?: string;
  dateFinished?: string;
}

export interface SentryClientOptions extends SentryHttpOptions {
  org: string;
}

const MAX_PAGE = 100;

function commitInfo(c: ApiCommit): CommitInfo {
  const out: CommitInfo = { id: c.id };
  if (c.message) out.message = c.message;
  if (c.dateCreated) out.dateCreated = c.dateCreated;
  if (c.author?.name) out.authorName = c.author.name;
  if (c.author?.email) out.authorEmail = c.author.email;
  if (c.repository?.name) out.repository = c.repository.name;
  return out;
}

function deployInfo(d: ApiDeploy): DeployInfo {
  const out: DeployInfo = { id: String(d.id), environment: d.environment };
  if (d.name) out.name = d.name;
  if (d.dateStarted) out.dateStarted = d.dateStarted;
  if (d.dateFinished) out.dateFinished = d.dateFinished;
  return out;
}

export class SentryClient {
  readonly http: SentryHttp;
  readonly org: string;
  private projectIds?: Map<string, string>;

  constructor(options: SentryClientOptions) {
    if (!options.org?.trim())
      throw new SentryApiError('badRequest', 'No Sentry organization slug configured (forensics.sentry.organization).');
    this.http = new SentryHttp(options);
    this.org = options.org.trim();
  }

  private get orgPath(): string {
    return `/organizations/${encodeURIComponent(this.org)}`;
  }

  /** Follows `Link: rel="next"; results="true"` until `limit` items or the last page. */
  private async paginate<T>(
    path: string,
    query: Record<string, string | number | readonly (string | number)[] | undefined>,
    limit: number,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<{ items: T[]; pages: number; truncated: boolean }> {
    const items: T[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const want = Math.min(pageSize, limit - items.length, MAX_PAGE);
      const { data, headers } = await this.http.getJson<T[]>(path, { ...query, limit: want, cursor }, signal);
      pages++;
      if (!Array.isArray(data)) throw new SentryApiError('malformed', `Sentry's answer for ${path} was not a list.`);
      items.push(...data.slice(0, limit - items.length));
      cursor = nextCursor(headers.get('link'));
      if (!cursor) return { items, pages, truncated: false };
      if (items.length >= limit) return { items, pages, truncated: true };
      if (data.length === 0) return { items, pages, truncated: false };
    }
  }

  async listProjects(signal?: AbortSignal): Promise<ApiProject[]> {
    const { items } = await this.paginate<ApiProject>(`${this.orgPath}/projects/`, {}, 1000, MAX_PAGE, signal);
    return items;
  }

  /** Project slugs -> ids (the org issues endpoint filters by id); unknown slugs are an error that names them. */
  async resolveProjectIds(slugs: readonly string[], signal?: AbortSignal): Promise<string[]> {
    if (!slugs.length) return [];
    if (!this.projectIds || slugs.some((s) => !this.projectIds!.has(s))) {
      this.projectIds = new Map((await this.listProjects(signal)).map((p) => [p.slug, String(p.id)]));
    }
    const missing = slugs.filter((s) => !this.projectIds!.has(s));
    if (missing.length) {
      throw new SentryApiError(
        'notFound',
        `Organization "${this.org}" has no project ${missing.map((m) => `"${m}"`).join(', ')} that this token can see. Known: ${[...this.projectIds.keys()].join(', ') || 'none'}.`,
        404,
      );
    }
    return slugs.map((s) => this.projectIds!.get(s)!);
  }

  async listIssues(q: IssueQuery = {}, signal?: AbortSignal): Promise<IssuePage> {
    const limit = Math.max(1, q.limit ?? 25);
    const project = await this.resolveProjectIds(q.projects ?? [], signal);
    const { items, pages, truncated } = await this.paginate<ApiIssue>(
      `${this.orgPath}/issues/`,
      {
        project: project.length ? project : undefined,
        environment: q.environment || undefined,
        query: q.query ?? 'is:unresolved',
        statsPeriod: q.statsPeriod,
        sort: q.sort,
      },
      limit,
      q.pageSize ?? Math.min(limit, MAX_PAGE),
      signal,
    );
    return { issues: items, pages, truncated };
  }

  async listIncidents(q: IssueQuery = {}, signal?: AbortSignal): Promise<{ incidents: IncidentSummary[]; truncated: boolean }> {
    const page = await this.listIssues(q, signal);
    return { incidents: page.issues.map(issueToSummary), truncated: page.truncated };
  }

  async getIssue(issueId: string, signal?: AbortSignal): Promise<ApiIssue> {
    return (await this.http.getJson<ApiIssue>(`${this.orgPath}/issues/${encodeURIComponent(issueId)}/`, {}, signal)).data;
  }

  /** `latest`, `oldest` or `recommended` (Sentry's pick of the most helpful event). */
  async getIssueEvent(issueId: string, which: 'latest' | 'oldest' | 'recommended' = 'latest', signal?: AbortSignal): Promise<ApiEvent> {
    const { data } = await this.http.getJson<ApiEvent>(
      `${this.orgPath}/issues/${encodeURIComponent(issueId)}/events/${which}/`,
      {},
      signal,
    );
    if (!data || typeof data !== 'object' || !Array.isArray((data as ApiEvent).entries)) {
      throw new SentryApiError('malformed', `Sentry's event for issue ${issueId} has no entries.`);
    }
    return data;
  }

  async latestEvent(issueId: string, signal?: AbortSignal): Promise<NormalisedEvent> {
    return normaliseEvent(await this.getIssueEvent(issueId, 'latest', signal));
  }

  async getRelease(version: string, signal?: AbortSignal): Promise<ApiRelease> {
    return (await this.http.getJson<ApiRelease>(`${this.orgPath}/releases/${encodeURIComponent(version)}/`, {}, signal)).data;
  }

  /** The release, its commits and deploys. Commits and deploys are optional extras: a token without release scopes still gets the release. */
  async releaseDetails(version: string, signal?: AbortSignal): Promise<ReleaseDetails> {
    const release = await this.getRelease(version, signal);
    const base = `${this.orgPath}/releases/${encodeURIComponent(version)}`;
    const optional = async <T>(path: string): Promise<T[]> => {
      try {
        return (await this.paginate<T>(path, {}, 250, MAX_PAGE, signal)).items;
      } catch (err) {
        if (err instanceof SentryApiError && (err.kind === 'notFound' || err.kind === 'forbidden')) return [];
        throw err;
      }
    };
    const [commits, deploys] = await Promise.all([optional<ApiCommit>(`${base}/commits/`), optional<ApiDeploy>(`${base}/deploys/`)]);
    const out: ReleaseDetails = { version: release.version, commits: commits.map(commitInfo), deploys: deploys.map(deployInfo) };
    const copy = <K extends keyof ReleaseDetails>(key: K, value: ReleaseDetails[K] | null | undefined) => {
      if (value != null) out[key] = value;
    };
    copy('shortVersion', release.shortVersion);
    copy('dateCreated', release.dateCreated);
    copy('dateReleased', release.dateReleased);
    copy('ref', release.ref);
    copy('url', release.url);
    copy('firstEvent', release.firstEvent);
    copy('lastEvent', release.lastEvent);
    copy('commitCount', release.commitCount);
    if (release.lastCommit) out.lastCommit = commitInfo(release.lastCommit);
    return out;
  }
}
