// A local Sentry-compatible server for tests and the demo, bound to 127.0.0.1:
// - ingest: POST /api/{projectId}/envelope/ (plain or gzip) from the real @sentry/node SDK;
// - REST (bearer token): the endpoints src/core/sentry reads, in Sentry's shapes, with
//   its Link-header cursor pagination and X-Sentry-Rate-Limit-* headers;
// - faults: inject 401/403/404/429/5xx, slow answers or malformed JSON for the next N calls.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeBody, parseEnvelope } from './envelope';
import { Store, type SdkEvent, type StoredEvent } from './store';
import {
  eventTime,
  serializeCommit,
  serializeDeploy,
  serializeEvent,
  serializeIssue,
  serializeIssueDetails,
  serializeProject,
  serializeRelease,
  type GroupView,
} from './serialize';
import { filterAndSort } from './search';
import { queryTelemetry, serializeTrace, serializeTransactionEvent, TelemetryStore } from './telemetry';

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: number; times?: number; path?: string }
  | { kind: 'slow'; delayMs: number; times?: number; path?: string }
  | { kind: 'malformed'; times?: number; path?: string };

export interface SentryServerOptions {
  port?: number;
  org?: string;
  token?: string;
  /** DSN public key the SDK must present. */
  publicKey?: string;
  projects?: { id: string; slug: string; name?: string; platform?: string }[];
  /** Requests per window for the X-Sentry-Rate-Limit-* headers (not enforced unless exceeded). */
  rateLimit?: { limit: number; windowSeconds: number };
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
}

