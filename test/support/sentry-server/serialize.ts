// Renders the store in the shapes of Sentry's web API (camelCase; counts as strings;
// dates as ISO strings; frames with `context: [[lineNo, text], ...]`), field for field
// after the reference payloads in /work/shared/reference/sentry.
import type { Group, Project, Release, SdkEvent, SdkFrame, StoredEvent, Store } from './store';
import { mainException, messageText } from './store';

export function iso(d: Date): string {
  return d.toISOString();
}

export function eventTime(e: StoredEvent): Date {
  const t = e.event.timestamp;
  if (typeof t === 'number') return new Date(t * 1000);
  if (typeof t === 'string') return new Date(t);
  return e.received;
}

export function userKey(event: SdkEvent): string | undefined {
  const u = event.user;
  if (!u) return undefined;
  return u.id ?? u.email ?? u.username ?? u.ip_address;
}

export function serializeProject(p: Project) {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    platform: p.platform,
    dateCreated: '2026-01-01T00:00:00.000Z',
    isBookmarked: false,
    isMember: true,
    hasAccess: true,
    features: [],
    status: 'active',
  };
}

function releaseRef(r: Release) {
  return {
    version: r.version,
    shortVersion: r.version,
    ref: r.ref ?? null,
    url: r.url ?? null,
    dateReleased: r.dateReleased ?? null,
    dateCreated: iso(r.dateCreated),
  };
}

export function serializeCommit(c: Release['commits'][number], r: Release) {
  return {
    id: c.id,
    message: c.message ?? null,
    dateCreated: c.timestamp ?? null,
    pullRequest: null,
    suspectCommitType: '',
    author: c.author_name || c.author_email ? { name: c.author_name ?? null, email: c.author_email ?? null } : null,
    repository: c.repository ? { name: c.repository } : null,
    releases: [releaseRef(r)],
  };
}

export function serializeDeploy(d: Release['deploys'][number]) {
  return {
    id: d.id,
    environment: d.environment,
    name: d.name ?? null,
    url: d.url ?? null,
    dateStarted: d.dateStarted ?? null,
    dateFinished: d.dateFinished,
  };
}

export function serializeRelease(r: Release, store: Store) {
  const events = store.events
    .filter((e) => e.event.release === r.version)
    .map(eventTime)
    .sort((a, b) => a.getTime() - b.getTime());
  const lastCommit = r.commits[0];
  const lastDeploy = r.deploys[r.deploys.length - 1];
  return {
    id: [...store.releases.keys()].indexOf(r.version) + 1,
    version: r.version,
    status: 'open',
    shortVersion: r.version,
    versionInfo: { package: null, version: { raw: r.version }, description: r.version, buildHash: null },
    ref: r.ref ?? null,
    url: r.url ?? null,
    dateReleased: r.dateReleased ?? null,
    dateCreated: iso(r.dateCreated),
    data: {},
    newGroups: [...store.groups.values()].filter((g) => g.events[0]?.event.release === r.version).length,
    owner: null,
    commitCount: r.commits.length,
    lastCommit: lastCommit ? serializeCommit(lastCommit, r) : null,
    deployCount: r.deploys.length,
    lastDeploy: lastDeploy ? serializeDeploy(lastDeploy) : null,
    authors: [],
    projects: [...r.projects]
      .map((id) => store.projects.get(id))
      .filter((p): p is Project => !!p)
      .map((p) => ({
        id: Number(p.id),
        slug: p.slug,
        name: p.name,
        newGroups: 0,
        platform: p.platform,
        platforms: [p.platform],
        hasHealthData: false,
      })),
    firstEvent: events.length ? iso(events[0]) : null,
    lastEvent: events.length ? iso(events[events.length - 1]) : null,
    currentProjectMeta: {},
    userAgent: null,
  };
}

export interface GroupView {
  group: Group;
  /** The events that pass the request's environment filter. */
  events: StoredEvent[];
}

