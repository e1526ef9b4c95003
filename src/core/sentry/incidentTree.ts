// The Incidents tree as plain data: which nodes exist (projects → incidents → latest
// event → exceptions → frames, plus a pasted trace and notices) and how each one reads
// (label, description, Markdown tooltip, codicon). The VS Code tree provider only maps
// these onto TreeItems, so everything a person reads here is unit-tested.
import { culpritFrame, type ExceptionInfo, type StackFrame } from '../model/frame';
import type { IncidentSummary } from '../model/incident';
import { counted, formatCount, relativeTime } from '../stack/format';
import type { NormalisedEvent } from './normalize';
import type { IncidentGrowth, IncidentsStore } from './incidentsStore';

/** What `forensics.openFrame` receives beside the frame. */
export interface FrameContext {
  title: string;
  eventCount?: number;
  message?: string;
  release?: string;
  firstSeen?: string;
  incident?: IncidentSummary;
}

export type NoticeAction = 'connect' | 'refresh';

export type IncidentNode =
  | { kind: 'project'; project: string; incidents: IncidentSummary[]; growth?: ReadonlyMap<string, IncidentGrowth> }
  | { kind: 'incident'; incident: IncidentSummary; growth?: IncidentGrowth }
  | { kind: 'event'; incident: IncidentSummary; event: NormalisedEvent }
  | { kind: 'trace'; title: string; exceptions: ExceptionInfo[] }
  | {
      kind: 'exception';
      owner: string;
      index: number;
      exception: ExceptionInfo;
      raised: boolean;
      culprit?: StackFrame;
      context: FrameContext;
    }
  | { kind: 'frame'; owner: string; index: number; frame: StackFrame; isCulprit: boolean; context: FrameContext }
  | { kind: 'notice'; text: string; detail?: string; severity: 'error' | 'info'; action?: NoticeAction };

export interface NodeView {
  id?: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon?: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** For `view/item/context` menus (`viewItem == …`). */
  contextValue?: string;
}

const LEVEL_ICONS: Record<string, { id: string; color: string }> = {
  fatal: { id: 'flame', color: 'errorForeground' },
  error: { id: 'error', color: 'errorForeground' },
  warning: { id: 'warning', color: 'editorWarning.foreground' },
  info: { id: 'info', color: 'editorInfo.foreground' },
  debug: { id: 'debug', color: 'descriptionForeground' },
};

export function levelIcon(level: string): { id: string; color: string } {
  return LEVEL_ICONS[level] ?? { id: 'circle-outline', color: 'descriptionForeground' };
}

/** Escapes text so Markdown shows it literally (titles and code come from the outside world). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

function basename(path: string): string {
  return path.replace(/\\/g, '/').split('/').pop() ?? path;
}

/** Top-level nodes: a shown trace, then either the projects or a notice saying why there are none. */
export function rootNodes(store: IncidentsStore, trace?: { title: string; exceptions: ExceptionInfo[] }): IncidentNode[] {
  const out: IncidentNode[] = [];
  if (trace) out.push({ kind: 'trace', ...trace });
  const { data, failure } = store;
  if (!data) {
    if (failure)
      out.push({
        kind: 'notice',
        severity: 'error',
        text: 'Could not load incidents',
        detail: failure.message,
        action: failure.needsConnect ? 'connect' : 'refresh',
      });
    return out;
  }
  if (!data.incidents.length) {
    out.push({
      kind: 'notice',
      severity: 'info',
      text: 'No incidents match the filters',
      detail: 'Change the environment, query or sort from the view title bar.',
    });
    return out;
  }
  const byProject = new Map<string, IncidentSummary[]>();
  for (const incident of data.incidents) {
    const key = incident.project ?? '(no project)';
    byProject.set(key, [...(byProject.get(key) ?? []), incident]);
  }
  for (const [project, incidents] of byProject) out.push({ kind: 'project', project, incidents, growth: store.growth });
  return out;
}

export function frameContextOf(incident: IncidentSummary, event?: NormalisedEvent): FrameContext {
  const context: FrameContext = { title: incident.title, eventCount: incident.count, firstSeen: incident.firstSeen, incident };
  const message = event?.exceptions.at(-1)?.value ?? event?.message;
  if (message) context.message = message;
  const release = event?.release ?? incident.firstRelease;
  if (release) context.release = release;
  return context;
}

