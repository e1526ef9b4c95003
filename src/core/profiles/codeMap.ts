// Call frames of a profile to places in the workspace, through the stack resolver (path
// maps, the workspace index, source maps): the same answer a crash frame at that position
// would get. V8's call frames are 0-based and name where the *function* starts; position
// ticks name 1-based lines inside it. Results are cached per position: a big profile
// repeats the same few hundred functions across millions of samples.
import { readFileSync } from 'node:fs';
import { normalize, sep } from 'node:path';
import { resolveFrame, type ResolveFrameContext } from '../stack/resolveFrame';

export interface CodeLocation {
  /** Absolute path in the workspace (the original source when a source map led there). */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  /** The text of that line, trimmed, when the file could be read. */
  text?: string;
  /** The build output V8 ran, when a source map was followed. */
  generated?: { file: string; line: number };
}

export interface CodeMapper {
  /** `line`/`column` 1-based. Undefined for runtime internals and code outside the workspace. */
  locate(url: string, line: number, column: number): Promise<CodeLocation | undefined>;
}

function inside(folders: readonly { path: string }[], file: string): boolean {
  const f = normalize(file);
  return folders.some((w) => {
    const root = normalize(w.path).replace(/[\\/]+$/, '');
    return f.startsWith(root + sep);
  });
}

export function codeMapper(ctx: ResolveFrameContext): CodeMapper {
  const cache = new Map<string, Promise<CodeLocation | undefined>>();
  const lines = new Map<string, string[] | undefined>();
  const lineText = (file: string, line: number): string | undefined => {
    // Input data names the file: never read one outside the workspace.
    if (!inside(ctx.folders, file)) return undefined;
    if (!lines.has(file)) {
      try {
        lines.set(file, readFileSync(file, 'utf8').split(/\r?\n/));
      } catch {
        lines.set(file, undefined);
      }
    }
    return lines.get(file)?.[line - 1]?.trim();
  };
  const resolve = async (url: string, line: number, column: number): Promise<CodeLocation | undefined> => {
    if (!url || url.startsWith('node:') || url.startsWith('internal/')) return undefined;
    const r = await resolveFrame({ absPath: url, lineNo: line, colNo: column }, ctx);
    if (r.status !== 'resolved' || r.file === undefined || r.line === undefined) return undefined;
    if (ctx.folders.length > 0 && !inside(ctx.folders, r.file)) return undefined;
    return {
      file: r.file,
      line: r.line,
      column: r.column ?? column,
      text: lineText(r.file, r.line),
      generated: r.generated ? { file: r.generated.file, line: r.generated.line } : undefined,
    };
  };
  return {
    locate(url, line, column) {
      const key = `${url}\n${line}\n${column}`;
      let hit = cache.get(key);
      if (!hit) cache.set(key, (hit = resolve(url, line, column).catch(() => undefined)));
      return hit;
    },
  };
}

/** The first `a.b(` call on a line of code: what a builtin's time on that line is spent in (`JSON.parse`). */
export function callOnLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /(?:^|[^\w$.])((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*)\s*\(/.exec(text);
  return m?.[1];
}
