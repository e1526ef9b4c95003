// An index of the workspace's files for matching a frame's path by its longest common
// suffix: `/app/src/orders/reserve.js` from a container finds `services/checkout/src/orders/reserve.js`.
// Files are bucketed by file name, so a lookup only compares the handful of files that
// share the frame's file name: well under a millisecond in a 100,000-file workspace.
// Case is folded only for roots on case-insensitive file systems.
import { promises as fsp, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Directories never indexed: VCS metadata, and dependencies (library frames are found by path instead). */
export const EXCLUDED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', 'node_modules']);

export interface IndexRoot {
  /** Absolute path of a workspace folder. */
  readonly path: string;
  readonly name: string;
  readonly caseSensitive: boolean;
}

interface Entry {
  readonly root: IndexRoot;
  /** Path relative to the root, `/`-separated. */
  readonly relPath: string;
  /** Path segments, reversed, case-folded when the root is case-insensitive. */
  readonly reversedKeySegments: readonly string[];
}

export interface IndexMatch {
  /** Absolute path of the best match. */
  readonly file: string;
  readonly root: IndexRoot;
  /** How many trailing path segments matched (1 = file name only). */
  readonly matchedSegments: number;
  /** Other files that matched equally well, when the choice was not unique. */
  readonly alsoMatched: readonly string[];
}

/** Splits any path (POSIX, Windows, URL-ish) into its non-empty segments, dropping a drive letter. */
export function pathSegments(path: string): string[] {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.' && !/^[A-Za-z]:$/.test(s));
}

function fold(segment: string, caseSensitive: boolean): string {
  return caseSensitive ? segment : segment.toLowerCase();
}

function swapCase(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
}

/** Whether the file system holding `dir` tells `Foo` from `foo`, found by asking it. */
export function isCaseSensitiveDirectory(dir: string): boolean {
  const swapped = swapCase(dir);
  if (swapped === dir) return !(process.platform === 'win32' || process.platform === 'darwin');
  try {
    const a = statSync(dir);
    const b = statSync(swapped);
    return !(a.ino === b.ino && a.dev === b.dev);
  } catch {
    return true;
  }
}

/** Every file under `root` (relative, `/`-separated), skipping excluded directories and symlinks. */
export async function scanFiles(root: string, excluded: ReadonlySet<string> = EXCLUDED_DIRECTORIES): Promise<string[]> {
  const out: string[] = [];
  const pending = [root];
  while (pending.length) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // Unreadable or vanished directory: index what can be read.
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!excluded.has(e.name)) pending.push(join(dir, e.name));
      } else if (e.isFile()) {
        out.push(relative(root, join(dir, e.name)).split(sep).join('/'));
      }
    }
  }
  return out;
}

export class WorkspaceIndex {
  private readonly byFileName = new Map<string, Entry[]>();
  private readonly roots: IndexRoot[] = [];
  private count = 0;

  /** Scans every root once. Use `add`/`remove` from a file watcher to keep it fresh. */
  static async build(folders: readonly { path: string; name?: string }[]): Promise<WorkspaceIndex> {
    const index = new WorkspaceIndex();
    for (const folder of folders) index.addRoot(folder, await scanFiles(folder.path));
    return index;
  }

  /** Adds a root with its already-scanned files (e.g. scanned in a worker thread). */
  addRoot(folder: { path: string; name?: string; caseSensitive?: boolean }, relPaths: readonly string[]): IndexRoot {
    const root: IndexRoot = {
      path: folder.path,
      name: folder.name ?? folder.path.split(/[\\/]/).pop() ?? folder.path,
      caseSensitive: folder.caseSensitive ?? isCaseSensitiveDirectory(folder.path),
    };
    this.roots.push(root);
    for (const rel of relPaths) this.insert(root, rel);
    return root;
  }

  get size(): number {
    return this.count;
  }

  get rootList(): readonly IndexRoot[] {
    return this.roots;
  }