/** Exceptions as a runtime prints them: the raised one first (Sentry stores the cause first). */
export function exceptionNodes(owner: string, exceptions: readonly ExceptionInfo[], context: FrameContext): IncidentNode[] {
  const nodes: IncidentNode[] = exceptions.map((exception, index) => ({
    kind: 'exception',
    owner,
    index,
    exception,
    raised: index === exceptions.length - 1,
    culprit: exception.frames.length ? culpritFrame(exception.frames) : undefined,
    context,
  }));
  return nodes.reverse();
}

/** Children that need no network; an incident's children (its latest event) are loaded by the caller. */
export function childNodes(node: IncidentNode): IncidentNode[] {
  switch (node.kind) {
    case 'project':
      return node.incidents.map((incident) => ({ kind: 'incident', incident, growth: node.growth?.get(incident.id) }));
    case 'event':
      if (!node.event.exceptions.length) {
        // A captured message, or an event whose exception Sentry dropped: say so rather than show nothing.
        return [
          { kind: 'notice', severity: 'info', text: 'No exception in the latest event', detail: node.event.message ?? node.event.title },
        ];
      }
      return exceptionNodes(`event:${node.incident.id}`, node.event.exceptions, frameContextOf(node.incident, node.event));
    case 'trace':
      return exceptionNodes('trace', node.exceptions, { title: node.title, message: node.exceptions.at(-1)?.value });
    case 'exception':
      // Most recent call first, as Sentry's issue page and a runtime's trace show it.
      return node.exception.frames
        .map((frame, index) => ({
          kind: 'frame' as const,
          owner: `${node.owner}:${node.index}`,
          index,
          frame,
          isCulprit: frame === node.culprit,
          context: node.context,
        }))
        .reverse();
    default:
      return [];
  }
}

function incidentTooltip(i: IncidentSummary, now: number, growth?: IncidentGrowth): string {
  const when = (iso: string) => `${escapeMarkdown(iso)} (${relativeTime(iso, now)})`;
  const rows: [string, string][] = [
    ['Level', escapeMarkdown(i.level)],
    ['Events', formatCount(i.count)],
    ['Users', formatCount(i.userCount)],
    ['First seen', when(i.firstSeen)],
    ['Last seen', when(i.lastSeen)],
    ['First release', i.firstRelease ? escapeMarkdown(i.firstRelease) : 'unknown'],
  ];
  if (growth)
    rows.splice(3, 0, [
      'Since the previous refresh',
      `+${counted(growth.newEvents, 'event')}, +${counted(growth.newUsers, 'user')} (${relativeTime(new Date(growth.since).toISOString(), now)})`,
    ]);
  if (i.project) rows.push(['Project', escapeMarkdown(i.project)]);
  const lines = [
    `**${escapeMarkdown(i.title)}**`,
    '',
    `\`${i.shortId.replace(/`/g, '')}\`${i.culprit ? ` in ${escapeMarkdown(i.culprit)}` : ''}`,
    '',
    '| | |',
    '|---|---|',
  ];
  for (const [k, v] of rows) lines.push(`| ${k} | ${v} |`);
  if (i.permalink) lines.push('', `[Open in Sentry](${encodeURI(i.permalink)})`);
  return lines.join('\n');
}

