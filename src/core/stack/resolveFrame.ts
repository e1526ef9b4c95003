// One frame all the way to a place in the workspace: path → file, build output → original
// source, and where the failing line is now if the file changed since the crash. Every
// file it names is inside the workspace folders (resolveInsideWorkspace), whatever the
// frame, the path maps or the source map said.
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { StackFrame } from '../model/frame';
import { locateFailingLine, contextAt, type DriftResult } from './lineDrift';
import { resolveFramePath, type PathResolveContext, type ResolvedVia } from './pathResolve';
import { mapToOriginal, type OriginalPosition } from './sourceMaps';
import { existsAsFile, resolveInsideWorkspace } from './fsUtil';
import type { WorkspaceIndex } from './workspaceIndex';

export interface FrameResolution {
  readonly frame: StackFrame;
  readonly status: 'resolved' | 'unresolved';
  /** Why it could not be resolved, or what to be careful about. */
  readonly reason?: string;
  /** A path (the frame's or its source map's) led outside the workspace and was not followed. */
  readonly refused?: true;
  readonly file?: string;
  /** 1-based, in `file` as it is now. */
  readonly line?: number;
  readonly column?: number;
  readonly via?: ResolvedVia;
  readonly matchedSegments?: number;
  readonly alsoMatched?: readonly string[];
  /** The build output the runtime ran, when a source map led to `file`. */
  readonly generated?: { readonly file: string; readonly line: number; readonly column: number; readonly map: string };
  readonly drift?: DriftResult;
}

export interface ResolveFrameContext extends PathResolveContext {
  /** The file's text in the release that crashed (from git), used when the frame has no context lines. */
  readonly textAtRelease?: (file: string) => Promise<string | undefined>;
}

const COMPILED = /\.(c|m)?js$/i;

type OriginalFile = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly reason: string; readonly refused?: true };

/** The original source a source map names, as a file inside the workspace, or why not. */
function originalInWorkspace(position: OriginalPosition, roots: readonly string[], index: WorkspaceIndex | undefined): OriginalFile {
  if (position.escapesSourceRoot) {
    return { ok: false, refused: true, reason: `the source map names ${position.file}, above its own sourceRoot; not opened` };
  }
  // A source of another scheme (webpack://…) names no place on disk: only the index can find it.
  const named = isAbsolute(position.file) ? resolveInsideWorkspace(roots, position.file) : undefined;
  if (named?.ok && existsAsFile(named.file)) return { ok: true, file: named.file };
  // Maps built elsewhere (CI) name paths that are not here: find the same file by suffix.
  // The index holds only workspace files and the outside path itself is never touched.
  const match = index?.lookup(position.file);
  const found = match && resolveInsideWorkspace(roots, match.file);
  if (found?.ok && existsAsFile(found.file)) return { ok: true, file: found.file };
  if (named && !named.ok && named.kind === 'outside') {
    return { ok: false, refused: true, reason: `the source map points to ${position.file}, which ${named.reason}; not opened` };
  }
  return { ok: false, reason: `the source map points to ${position.file}, which is not in the workspace` };
}

export async function resolveFrame(frame: StackFrame, ctx: ResolveFrameContext): Promise<FrameResolution> {
  const path = resolveFramePath(frame, ctx);
  if (!path.ok) return { frame, status: 'unresolved', reason: path.reason, ...(path.refused ? { refused: true as const } : {}) };
  const base = { frame, status: 'resolved' as const, via: path.via, matchedSegments: path.matchedSegments, alsoMatched: path.alsoMatched };
  const line = frame.lineNo;
  const column = frame.colNo ?? 1;
  if (line === undefined) return { ...base, file: path.file, reason: 'the frame has no line number' };

  if (COMPILED.test(path.file)) {
    const roots = ctx.folders.map((f) => f.path);
    const mapped = mapToOriginal(path.file, line, column, roots);
    if (mapped.kind === 'mapped') {
      const generated = { file: path.file, line, column, map: mapped.position.map };
      const original = originalInWorkspace(mapped.position, roots, ctx.index);
      if (!original.ok)
        return { ...base, file: path.file, line, column, reason: original.reason, ...(original.refused ? { refused: true as const } : {}) };
      return { ...base, file: original.file, line: mapped.position.line, column: mapped.position.column, generated };
    }
    if (mapped.kind === 'error') return { ...base, file: path.file, line, column, reason: mapped.reason };
  }

  let drift: DriftResult | undefined;
  let current: string | undefined;
  try {
    current = readFileSync(path.file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== undefined) {
    if (frame.contextLine !== undefined) drift = locateFailingLine(current, line, frame);
    else if (ctx.textAtRelease) {
      const then = await ctx.textAtRelease(path.file);
      if (then !== undefined) drift = locateFailingLine(current, line, contextAt(then, line));
    }
  }
  return { ...base, file: path.file, line: drift?.line ?? line, column, drift };
}