export interface SentryServer {
  url: string;
  port: number;
  org: string;
  token: string;
  store: Store;
  /** Spans, transactions and logs the SDK sent. */
  telemetry: TelemetryStore;
  /** Waits until `ready()` holds (e.g. spans of a trace arrived), polling. */
  waitFor(ready: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** DSN for a project, to give to Sentry.init. */
  dsn(projectId: string): string;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** REST requests answered so far (never the Authorization header). */
  requests: RequestRecord[];
  /** Envelopes received, with the Content-Encoding each came with ('' for plain). */
  envelopes: { contentEncoding: string; bytes: number }[];
  waitForEvents(count: number, timeoutMs?: number): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' && headers['Content-Type'] === 'text/plain' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const NOT_FOUND = { detail: 'The requested resource does not exist' };

export async function startSentryServer(options: SentryServerOptions = {}): Promise<SentryServer> {
  const org = options.org ?? 'acme';
  const token = options.token ?? 'test-token';
  const publicKey = options.publicKey ?? 'publickey0123456789abcdef';
  const rate = options.rateLimit ?? { limit: 1000, windowSeconds: 60 };
  const store = new Store();
  const telemetry = new TelemetryStore();
  for (const p of options.projects ?? [{ id: '1', slug: 'checkout-api', name: 'checkout-api' }]) store.addProject(p);
  const faults: Fault[] = [];
  const requests: RequestRecord[] = [];
  const envelopes: SentryServer['envelopes'] = [];
  let windowStart = Math.floor(Date.now() / 1000);
  let windowCount = 0;
  let inFlight = 0;
  let baseUrl = '';

  function takeFault(path: string): Fault | undefined {
    const i = faults.findIndex((f) => !f.path || path.includes(f.path));
    if (i === -1) return undefined;
    const f = faults[i];
    const times = (f.times ?? 1) - 1;
    if (times <= 0) faults.splice(i, 1);
    else faults[i] = { ...f, times };
    return f;
  }

  function rateHeaders(): Record<string, string> {
    const now = Math.floor(Date.now() / 1000);
    if (now >= windowStart + rate.windowSeconds) {
      windowStart = now;
      windowCount = 0;
    }
    windowCount++;
    return {
      'X-Sentry-Rate-Limit-Limit': String(rate.limit),
      'X-Sentry-Rate-Limit-Remaining': String(Math.max(0, rate.limit - windowCount)),
      'X-Sentry-Rate-Limit-Reset': String(windowStart + rate.windowSeconds),
      'X-Sentry-Rate-Limit-ConcurrentLimit': '25',
      'X-Sentry-Rate-Limit-ConcurrentRemaining': String(Math.max(0, 25 - inFlight)),
    };
  }

  /** Sentry's cursor links: `<url&cursor=0:OFFSET:0>; rel="next"; results="true"; cursor="0:OFFSET:0"`. */
  function paginate<T>(url: URL, items: T[], headers: Record<string, string>): T[] {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
    const cursor = url.searchParams.get('cursor');
    const offset = cursor ? Number(cursor.split(':')[1]) || 0 : 0;
    const page = items.slice(offset, offset + limit);
    const link = (name: string, off: number, has: boolean) => {
      const u = new URL(`${baseUrl}${url.pathname}${url.search}`);
      u.searchParams.delete('cursor');
      const c = `0:${off}:${name === 'previous' ? 1 : 0}`;
      return `<${u.toString()}&cursor=${c}>; rel="${name}"; results="${has}"; cursor="${c}"`;
    };
    headers.Link = `${link('previous', Math.max(0, offset - limit), offset > 0)}, ${link('next', offset + limit, offset + limit < items.length)}`;
    headers['X-Hits'] = String(items.length);
    return page;
  }

  function groupViews(url: URL): GroupView[] {
    const projectIds = url.searchParams.getAll('project').filter((p) => p !== '-1');
    const environments = url.searchParams.getAll('environment');
    const views: GroupView[] = [];
    for (const group of store.groups.values()) {
      if (projectIds.length && !projectIds.includes(group.projectId)) continue;
      const events = environments.length ? group.events.filter((e) => environments.includes(e.event.environment ?? '')) : group.events;
      if (events.length) views.push({ group, events });
    }
    return views;
  }

  function latestOf(events: StoredEvent[], which: string): StoredEvent | undefined {
    const sorted = [...events].sort((a, b) => eventTime(a).getTime() - eventTime(b).getTime());
    return which === 'oldest'
      ? sorted[0]
      : which === 'latest' || which === 'recommended'
        ? sorted[sorted.length - 1]
        : events.find((e) => e.event.event_id === which);
  }

  async function rest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const record = (status: number) => requests.push({ method: req.method ?? 'GET', path, query: url.search, status });
    const fault = takeFault(path);
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      if (fault.status === 429) Object.assign(headers, rateHeaders(), { 'X-Sentry-Rate-Limit-Remaining': '0' });
      const defaults: Record<number, unknown> = {
        401: { detail: 'Invalid token' },
        403: { detail: 'You do not have permission to perform this action.' },
        404: NOT_FOUND,
        429: `You are attempting to use this endpoint too frequently. Limit is ${rate.limit} requests in ${rate.windowSeconds} seconds`,
      };
      record(fault.status);
      return send(res, fault.status, fault.body ?? defaults[fault.status] ?? { detail: 'Internal Error' }, headers);
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      record(401);
      return send(res, 401, { detail: req.headers.authorization ? 'Invalid token' : 'Authentication credentials were not provided.' });
    }
    const headers = rateHeaders();
    const ok = (body: unknown) => {
      record(200);
      if (fault?.kind === 'malformed') {
        res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body).slice(0, 40));
        return;
      }
      send(res, 200, body, headers);
    };
    const notFound = () => {
      record(404);
      send(res, 404, NOT_FOUND, headers);
    };
    const pm = path.match(/^\/api\/0\/projects\/([^/]+)\/([^/]+)\/events\/([^/]+)\/$/);
    if (pm) {
      if (decodeURIComponent(pm[1]) !== org || !store.projectBySlug(decodeURIComponent(pm[2]))) return notFound();
      const tx = serializeTransactionEvent(telemetry, store, decodeURIComponent(pm[3]));
      const err = tx ? undefined : store.events.find((e) => e.event.event_id === decodeURIComponent(pm[3]));
      return tx ? ok(tx) : err ? ok(serializeEvent(err, store.groups.get(err.groupId)!, store)) : notFound();
    }
    const m = path.match(/^\/api\/0\/organizations\/([^/]+)\/(.*)$/);
    if (!m || decodeURIComponent(m[1]) !== org) return notFound();
    const rest = m[2];
    let r: RegExpMatchArray | null;
    if (req.method === 'POST') return restPost(req, res, rest, headers, record);
    if (rest === 'projects/') return ok(paginate(url, [...store.projects.values()].map(serializeProject), headers));
    if (rest === 'issues/') {
      const views = filterAndSort(groupViews(url), url.searchParams);
      if (views === 'bad-sort') {
        record(400);
        return send(res, 400, { detail: `Invalid sort: ${url.searchParams.get('sort')}` }, headers);
      }
      return ok(paginate(url, views, headers).map((v) => serializeIssue(v, store, baseUrl, org)));
    }
    if ((r = rest.match(/^issues\/([^/]+)\/$/))) {
      const group = store.groups.get(decodeURIComponent(r[1]));
      return group ? ok(serializeIssueDetails({ group, events: group.events }, store, baseUrl, org)) : notFound();
    }
    if ((r = rest.match(/^issues\/([^/]+)\/events\/([^/]+)\/$/))) {
      const group = store.groups.get(decodeURIComponent(r[1]));
      const event = group && latestOf(group.events, decodeURIComponent(r[2]));
      return group && event ? ok(serializeEvent(event, group, store)) : notFound();
    }
    if ((r = rest.match(/^trace\/([0-9a-fA-F]{32})\/$/)))
      return ok(serializeTrace(telemetry, store, r[1].toLowerCase(), url.searchParams.getAll('additional_attributes')));
    if (rest === 'events/') {
      const answer = queryTelemetry(telemetry, store, url.searchParams);
      if ('error' in answer) {
        record(400);
        return send(res, 400, { detail: answer.error }, headers);
      }
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 50) || 50));
      const offset = Number(url.searchParams.get('cursor')?.split(':')[1] ?? 0) || 0;
      const u = new URL(`${baseUrl}${url.pathname}${url.search}`);
      u.searchParams.delete('cursor');
      const link = (name: string, off: number, has: boolean) =>
        `<${u.toString()}&cursor=0:${off}:${name === 'previous' ? 1 : 0}>; rel="${name}"; results="${has}"; cursor="0:${off}:${name === 'previous' ? 1 : 0}"`;
      headers.Link = `${link('previous', Math.max(0, offset - perPage), offset > 0)}, ${link('next', offset + perPage, offset + perPage < answer.rows.length)}`;
      return ok({ data: answer.rows.slice(offset, offset + perPage), meta: answer.meta });
    }
    if ((r = rest.match(/^releases\/([^/]+)\/(commits\/|deploys\/)?$/))) {
      const release = store.releases.get(decodeURIComponent(r[1]));
      if (!release) return notFound();
      if (r[2] === 'commits/')
        return ok(
          paginate(
            url,
            release.commits.map((c) => serializeCommit(c, release)),
            headers,
          ),
        );
      if (r[2] === 'deploys/') return ok(paginate(url, release.deploys.map(serializeDeploy), headers));
      return ok(serializeRelease(release, store));
    }
    return notFound();
  }

  /** Release and deploy creation, as sentry-cli and CI call them. */
  async function restPost(
    req: IncomingMessage,
    res: ServerResponse,
    rest: string,
    headers: Record<string, string>,
    record: (s: number) => void,
  ): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      record(400);
      return send(res, 400, { detail: 'Malformed JSON' }, headers);
    }
    let r: RegExpMatchArray | null;
    if (rest === 'releases/' && typeof body.version === 'string') {
      const release = store.ensureRelease(body.version);
      for (const slug of (body.projects as string[] | undefined) ?? []) {
        const p = store.projectBySlug(slug);
        if (p) release.projects.add(p.id);
      }
      if (Array.isArray(body.commits)) release.commits = body.commits as typeof release.commits;
      if (typeof body.dateReleased === 'string') release.dateReleased = body.dateReleased;
      if (typeof body.ref === 'string') release.ref = body.ref;
      if (typeof body.url === 'string') release.url = body.url;
      record(201);
      return send(res, 201, serializeRelease(release, store), headers);
    }
    if ((r = rest.match(/^releases\/([^/]+)\/deploys\/$/)) && typeof body.environment === 'string') {
      const deploy = store.addDeploy(decodeURIComponent(r[1]), body as { environment: string });
      record(201);
      return send(res, 201, serializeDeploy(deploy), headers);
    }
    record(400);
    return send(res, 400, { detail: 'Unsupported request' }, headers);
  }

  async function ingest(req: IncomingMessage, res: ServerResponse, url: URL, projectId: string): Promise<void> {
    if (!store.projects.has(projectId)) return send(res, 404, { detail: 'unknown project' });
    const auth = `${req.headers['x-sentry-auth'] ?? ''} ${url.search}`;
    if (!auth.includes(`sentry_key=${publicKey}`)) return send(res, 401, { detail: 'missing or wrong sentry_key' });
    const body = await readBody(req);
    envelopes.push({ contentEncoding: req.headers['content-encoding'] ?? '', bytes: body.length });
    const raw = decodeBody(body, req.headers['content-encoding']);
    const envelope = parseEnvelope(raw);
    const sdkName =
      typeof envelope.header.sdk === 'object' && envelope.header.sdk ? (envelope.header.sdk as { name?: string }).name : undefined;
    for (const item of envelope.items) {
      if (item.header.type === 'event') store.ingest(projectId, JSON.parse(item.payload.toString('utf8')) as SdkEvent);
      else if (['transaction', 'span', 'log'].includes(item.header.type))
        telemetry.ingestItem(projectId, item.header.type, JSON.parse(item.payload.toString('utf8')), sdkName);
    }
    send(res, 200, { id: envelope.header.event_id ?? null });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    inFlight++;
    res.on('close', () => inFlight--);
    const ingestMatch = url.pathname.match(/^\/api\/(\d+)\/envelope\/?$/);
    const handler =
      ingestMatch && req.method === 'POST'
        ? ingest(req, res, url, ingestMatch[1])
        : url.pathname.startsWith('/api/0/')
          ? rest(req, res, url)
          : Promise.resolve(send(res, 404, NOT_FOUND));
    handler.catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { detail: `local sentry server: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    org,
    token,
    store,
    telemetry,
    async waitFor(ready, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ready()) {
        if (Date.now() > deadline) throw new Error(`local sentry server: waited ${timeoutMs} ms for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    requests,
    envelopes,
    dsn: (projectId) => `http://${publicKey}@127.0.0.1:${port}/${projectId}`,
    inject: (fault) => faults.push(fault),
    clearFaults: () => faults.splice(0),
    async waitForEvents(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (store.events.length < count) {
        if (Date.now() > deadline)
          throw new Error(`local sentry server: expected ${count} events, got ${store.events.length} in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return store.events;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
