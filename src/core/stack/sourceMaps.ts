// Build outputs back to their sources: the file's last `sourceMappingURL` comment
// (a `data:` URL or a file beside it, or `<file>.map` when the comment was left out), read with @jridgewell/trace-mapping.
// A map is read only from inside the workspace folders, and a source that climbs above the
// map's own `sourceRoot` is flagged: both are named by files anyone could have shipped.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsAsFile, isPathInside, resolveInsideWorkspace } from './fsUtil';
import { TraceMap, originalPositionFor, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND } from '@jridgewell/trace-mapping';

export interface OriginalPosition {
  /** Absolute path of the original source. */
  readonly file: string;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly name?: string;
  /** Where the map came from: `inline` or the map file's path. */
  readonly map: string;
  /** Set when the map declares a `sourceRoot` and this source names a place above it. */
  readonly escapesSourceRoot?: true;
}

export type SourceMapResult =
  | { readonly kind: 'mapped'; readonly position: OriginalPosition }
  | { readonly kind: 'no-map' }
  | { readonly kind: 'error'; readonly reason: string };

const SOURCE_MAPPING_URL = /\/[/*][#@]\s*sourceMappingURL=([^\s*'"]+)\s*(?:\*\/)?\s*$/;

/** The last `sourceMappingURL` in the file's tail (the comment is always at the end). */
export function findSourceMappingUrl(code: string): string | undefined {
  const lines = code.slice(-100_000).split('\n');
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 20; i--) {
    const m = SOURCE_MAPPING_URL.exec(lines[i].trim());
    if (m) return m[1];
  }
  return undefined;
}

interface LoadedMap {
  readonly map: TraceMap;
  readonly origin: string;
  /** The folder the map's `sourceRoot` names, when it names one on this disk. */
  readonly sourceRootDir?: string;
}

function sourceRootDir(map: TraceMap, mapUrl: string): string | undefined {
  if (!map.sourceRoot) return undefined;
  try {
    const url = new URL(map.sourceRoot.endsWith('/') ? map.sourceRoot : `${map.sourceRoot}/`, mapUrl);
    return url.protocol === 'file:' ? fileURLToPath(url) : undefined;
  } catch {
    return undefined;
  }
}

function readMapFile(mapPath: string, roots: readonly string[]): string {
  const inside = resolveInsideWorkspace(roots, mapPath);
  if (!inside.ok && inside.kind === 'outside') throw new Error(`the map file ${inside.reason}; not read`);
  return readFileSync(mapPath, 'utf8');
}

function traced(json: string, mapUrl: string, origin: string): LoadedMap {
  const map = new TraceMap(json, mapUrl);
  return { map, origin, sourceRootDir: sourceRootDir(map, mapUrl) };
}

const cache = new Map<string, { mtimeMs: number; loaded: LoadedMap | null }>();

function loadMap(file: string, roots: readonly string[]): LoadedMap | null {
  const mtimeMs = statSync(file).mtimeMs;
  const hit = cache.get(`${roots.join('\0')}\0${file}`);
  if (hit && hit.mtimeMs === mtimeMs) return hit.loaded;
  // Builds with "hidden" maps (esbuild's `external`) leave out the comment but keep `x.js.map` beside the file.
  const url = findSourceMappingUrl(readFileSync(file, 'utf8')) ?? (existsAsFile(`${file}.map`) ? `${basename(file)}.map` : undefined);
  let loaded: LoadedMap | null = null;
  if (url) {
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      const meta = url.slice(5, comma);
      const payload = url.slice(comma + 1);
      const json = meta.endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
      loaded = traced(json, pathToFileURL(file).href, 'inline');
    } else {
      const mapPath = url.startsWith('file://') ? fileURLToPath(url) : isAbsolute(url) ? url : join(dirname(file), decodeURIComponent(url));
      loaded = traced(readMapFile(mapPath, roots), pathToFileURL(mapPath).href, mapPath);
    }
  }
  // The roots are part of the key: a map refused for one workspace may be inside another.
  cache.set(`${roots.join('\0')}\0${file}`, { mtimeMs, loaded });
  return loaded;
}

/**
 * Maps a 1-based position in `file` to its original source, if the file has a source map.
 * `roots` are the workspace folders: a map file outside them is not read. The source is
 * returned as the map names it; the caller decides whether it may be opened.
 */
export function mapToOriginal(file: string, line: number, column: number, roots: readonly string[]): SourceMapResult {
  let loaded: LoadedMap | null;
  try {
    loaded = loadMap(file, roots);
  } catch (err) {
    return { kind: 'error', reason: `the source map of ${file} could not be read: ${(err as Error).message}` };
  }
  if (!loaded) return { kind: 'no-map' };
  // Runtimes report the column of the expression start; if nothing maps exactly there, take the
  // nearest mapping to the left, then to the right, on the same line.
  let pos = originalPositionFor(loaded.map, { line, column: Math.max(0, column - 1), bias: GREATEST_LOWER_BOUND });
  if (pos.source == null) pos = originalPositionFor(loaded.map, { line, column: Math.max(0, column - 1), bias: LEAST_UPPER_BOUND });
  if (pos.source == null || pos.line == null) {
    return { kind: 'error', reason: `the source map of ${file} has no mapping for line ${line}` };
  }
  const source = pos.source.startsWith('file://') ? fileURLToPath(pos.source) : normalize(pos.source);
  const escapes = loaded.sourceRootDir !== undefined && !isPathInside(loaded.sourceRootDir, source);
  return {
    kind: 'mapped',
    position: {
      file: source,
      line: pos.line,
      column: (pos.column ?? 0) + 1,
      name: pos.name ?? undefined,
      map: loaded.origin,
      ...(escapes ? { escapesSourceRoot: true as const } : {}),
    },
  };
}