function frameTooltip(f: StackFrame, isCulprit: boolean): string {
  const where = f.absPath ?? f.filename ?? 'unknown file';
  const pos = f.lineNo !== undefined ? `:${f.lineNo}${f.colNo !== undefined ? `:${f.colNo}` : ''}` : '';
  const lines = [
    `**${escapeMarkdown(f.function ?? '<anonymous>')}**${isCulprit ? ' (culprit: innermost frame of the application)' : f.inApp === false ? ' (library)' : ''}`,
    '',
    `${escapeMarkdown(where)}${pos}`,
  ];
  if (f.contextLine !== undefined) {
    const code = [...(f.preContext ?? []), f.contextLine, ...(f.postContext ?? [])].join('\n');
    // A fence longer than any backtick run in the code, so the code cannot close it.
    const fence = '`'.repeat(Math.max(3, ...[...code.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    lines.push('', `${fence}\n${code}\n${fence}`);
  }
  return lines.join('\n');
}

export function viewOf(node: IncidentNode, now: number = Date.now()): NodeView {
  switch (node.kind) {
    case 'project':
      return {
        id: `project:${node.project}`,
        label: node.project,
        description: counted(node.incidents.length, 'incident'),
        icon: { id: 'project' },
        collapsible: 'expanded',
        contextValue: 'forensics.sentryProject',
      };
    case 'incident': {
      const i = node.incident;
      const moved = node.growth ? `+${formatCount(node.growth.newEvents)} new` : undefined;
      // A narrow sidebar cuts the end: the counts that say how bad it is come first, the
      // culprit (also in the tooltip and the stack below) last.
      const parts = [
        moved,
        counted(i.count, 'event'),
        counted(i.userCount, 'user'),
        relativeTime(i.lastSeen, now),
        i.firstRelease,
        i.culprit,
      ];
      return {
        id: `incident:${i.id}`,
        label: i.title,
        description: parts.filter(Boolean).join(' · '),
        tooltip: incidentTooltip(i, now, node.growth),
        icon: levelIcon(i.level),
        collapsible: 'collapsed',
        contextValue: i.permalink ? 'forensics.sentryIncident.linked' : 'forensics.sentryIncident',
      };
    }
    case 'event': {
      const e = node.event;
      const parts = [e.release, e.environment, e.dateCreated ? relativeTime(e.dateCreated, now) : undefined];
      const tooltip = [
        `**Latest event** \`${e.eventId.replace(/`/g, '')}\``,
        '',
        ...Object.entries(e.tags).map(([k, v]) => `- ${escapeMarkdown(k)}: ${escapeMarkdown(v)}`),
      ].join('\n');
      return {
        id: `event:${node.incident.id}`,
        label: 'Latest event',
        description: parts.filter(Boolean).join(' · '),
        tooltip,
        icon: { id: 'pulse' },
        collapsible: 'expanded',
      };
    }
    case 'trace':
      return {
        id: 'trace',
        label: node.title,
        description: 'trace',
        icon: { id: 'debug-stackframe' },
        collapsible: 'expanded',
        tooltip: `**${escapeMarkdown(node.title)}**\n\nA stack trace shown from outside Sentry.`,
      };
    case 'exception': {
      const e = node.exception;
      const handled = e.mechanism?.handled === false ? ' · unhandled' : '';
      return {
        id: `${node.owner}:${node.index}`,
        label: e.value ? `${e.type}: ${e.value}` : e.type,
        description: `${counted(e.frames.length, 'frame')}${handled}${node.raised ? '' : ' · cause'}`,
        tooltip: `**${escapeMarkdown(e.type)}**\n\n${escapeMarkdown(e.value)}${e.mechanism?.type ? `\n\nmechanism: ${escapeMarkdown(e.mechanism.type)}` : ''}`,
        icon: { id: 'symbol-event', color: node.raised ? 'errorForeground' : undefined },
        collapsible: node.raised ? 'expanded' : 'collapsed',
      };
    }
    case 'frame': {
      const f = node.frame;
      const file = f.filename ?? f.absPath;
      const pos = f.lineNo !== undefined ? `:${f.lineNo}${f.colNo !== undefined ? `:${f.colNo}` : ''}` : '';
      return {
        id: `${node.owner}:${node.index}`,
        label: f.function ?? '<anonymous>',
        description: file ? `${basename(file)}${pos}` : pos.slice(1),
        tooltip: frameTooltip(f, node.isCulprit),
        icon: node.isCulprit
          ? { id: 'debug-stackframe-focused', color: 'errorForeground' }
          : f.inApp === false
            ? { id: 'library' }
            : { id: 'debug-stackframe' },
        collapsible: 'none',
        contextValue: 'forensics.sentryFrame',
      };
    }
    case 'notice':
      return {
        label: node.text,
        description: node.detail,
        tooltip: node.detail ? `**${escapeMarkdown(node.text)}**\n\n${escapeMarkdown(node.detail)}` : undefined,
        icon: node.severity === 'error' ? { id: 'error', color: 'errorForeground' } : { id: 'info' },
        collapsible: 'none',
      };
  }
}

/** The view's message line: when the list is stale, since when and why; when it is cut at the limit, that. */
export function viewMessage(store: IncidentsStore, now: number = Date.now()): string | undefined {
  const { data, failure } = store;
  if (data && failure) {
    return `Stale: showing incidents from ${relativeTime(new Date(data.fetchedAt).toISOString(), now)}. Refresh failed: ${failure.message}`;
  }
  if (data?.truncated) return `Showing the first ${data.incidents.length} incidents (raise forensics.sentry.limit for more).`;
  return undefined;
}