function hourlyStats(events: StoredEvent[], now: Date): [number, number][] {
  const hour = 3600;
  const end = Math.floor(now.getTime() / 1000 / hour) * hour;
  const buckets: [number, number][] = [];
  for (let t = end - 23 * hour; t <= end; t += hour) buckets.push([t, 0]);
  for (const e of events) {
    const t = Math.floor(eventTime(e).getTime() / 1000 / hour) * hour;
    const b = buckets.find(([s]) => s === t);
    if (b) b[1]++;
  }
  return buckets;
}

export function serializeIssue(view: GroupView, store: Store, baseUrl: string, org: string) {
  const { group, events } = view;
  const project = store.projects.get(group.projectId)!;
  const times = events.map(eventTime).sort((a, b) => a.getTime() - b.getTime());
  const users = new Set(events.map((e) => userKey(e.event)).filter((u): u is string => !!u));
  const f = group.culpritFrame;
  const title = group.value ? `${group.type}: ${group.value}`.slice(0, 200) : group.type;
  const unhandled = events.some((e) => mainException(e.event)?.mechanism?.handled === false);
  return {
    annotations: [],
    assignedTo: null,
    count: String(events.length),
    culprit: group.culprit,
    firstSeen: times.length ? iso(times[0]) : null,
    hasSeen: false,
    id: group.id,
    isBookmarked: false,
    isPublic: false,
    isSubscribed: false,
    lastSeen: times.length ? iso(times[times.length - 1]) : null,
    level: group.level,
    logger: null,
    metadata: { type: group.type, value: group.value, filename: f?.filename, function: f?.function, in_app_frame_mix: 'mixed', title },
    numComments: 0,
    permalink: `${baseUrl}/organizations/${org}/issues/${group.id}/`,
    project: { id: project.id, name: project.name, slug: project.slug, platform: project.platform },
    shareId: null,
    shortId: `${project.slug.toUpperCase()}-${group.shortNumber.toString(36).toUpperCase()}`,
    stats: { '24h': hourlyStats(events, new Date()) },
    status: group.status,
    substatus: group.status === 'unresolved' ? 'ongoing' : null,
    statusDetails: {},
    subscriptionDetails: null,
    title,
    type: 'error',
    userCount: users.size,
    isUnhandled: unhandled,
    issueCategory: 'error',
    issueType: 'error',
    platform: project.platform,
    priority: 'high',
    priorityLockedAt: null,
  };
}

export function serializeIssueDetails(view: GroupView, store: Store, baseUrl: string, org: string) {
  const base = serializeIssue(view, store, baseUrl, org);
  const sorted = [...view.events].sort((a, b) => eventTime(a).getTime() - eventTime(b).getTime());
  const firstRelease = sorted.find((e) => e.event.release)?.event.release;
  const lastRelease = [...sorted].reverse().find((e) => e.event.release)?.event.release;
  const ref = (v: string | undefined) => {
    const r = v ? store.releases.get(v) : undefined;
    return r ? releaseRef(r) : null;
  };
  return {
    ...base,
    activity: [{ id: '0', user: null, type: 'first_seen', data: {}, dateCreated: base.firstSeen }],
    seenBy: [],
    participants: [],
    pluginActions: [],
    pluginIssues: [],
    pluginContexts: [],
    userReportCount: 0,
    firstRelease: ref(firstRelease),
    lastRelease: ref(lastRelease),
    tags: [
      { key: 'environment', name: 'Environment', totalValues: view.events.length },
      { key: 'release', name: 'Release', totalValues: view.events.filter((e) => e.event.release).length },
    ],
  };
}

