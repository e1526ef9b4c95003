// The local server's memory: events as the SDK sent them, grouped into issues the way
// this project's brief asks (exception type + culprit frame), and releases with their
// commits and deploys. The serialisers at the bottom render Sentry's web API shapes
// (see /work/shared/reference/sentry) from that memory.

/** An SDK frame (snake_case, as in the event payload). */
export interface SdkFrame {
  filename?: string;
  abs_path?: string;
  module?: string;
  function?: string;
  lineno?: number;
  colno?: number;
  in_app?: boolean;
  pre_context?: string[];
  context_line?: string;
  post_context?: string[];
}

export interface SdkException {
  type?: string;
  value?: string;
  module?: string;
  mechanism?: { type?: string; handled?: boolean };
  stacktrace?: { frames?: SdkFrame[] };
}

export interface SdkEvent {
  event_id: string;
  timestamp?: number | string;
  platform?: string;
  level?: string;
  release?: string;
  environment?: string;
  server_name?: string;
  message?: string | { formatted?: string; message?: string };
  transaction?: string;
  exception?: { values?: SdkException[] };
  user?: { id?: string; email?: string; username?: string; ip_address?: string };
  tags?: Record<string, string | number | boolean>;
  contexts?: Record<string, unknown>;
  sdk?: { name?: string; version?: string };
  request?: { url?: string; method?: string };
}

export interface StoredEvent {
  projectId: string;
  groupId: string;
  event: SdkEvent;
  received: Date;
}

export interface Project {
  id: string;
  slug: string;
  name: string;
  platform: string;
}

export interface Group {
  id: string;
  projectId: string;
  shortNumber: number;
  key: string;
  type: string;
  value: string;
  culprit: string;
  culpritFrame?: SdkFrame;
  level: string;
  status: 'unresolved' | 'resolved';
  events: StoredEvent[];
}

export interface ReleaseCommit {
  id: string;
  message?: string;
  timestamp?: string;
  author_name?: string;
  author_email?: string;
  repository?: string;
}

export interface Deploy {
  id: string;
  environment: string;
  name?: string;
  url?: string;
  dateStarted?: string;
  dateFinished: string;
}

export interface Release {
  version: string;
  dateCreated: Date;
  dateReleased?: string;
  ref?: string;
  url?: string;
  projects: Set<string>;
  commits: ReleaseCommit[];
  deploys: Deploy[];
}

function innermostInApp(frames: SdkFrame[]): SdkFrame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].in_app) return frames[i];
  return frames[frames.length - 1];
}

/** The exception that was raised: the last of the chain (Sentry lists causes first). */
export function mainException(event: SdkEvent): SdkException | undefined {
  const values = event.exception?.values ?? [];
  return values[values.length - 1];
}

export function messageText(event: SdkEvent): string {
  if (typeof event.message === 'string') return event.message;
  return event.message?.formatted ?? event.message?.message ?? '';
}

export class Store {
  readonly projects = new Map<string, Project>();
  readonly groups = new Map<string, Group>();
  readonly releases = new Map<string, Release>();
  readonly events: StoredEvent[] = [];
  private nextGroupId = 4_500_000_001;
  private readonly shortCounters = new Map<string, number>();
  private nextDeployId = 1;

  addProject(p: { id: string; slug: string; name?: string; platform?: string }): Project {
    const project = { id: p.id, slug: p.slug, name: p.name ?? p.slug, platform: p.platform ?? 'node' };
    this.projects.set(project.id, project);
    return project;
  }

  projectBySlug(slug: string): Project | undefined {
    return [...this.projects.values()].find((p) => p.slug === slug);
  }

  ingest(projectId: string, event: SdkEvent, received = new Date()): StoredEvent {
    const exc = mainException(event);
    const frames = exc?.stacktrace?.frames ?? [];
    const culpritFrame = innermostInApp(frames);
    const type = exc?.type ?? 'Error';
    const value = exc?.value ?? messageText(event);
    const where = culpritFrame
      ? `${culpritFrame.module ?? culpritFrame.filename ?? '?'}|${culpritFrame.function ?? '?'}`
      : messageText(event);
    const key = `${projectId}|${type}|${where}`;
    let group = [...this.groups.values()].find((g) => g.key === key);
    if (!group) {
      const n = (this.shortCounters.get(projectId) ?? 0) + 1;
      this.shortCounters.set(projectId, n);
      const fn = culpritFrame?.function ?? '?';
      const mod = culpritFrame?.module ?? culpritFrame?.filename ?? '?';
      group = {
        id: String(this.nextGroupId++),
        projectId,
        shortNumber: n,
        key,
        type,
        value,
        culprit: culpritFrame ? `${fn}(${mod})` : (event.transaction ?? ''),
        culpritFrame,
        level: event.level ?? 'error',
        status: 'unresolved',
        events: [],
      };
      this.groups.set(group.id, group);
    }
    const stored: StoredEvent = { projectId, groupId: group.id, event, received };
    group.events.push(stored);
    this.events.push(stored);
    if (event.release) {
      const release = this.ensureRelease(event.release, received);
      release.projects.add(projectId);
    }
    return stored;
  }

  ensureRelease(version: string, when = new Date()): Release {
    let r = this.releases.get(version);
    if (!r) {
      r = { version, dateCreated: when, projects: new Set(), commits: [], deploys: [] };
      this.releases.set(version, r);
    }
    return r;
  }

  addDeploy(version: string, d: { environment: string; name?: string; url?: string; dateStarted?: string; dateFinished?: string }): Deploy {
    const release = this.ensureRelease(version);
    const deploy: Deploy = {
      id: String(this.nextDeployId++),
      environment: d.environment,
      name: d.name,
      url: d.url,
      dateStarted: d.dateStarted,
      dateFinished: d.dateFinished ?? new Date().toISOString(),
    };
    release.deploys.push(deploy);
    return deploy;
  }
}
