// One frame all the way to a place in the workspace: path → file, build output → original
// source, and where the failing line is now if the file changed since the crash.
import { readFileSync } from 'node:fs';
import type { StackFrame } from '../model/frame';
import { locateFailingLine, contextAt, type DriftResult } from './lineDrift';
import { resolveFramePath, type PathResolveContext, type ResolvedVia } from './pathResolve';
import { mapToOriginal } from './sourceMaps';
import { existsAsFile } from './fsUtil';

export interface FrameResolution {
  readonly frame: StackFrame;
  readonly status: 'resolved' | 'unresolved';
  /** Why it could not be resolved, or what to be careful about. */
  readonly reason?: string;
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

export async function resolveFrame(frame: StackFrame, ctx: ResolveFrameContext): Promise<FrameResolution> {
  const path = resolveFramePath(frame, ctx);
  if (!path.ok) return { frame, status: 'unresolved', reason: path.reason };
  const base = { frame, status: 'resolved' as const, via: path.via, matchedSegments: path.matchedSegments, alsoMatched: path.alsoMatched };
  const line = frame.lineNo;
  const column = frame.colNo ?? 1;
  if (line === undefined) return { ...base, file: path.file, reason: 'the frame has no line number' };

  if (COMPILED.test(path.file)) {
    const mapped = mapToOriginal(path.file, line, column);
    if (mapped.kind === 'mapped') {
      const generated = { file: path.file, line, column, map: mapped.position.map };
      let original = mapped.position.file;
      if (!existsAsFile(original) && ctx.index) original = ctx.index.lookup(original)?.file ?? original;
      if (!existsAsFile(original)) {
        return { ...base, file: path.file, line, column, reason: `the source map points to ${mapped.position.file}, which is not in the workspace` };
      }
      return { ...base, file: original, line: mapped.position.line, column: mapped.position.column, generated };
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
