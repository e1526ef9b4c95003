// Traces, transactions and logs over Sentry's documented web API, through the same HTTP
// layer as the issues (auth, 429/Retry-After, bounded retries, cursor pagination):
// - GET /organizations/{org}/trace/{trace_id}/          the whole trace as a span tree
// - GET /projects/{org}/{project}/events/{event_id}/    one (transaction) event
// - GET /organizations/{org}/events/?dataset=spans|logs  table rows, `Link` cursor pages
import { SentryApiError } from './errors';
import { nextCursor } from './link';
import type { SentryClient } from './client';

export type EventsDataset = 'spans' | 'logs' | 'errors' | 'transactions';

export interface EventsQuery {
  dataset: EventsDataset;
  fields: readonly string[];
  query?: string;
  sort?: string;
  /** e.g. `24h`, `14d`; ignored when start/end are given. */
  statsPeriod?: string;
  /** ISO times. */
  start?: string;
  end?: string;
  projects?: readonly string[];
  /** Most rows across pages. Default 1000. */
  limit?: number;
}

export interface EventsPage {
  rows: Record<string, unknown>[];
  pages: number;
  truncated: boolean;
}

/** Attributes asked for on every span of a trace: what the detectors and span → code read. */
export const TRACE_ATTRIBUTES: readonly string[] = [
  'webhook_id',
  'idempotency_key',
  'job_id',
  'message_id',
  'request_id',
  'attempt',
  'retry_count',
  'state_size_bytes',
  'payload_size_bytes',
  'http.response.status_code',
  'http.request.method',
  'url.full',
  'server.address',
  'db.system',
  'db.statement',
  'db.query.text',
  'code.function',
  'code.function.name',
  'code.filepath',
  'code.file.path',
  'code.lineno',
  'code.line.number',
  'code.namespace',
  'sentry.origin',
];

const MAX_PAGE = 100;

export function orgPath(client: SentryClient): string {
  return `/organizations/${encodeURIComponent(client.org)}`;
}

/** Whole-trace span tree; an unknown trace id is a notFound error that says so. */
export async function getTraceTree(
  client: SentryClient,
  traceId: string,
  options: { statsPeriod?: string; attributes?: readonly string[] } = {},
  signal?: AbortSignal,
): Promise<unknown[]> {
  if (!/^[0-9a-f]{32}$/i.test(traceId.replace(/-/g, '')))
    throw new SentryApiError('badRequest', `"${traceId}" is not a trace id (32 hexadecimal characters).`);
  const id = traceId.replace(/-/g, '').toLowerCase();
  const { data } = await client.http.getJson<unknown>(
    `${orgPath(client)}/trace/${id}/`,
    {
      project: -1,
      statsPeriod: options.statsPeriod ?? '14d',
      limit: 10_000,
      additional_attributes: options.attributes ?? TRACE_ATTRIBUTES,
    },
    signal,
  );
  if (!Array.isArray(data)) throw new SentryApiError('malformed', `Sentry's answer for trace ${id} was not a list of spans.`);
  if (!data.length)
    throw new SentryApiError(
      'notFound',
      `Trace ${id} was not found in organization "${client.org}" over the last ${options.statsPeriod ?? '14d'} (a wrong id, another organization, or not sampled).`,
      404,
    );
  return data;
}

/** One event by id, as the project events endpoint serves it (transactions included). */
export async function getProjectEvent(
  client: SentryClient,
  project: string,
  eventId: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const { data } = await client.http.getJson<Record<string, unknown>>(
    `/projects/${encodeURIComponent(client.org)}/${encodeURIComponent(project)}/events/${encodeURIComponent(eventId)}/`,
    {},
    signal,
  );
  if (!data || typeof data !== 'object') throw new SentryApiError('malformed', `Sentry's event ${eventId} is not an object.`);
  return data;
}

/** Rows of the organization events endpoint, following `Link` cursors up to the limit. */
export async function queryEvents(client: SentryClient, q: EventsQuery, signal?: AbortSignal): Promise<EventsPage> {
  const limit = Math.max(1, q.limit ?? 1000);
  const project = q.projects?.length ? await client.resolveProjectIds(q.projects, signal) : undefined;
  const rows: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const { data, headers } = await client.http.getJson<{ data?: unknown }>(
      `${orgPath(client)}/events/`,
      {
        dataset: q.dataset,
        field: q.fields,
        query: q.query || undefined,
        sort: q.sort,
        statsPeriod: q.start || q.end ? undefined : (q.statsPeriod ?? '14d'),
        start: q.start,
        end: q.end,
        project: project ?? undefined,
        per_page: Math.min(MAX_PAGE, limit - rows.length),
        cursor,
      },
      signal,
    );
    pages++;
    if (!data || !Array.isArray(data.data))
      throw new SentryApiError('malformed', `Sentry's answer for the ${q.dataset} query has no "data" rows.`);
    rows.push(...(data.data as Record<string, unknown>[]).slice(0, limit - rows.length));
    cursor = nextCursor(headers.get('link'));
    if (!cursor || data.data.length === 0) return { rows, pages, truncated: false };
    if (rows.length >= limit) return { rows, pages, truncated: true };
  }
}

export const LOG_FIELDS: readonly string[] = ['sentry.item_id', 'trace', 'severity', 'severity_number', 'timestamp', 'message'];

/** Sentry Logs rows for a query (Sentry's search syntax, e.g. `trace:ID` or `severity:error`). */
export function queryLogs(
  client: SentryClient,
  q: { query?: string; start?: string; end?: string; statsPeriod?: string; limit?: number; projects?: readonly string[] },
  signal?: AbortSignal,
): Promise<EventsPage> {
  return queryEvents(client, { dataset: 'logs', fields: LOG_FIELDS, sort: 'timestamp', ...q }, signal);
}
