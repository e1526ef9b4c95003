// Which functions of a file appear in incidents, for a CodeLens over each:
// "2 incidents · 1,204 events · last 5 minutes ago". Every in-app frame of an incident's
// latest event counts once per incident; frames resolve to files like any other frame.
import type { IncidentSummary } from '../model/incident';
import { formatCount, relativeTime } from './format';
import { resolveFramePath, type PathResolveContext } from './pathResolve';

export interface FunctionInIncidents {
  /** Absolute path of the file. */
  readonly file: string;
  /** The function's name as the frame gave it, without receiver (`Object.reserveStock` → `reserveStock`). */
  readonly name: string;
  /** 1-based line of a frame in it (the lens goes on the function's declaration, found from here). */
  readonly frameLine: number;
  readonly incidents: readonly IncidentSummary[];
  readonly events: number;
  /** Newest lastSeen of those incidents, ISO. */
  readonly lastSeen: string;
}

/** `Object.reserveStock`, `async reserveStock`, `new Store`, `Module.boom` → the bare name; `?` → undefined. */
export function bareFunctionName(name: string | undefined): string | undefined {
  if (!name || name === '?' || name === '<anonymous>') return undefined;
  const last = name
    .replace(/^(async|new)\s+/, '')
    .replace(/\s*\[as [^\]]+\]$/, '')
    .split('.')
    .pop();
  return last && /^[\w$]+$/.test(last) ? last : undefined;
}

/** Every function that appears in the incidents' in-app frames, grouped by file and name. */
export function functionsInIncidents(incidents: readonly IncidentSummary[], ctx: PathResolveContext): FunctionInIncidents[] {
  const byKey = new Map<string, { file: string; name: string; frameLine: number; incidents: Map<string, IncidentSummary> }>();
  for (const incident of incidents) {
    for (const exception of incident.latestEvent?.exceptions ?? []) {
      for (const frame of exception.frames) {
        const name = bareFunctionName(frame.function);
        if (!frame.inApp || !name || frame.lineNo === undefined) continue;
        const path = resolveFramePath(frame, ctx);
        if (!path.ok) continue;
        const key = `${path.file}\0${name}`;
        const entry = byKey.get(key) ?? { file: path.file, name, frameLine: frame.lineNo, incidents: new Map() };
        entry.incidents.set(incident.id, incident);
        byKey.set(key, entry);
      }
    }
  }
  return [...byKey.values()].map((e) => {
    const list = [...e.incidents.values()];
    return {
      file: e.file,
      name: e.name,
      frameLine: e.frameLine,
      incidents: list,
      events: list.reduce((n, i) => n + i.count, 0),
      lastSeen:
        list
          .map((i) => i.lastSeen)
          .sort()
          .at(-1) ?? '',
    };
  });
}

/** "2 incidents · 1,204 events · last 5 minutes ago" */
export function lensTitle(f: Pick<FunctionInIncidents, 'incidents' | 'events' | 'lastSeen'>, now = Date.now()): string {
  const n = f.incidents.length;
  return `${n} incident${n === 1 ? '' : 's'} · ${formatCount(f.events)} event${f.events === 1 ? '' : 's'} · last ${relativeTime(f.lastSeen, now)}`;
}

const declarationOf = (name: string) =>
  new RegExp(
    `(function\\*?\\s+${name}\\s*[(<]|\\b${name}\\s*[:=]\\s*(async\\s+)?(function\\b|\\(|[\\w$]+\\s*=>)|^\\s*(static\\s+|async\\s+|public\\s+|private\\s+|protected\\s+)*\\*?${name}\\s*\\([^)]*\\)\\s*(:[^{;]*)?\\{)`,
  );

/**
 * The 1-based line declaring `name` nearest above `frameLine` (the frame's line may have
 * moved a little since); the first declaration anywhere when none is above; else undefined.
 */
export function findFunctionLine(text: string, name: string, frameLine: number): number | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const decl = declarationOf(name.replace(/\$/g, '\\$'));
  for (let i = Math.min(frameLine, lines.length) - 1; i >= 0; i--) if (decl.test(lines[i])) return i + 1;
  const anywhere = lines.findIndex((l) => decl.test(l));
  return anywhere >= 0 ? anywhere + 1 : undefined;
}
