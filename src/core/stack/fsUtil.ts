// Small file-system questions asked often enough to deserve a name, and the one answer to
// "may the tool read this file?": only when it really lies inside a workspace folder.
// Paths come from events, traces, path maps and source maps, which anyone who can send an
// event controls, so every such path is checked here before it is read or opened.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { isCaseSensitiveDirectory } from './workspaceIndex';

export function existsAsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Whether `path` is `dir` or below it, by path text alone (no file-system access). */
export function isPathInside(dir: string, path: string, caseSensitive = true): boolean {
  const a = normalize(dir);
  const b = normalize(path);
  // relative() handles trailing separators and tells `/ws-evil` from `/ws/…`.
  const rel = caseSensitive ? relative(a, b) : relative(a.toLowerCase(), b.toLowerCase());
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

export type Containment =
  | {
      readonly ok: true;
      /** The candidate, normalised, as the workspace names it (links not followed). */
      readonly file: string;
      /** Where it really is. */
      readonly realPath: string;
      /** The workspace folder (as given) that holds it. */
      readonly root: string;
    }
  | {
      readonly ok: false;
      /** `outside`: refused, never read; `missing`: nothing there inside the workspace. */
      readonly kind: 'outside' | 'missing';
      /** Set when the path is inside but a symbolic link in it leads out. */
      readonly throughLink?: true;
      readonly reason: string;
    };

interface RealRoot {
  readonly given: string;
  readonly real?: string;
  readonly caseSensitive: boolean;
}

const realRoots = new Map<string, RealRoot>();

function realRoot(given: string): RealRoot {
  const hit = realRoots.get(given);
  if (hit?.real) return hit;
  let real: string | undefined;
  try {
    real = realpathSync.native(given);
  } catch {
    real = undefined; // A folder that does not exist holds nothing.
  }
  const root = { given, real, caseSensitive: real ? isCaseSensitiveDirectory(real) : true };
  if (real) realRoots.set(given, root);
  return root;
}

/**
 * The file `candidate` names, if it is inside one of `roots` both by its path and after
 * every symbolic link in it (and in the roots) is followed with realpath. The path test
 * comes first and needs no file-system access, so a refusal of `../../etc/shadow` says
 * nothing about whether that file exists.
 */
export function resolveInsideWorkspace(roots: readonly string[], candidate: string): Containment {
  const refused: Containment = { ok: false, kind: 'outside', reason: 'resolves outside the workspace folders' };
  if (!isAbsolute(candidate)) return refused;
  const file = normalize(candidate);
  const known = roots.filter((r) => isAbsolute(r)).map(realRoot);
  const lexical = known.find(
    (r) => isPathInside(r.given, file, r.caseSensitive) || (r.real !== undefined && isPathInside(r.real, file, r.caseSensitive)),
  );
  if (!lexical) return refused;
  let realPath: string;
  try {
    realPath = realpathSync.native(file);
  } catch {
    return { ok: false, kind: 'missing', reason: 'no such file in the workspace' };
  }
  const holder = known.find((r) => r.real !== undefined && isPathInside(r.real, realPath, r.caseSensitive));
  if (!holder)
    return { ok: false, kind: 'outside', throughLink: true, reason: 'leads through a symbolic link out of the workspace folders' };
  // A path given under a folder's real location is named under the folder as the user opened it.
  const named =
    isPathInside(lexical.given, file, lexical.caseSensitive) || lexical.real === undefined
      ? file
      : join(lexical.given, relative(lexical.real, file));
  return { ok: true, file: named, realPath, root: holder.given };
}
