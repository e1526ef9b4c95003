// From the path a runtime reported to a file in the workspace. Tried in order: the
// user's path mappings (`/app/` → `${workspaceFolder}/`), Sentry's URL-ish prefixes
// (`app:///`, `webpack://`, `file://`), the path as is, dependencies under
// `node_modules/`, then the best suffix match in the workspace index. Every candidate must
// really lie inside a workspace folder (resolveInsideWorkspace): the path comes from
// whoever sent the event, and `..` or a symbolic link must not take the tool elsewhere.
import { isAbsolute, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackFrame } from '../model/frame';
import { pathSegments, type WorkspaceIndex } from './workspaceIndex';
import { existsAsFile, resolveInsideWorkspace } from './fsUtil';

export interface PathMapping {
  /** Prefix as the runtime reports it, e.g. `/app/`. */
  readonly from: string;
  /** Replacement, may use `${workspaceFolder}` or `${workspaceFolder:name}`. */
  readonly to: string;
}

export interface WorkspaceFolderRef {
  readonly name: string;
  readonly path: string;
}

export type ResolvedVia = 'path-mapping' | 'absolute' | 'node_modules' | 'suffix';

export type PathResolution =
  | {
      readonly ok: true;
      readonly file: string;
      readonly via: ResolvedVia;
      readonly matchedSegments?: number;
      readonly alsoMatched?: readonly string[];
    }
  /** `refused`: the path leads outside the workspace folders, so it was not read. */
  | { readonly ok: false; readonly reason: string; readonly refused?: true };

export interface PathResolveContext {
  readonly index?: WorkspaceIndex;
  readonly folders: readonly WorkspaceFolderRef[];
  readonly mappings?: readonly PathMapping[];
  /** Defaults to "is an existing regular file". */
  readonly isFile?: (path: string) => boolean;
}

/** Reads `forensics.pathMappings` in either form: `{ "/app/": "${workspaceFolder}/" }` or `[{ from, to }]`. */
export function parsePathMappings(raw: unknown): PathMapping[] {
  if (Array.isArray(raw)) {
    return raw.filter((m): m is PathMapping => !!m && typeof m.from === 'string' && typeof m.to === 'string' && m.from !== '');
  }
  if (raw && typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '')
      .map(([from, to]) => ({ from, to }));
  }
  return [];
}

/** Parses CLI `FROM=TO` pairs. */
export function parseMappingArgs(pairs: readonly string[]): PathMapping[] {
  return pairs.map((p) => {
    const at = p.indexOf('=');
    if (at <= 0) throw new Error(`path mapping "${p}" must look like FROM=TO, e.g. /app/=./`);
    return { from: p.slice(0, at), to: p.slice(at + 1) };
  });
}

export function substituteWorkspaceFolder(text: string, folders: readonly WorkspaceFolderRef[]): string | undefined {
  let missing = false;
  const out = text.replace(/\$\{workspaceFolder(?::([^}]+))?\}/g, (_m, name: string | undefined) => {
    const folder = name ? folders.find((f) => f.name === name) : folders[0];
    if (!folder) missing = true;
    return folder?.path ?? '';
  });
  return missing ? undefined : out;
}

const NOT_A_FILE = /^(node:|internal\/|<|native$|index \d+$|\[)/;

/** The path with Sentry's and bundlers' URL prefixes removed: `app:///src/x.js` → `src/x.js`. */
export function stripPathPrefixes(path: string): string {
  if (path.startsWith('file://')) {
    try {
      return fileURLToPath(path);
    } catch {
      return decodeURI(path.slice('file://'.length));
    }
  }
  const app = /^app:\/\/\/?(.*)$/.exec(path);
  if (app) return app[1];
  // webpack:///./src/x.js, webpack://my-project/./src/x.js, webpack:////usr/src/app/x.js
  const webpack = /^webpack:\/\/[^/]*\/(.*)$/.exec(path);
  if (webpack) return webpack[1].replace(/^\.\//, '').replace(/^~\//, 'node_modules/');
  return path;
}

export function resolveFramePath(frame: StackFrame, ctx: PathResolveContext): PathResolution {
  const reported = frame.absPath ?? frame.filename;
  if (!reported) return { ok: false, reason: 'the frame has no file path' };
  if (NOT_A_FILE.test(reported)) return { ok: false, reason: `${reported} is part of the Node.js runtime, not a file in the workspace` };
  const evalSite = /^eval at .*?\((.+)\)/.exec(reported);
  if (evalSite) return { ok: false, reason: `the code ran inside eval(); the eval was called at ${evalSite[1]}` };
  const isFile = ctx.isFile ?? existsAsFile;
  const roots = ctx.folders.map((f) => f.path);
  // A container path such as /app/src/x.js is outside the workspace as a matter of course;
  // a path that climbs with `..`, a path map's result, or a symbolic link that leads out is
  // what the user must hear about when nothing else finds the file.
  const climbs = pathSegments(reported).includes('..');
  let refusal: string | undefined;
  const inside = (candidate: string, mapped = false): string | undefined => {
    const c = resolveInsideWorkspace(roots, candidate);
    if (c.ok) return isFile(c.file) ? c.file : undefined;
    if (c.kind === 'outside' && (climbs || mapped || c.throughLink)) refusal ??= `the frame path ${reported} ${c.reason}; not opened`;
    return undefined;
  };
  const notFound = (reason: string): PathResolution => (refusal ? { ok: false, reason: refusal, refused: true } : { ok: false, reason });
  const slashed = reported.replace(/\\/g, '/');

  for (const m of ctx.mappings ?? []) {
    const from = m.from.replace(/\\/g, '/');
    if (!slashed.startsWith(from)) continue;
    const to = substituteWorkspaceFolder(m.to, ctx.folders);
    if (to === undefined) continue;
    const base = isAbsolute(to) ? to : join(ctx.folders[0]?.path ?? '.', to);
    const file = inside(normalize(join(base, slashed.slice(from.length))), true);
    if (file) return { ok: true, file, via: 'path-mapping' };
  }

  const stripped = stripPathPrefixes(reported);
  if (isAbsolute(stripped)) {
    const file = inside(stripped);
    if (file) return { ok: true, file, via: 'absolute' };
  }

  const segments = pathSegments(stripped);
  const nm = segments.lastIndexOf('node_modules');
  if (nm >= 0) {
    for (const f of ctx.folders) {
      const file = inside(join(f.path, ...segments.slice(nm)));
      if (file) return { ok: true, file, via: 'node_modules' };
    }
    return notFound(`${segments.slice(nm).join('/')} is a dependency that is not installed in the workspace`);
  }

  if (!isAbsolute(stripped) && !/^[A-Za-z]:/.test(stripped)) {
    for (const f of ctx.folders) {
      const file = inside(join(f.path, stripped));
      if (file) return { ok: true, file, via: 'absolute' };
    }
  }

  if (!ctx.index) return notFound(`${reported} is not in the workspace (no index to search)`);
  const match = ctx.index.lookup(stripped);
  if (!match) return notFound(`no file named ${segments[segments.length - 1] ?? reported} in the workspace`);
  // The index may have been filled by a search that follows links (VS Code's findFiles).
  const file = inside(match.file);
  if (!file) return notFound(`no file named ${segments[segments.length - 1] ?? reported} in the workspace`);
  const alsoMatched = match.alsoMatched.filter((f) => resolveInsideWorkspace(roots, f).ok);
  return { ok: true, file, via: 'suffix', matchedSegments: match.matchedSegments, alsoMatched };
}