function serializeFrame(f: SdkFrame) {
  const context: [number, string][] = [];
  if (typeof f.lineno === 'number' && f.context_line !== undefined) {
    const pre = f.pre_context ?? [];
    pre.forEach((line, i) => context.push([f.lineno! - pre.length + i, line]));
    context.push([f.lineno, f.context_line]);
    (f.post_context ?? []).forEach((line, i) => context.push([f.lineno! + 1 + i, line]));
  }
  return {
    filename: f.filename ?? null,
    absPath: f.abs_path ?? null,
    module: f.module ?? null,
    package: null,
    platform: null,
    instructionAddr: null,
    symbolAddr: null,
    function: f.function ?? null,
    rawFunction: null,
    symbol: null,
    context,
    lineNo: f.lineno ?? null,
    colNo: f.colno ?? null,
    inApp: f.in_app ?? false,
    trust: null,
    errors: null,
    lock: null,
    sourceLink: null,
    vars: null,
  };
}

export function serializeEvent(stored: StoredEvent, group: Group, store: Store) {
  const e = stored.event;
  const tags: { key: string; value: string }[] = [];
  if (e.environment) tags.push({ key: 'environment', value: e.environment });
  tags.push({ key: 'level', value: e.level ?? 'error' });
  if (e.release) tags.push({ key: 'release', value: e.release });
  if (e.server_name) tags.push({ key: 'server_name', value: e.server_name });
  if (e.transaction) tags.push({ key: 'transaction', value: e.transaction });
  const handled = mainException(e)?.mechanism?.handled;
  if (handled !== undefined) tags.push({ key: 'handled', value: handled ? 'yes' : 'no' });
  for (const [key, value] of Object.entries(e.tags ?? {})) tags.push({ key, value: String(value) });
  const entries: { type: string; data: unknown }[] = [];
  const values = e.exception?.values ?? [];
  if (values.length) {
    entries.push({
      type: 'exception',
      data: {
        values: values.map((v) => ({
          type: v.type ?? null,
          value: v.value ?? null,
          mechanism: v.mechanism ? { type: v.mechanism.type ?? 'generic', handled: v.mechanism.handled ?? null } : null,
          threadId: null,
          module: v.module ?? null,
          stacktrace: v.stacktrace?.frames
            ? {
                frames: v.stacktrace.frames.map(serializeFrame),
                framesOmitted: null,
                registers: null,
                hasSystemFrames: v.stacktrace.frames.some((f) => !f.in_app),
              }
            : null,
          rawStacktrace: null,
        })),
        hasSystemFrames: true,
        excOmitted: null,
      },
    });
  }
  if (e.request?.url)
    entries.push({
      type: 'request',
      data: {
        method: e.request.method ?? null,
        url: e.request.url,
        query: [],
        fragment: null,
        data: null,
        headers: [],
        cookies: [],
        env: null,
        inferredContentType: null,
        apiTarget: null,
      },
    });
  const release = e.release ? store.releases.get(e.release) : undefined;
  const title = group.value ? `${group.type}: ${group.value}`.slice(0, 200) : group.type;
  const f = group.culpritFrame;
  return {
    id: e.event_id,
    eventID: e.event_id,
    groupID: group.id,
    projectID: stored.projectId,
    size: JSON.stringify(e).length,
    entries,
    dist: null,
    message: messageText(e),
    title,
    location: f?.filename ?? null,
    user: e.user
      ? {
          id: e.user.id ?? null,
          email: e.user.email ?? null,
          username: e.user.username ?? null,
          ip_address: e.user.ip_address ?? null,
          name: null,
          data: null,
        }
      : null,
    contexts: e.contexts ?? {},
    sdk: e.sdk ? { name: e.sdk.name, version: e.sdk.version } : null,
    context: {},
    packages: {},
    type: 'error',
    metadata: { type: group.type, value: group.value, filename: f?.filename, function: f?.function },
    tags,
    platform: e.platform ?? 'node',
    dateReceived: iso(stored.received),
    errors: [],
    occurrence: null,
    _meta: {},
    crashFile: null,
    culprit: group.culprit,
    dateCreated: iso(eventTime(stored)),
    fingerprints: [group.key],
    groupingConfig: { enhancements: '', id: 'local:exception-type+culprit' },
    release: release ? serializeRelease(release, store) : null,
    userReport: null,
    sdkUpdates: [],
    resolvedWith: [],
    nextEventID: null,
    previousEventID: null,
  };
}
