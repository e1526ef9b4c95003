// An index of the workspace's files for matching a frame's path by its longest common
// suffix: `/app/src/orders/reserve.js` from a container finds `services/checkout/src/orders/reserve.js`.
// Each root's paths sit in a burst trie keyed by reversed segments (file name first): a
// node holds a small bucket of paths until it outgrows BUCKET_LIMIT, then splits by the
// next segment. A lookup walks at most as many nodes as the frame's path has segments and
// compares at most one bucket, whatever the workspace's size: well under a millisecond in
// a 100,000-file workspace, while building costs about one map entry per file (see
// bench/stackIndex.bench.ts).
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
  // Fast path for the common case (the index splits every workspace path once).
  if (
    !path.includes('\\') &&
    !path.includes(':') &&
    !path.includes('//') &&
    !path.startsWith('/') &&
    !path.endsWith('/') &&
    !/(^|\/)\.(\/|$)/.test(path)
  ) {
    return path === '' ? [] : path.split('/');
  }
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

interface Entry {
  readonly root: IndexRoot;
  /** Path relative to the root, `/`-separated. */
  readonly relPath: string;
  /** Path segments, reversed, case-folded when the root is case-insensitive. */
  readonly keys: readonly string[];
}

/** Either a bucket of entries sharing the first `depth` keys, or (once burst) children by the next key. */
interface TrieNode {
  entries: Entry[];
  children?: Map<string, TrieNode>;
}

const BUCKET_LIMIT = 48;

function insertEntry(node: TrieNode, entry: Entry, depth: number): boolean {
  for (;;) {
    if (!node.children || entry.keys.length === depth) {
      if (node.entries.some((e) => e.relPath === entry.relPath)) return false;
      node.entries.push(entry);
      if (!node.children && node.entries.length > BUCKET_LIMIT) burst(node, depth);
      return true;
    }
    const key = entry.keys[depth];
    let child = node.children.get(key);
    if (!child) node.children.set(key, (child = { entries: [] }));
    node = child;
    depth++;
  }
}

/** Splits a full bucket: entries that end here stay, the others move one level down. */
function burst(node: TrieNode, depth: number): void {
  const entries = node.entries;
  node.entries = [];
  node.children = new Map();
  for (const e of entries) insertEntry(node, e, depth);
}

/** Every entry below a node, with its depth-first walk bounded by the node's size. */
function entriesBelow(node: TrieNode, out: Entry[] = []): Entry[] {
  out.push(...node.entries);
  if (node.children) for (const child of node.children.values()) entriesBelow(child, out);
  return out;
}

function commonPrefix(a: readonly string[], b: readonly string[], from: number): number {
  let n = from;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export class WorkspaceIndex {
  private readonly tries = new Map<IndexRoot, TrieNode>();
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
    // The top level is always split by file name.
    this.tries.set(root, { entries: [], children: new Map() });
    this.addFiles(root, relPaths);
    return root;
  }

  /** Adds files (relative to `root`) in bulk; callers on a UI thread may call it in slices. */
  addFiles(root: IndexRoot, relPaths: readonly string[]): void {
    if (!this.tries.has(root)) throw new Error(`${root.path} is not a root of this index`);
    for (const rel of relPaths) this.insert(root, rel);
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
    if (segments.length === 0 || segments.some((s) => EXCLUDED_DIRECTORIES.has(s))) return;
    const keys = segments.map((s) => fold(s, root.caseSensitive)).reverse();
    if (insertEntry(this.tries.get(root) as TrieNode, { root, relPath: segments.join('/'), keys }, 0)) this.count++;
  }

  private removeEntry(root: IndexRoot, relPath: string): boolean {
    const keys = pathSegments(relPath)
      .map((s) => fold(s, root.caseSensitive))
      .reverse();
    // Nodes left empty are pruned, so a lookup never walks into a dead end.
    const walked: TrieNode[] = [];
    let node: TrieNode | undefined = this.tries.get(root);
    for (let depth = 0; node; depth++) {
      walked.push(node);
      const at = node.entries.findIndex((e) => e.relPath === relPath);
      if (at >= 0) {
        node.entries.splice(at, 1);
        this.count--;
        for (let i = walked.length - 1; i > 0; i--) {
          const n = walked[i];
          if (n.entries.length > 0 || (n.children?.size ?? 0) > 0) break;
          walked[i - 1].children?.delete(keys[i - 1]);
        }
        return true;
      }
      node = depth < keys.length ? node.children?.get(keys[depth]) : undefined;
    }
    return false;
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
    const rel = pathSegments(relative(root.path, absPath)).join('/');
    if (rel === '' || this.removeEntry(root, rel)) return;
    // A directory: drop everything below it (rare, so a walk of the root is fine).
    const prefix = `${rel}/`;
    for (const e of entriesBelow(this.tries.get(root) as TrieNode)) if (e.relPath.startsWith(prefix)) this.removeEntry(root, e.relPath);
  }

  /**
   * The indexed file sharing the longest path suffix with `path` (at least its file name).
   * Ties go to the shortest path; the others are reported in `alsoMatched`.
   */
  lookup(path: string): IndexMatch | undefined {
    const segments = pathSegments(path).reverse();
    if (segments.length === 0) return undefined;
    let best: Entry[] = [];
    let bestScore = 0;
    const consider = (e: Entry, score: number) => {
      if (score > bestScore) {
        bestScore = score;
        best = [e];
      } else if (score === bestScore) best.push(e);
    };
    for (const [root, trie] of this.tries) {
      const q = root.caseSensitive ? segments : segments.map((s) => s.toLowerCase());
      let node = trie;
      let depth = 0;
      // Down the burst nodes as far as the query goes.
      while (node.children && depth < q.length) {
        const child = node.children.get(q[depth]);
        if (!child) break;
        node = child;
        depth++;
      }
      if (depth === 0) continue;
      if (!node.children) {
        for (const e of node.entries) consider(e, commonPrefix(e.keys, q, depth));
      } else if (depth >= bestScore) {
        // Stopped at a split node: everything below matches exactly `depth` segments.
        for (const e of entriesBelow(node)) consider(e, depth);
      }
    }
    if (best.length === 0) return undefined;
    best.sort((a, b) => a.keys.length - b.keys.length || a.relPath.localeCompare(b.relPath));
    const shortest = best.filter((e) => e.keys.length === best[0].keys.length);
    const abs = (e: Entry) => join(e.root.path, ...e.relPath.split('/'));
    return { file: abs(shortest[0]), root: shortest[0].root, matchedSegments: bestScore, alsoMatched: shortest.slice(1).map(abs) };
  }
}