  private rootOf(absPath: string): IndexRoot | undefined {
    let best: IndexRoot | undefined;
    for (const r of this.roots) {
      const rel = relative(r.path, absPath);
      if (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '' && !/^[A-Za-z]:/.test(rel)) {
        if (!best || r.path.length > best.path.length) best = r;
      }
    }
    return best;
  }

  private insert(root: IndexRoot, relPath: string): void {
    const segments = pathSegments(relPath);
    if (segments.some((s) => EXCLUDED_DIRECTORIES.has(s))) return;
    const reversedKeySegments = segments.map((s) => fold(s, root.caseSensitive)).reverse();
    const key = reversedKeySegments[0];
    const bucket = this.byFileName.get(key);
    const entry: Entry = { root, relPath: segments.join('/'), reversedKeySegments };
    if (bucket) {
      if (bucket.some((e) => e.root === root && e.relPath === entry.relPath)) return;
      bucket.push(entry);
    } else this.byFileName.set(key, [entry]);
    this.count++;
  }

  /** A file was created (from a watcher). Paths outside every root are ignored. */
  add(absPath: string): void {
    const root = this.rootOf(absPath);
    if (root) this.insert(root, relative(root.path, absPath));
  }

  /** A file (or a whole directory) was deleted. */
  remove(absPath: string): void {
    const root = this.rootOf(absPath);
    if (!root) return;
    const segments = pathSegments(relative(root.path, absPath));
    const rel = segments.join('/');
    // A single file: only its file-name bucket can hold it.
    const key = fold(segments[segments.length - 1] ?? '', root.caseSensitive);
    const bucket = this.byFileName.get(key);
    const at = bucket?.findIndex((e) => e.root === root && e.relPath === rel) ?? -1;
    if (bucket && at >= 0) {
      bucket.splice(at, 1);
      if (bucket.length === 0) this.byFileName.delete(key);
      this.count--;
      return;
    }
    // A directory: drop everything below it.
    for (const [key, bucket] of this.byFileName) {
      const kept = bucket.filter((e) => e.root !== root || (e.relPath !== rel && !e.relPath.startsWith(`${rel}/`)));
      if (kept.length === bucket.length) continue;
      this.count -= bucket.length - kept.length;
      if (kept.length) this.byFileName.set(key, kept);
      else this.byFileName.delete(key);
    }
  }

  /**
   * The indexed file sharing the longest path suffix with `path` (at least its file name).
   * Ties go to the shortest path; the others are reported in `alsoMatched`.
   */
  lookup(path: string): IndexMatch | undefined {
    const query = pathSegments(path).reverse();
    if (query.length === 0) return undefined;
    const candidates = new Set<Entry[]>();
    for (const key of new Set([query[0], query[0].toLowerCase()])) {
      const bucket = this.byFileName.get(key);
      if (bucket) candidates.add(bucket);
    }
    let best: Entry[] = [];
    let bestScore = 0;
    const folded = query.map((s) => s.toLowerCase());
    for (const bucket of candidates) {
      for (const entry of bucket) {
        const q = entry.root.caseSensitive ? query : folded;
        const segs = entry.reversedKeySegments;
        let score = 0;
        while (score < segs.length && score < q.length && segs[score] === q[score]) score++;
        if (score === 0) continue;
        if (score > bestScore) {
          bestScore = score;
          best = [entry];
        } else if (score === bestScore) best.push(entry);
      }
    }
    if (best.length === 0) return undefined;
    best.sort((a, b) => a.reversedKeySegments.length - b.reversedKeySegments.length || a.relPath.localeCompare(b.relPath));
    const abs = (e: Entry) => join(e.root.path, ...e.relPath.split('/'));
    return {
      file: abs(best[0]),
      root: best[0].root,
      matchedSegments: bestScore,
      alsoMatched: best.slice(1).map(abs),
    };
  }
}
