// Which files a scan reads: the JS/TS files under the paths the user named, leaving out
// only what the project or the user says (.gitignore, --exclude), dependencies and
// version-control data, and files too big to be hand-written, each with the reason said.
// Every real path is read once (a symlink loop or a second link to a folder adds nothing),
// and a symlink is followed only when its target stays inside the scanned tree, so
// `--fix` can never write outside it.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isAnalyzableFile } from './index';
import { Ignores, isInside, type FolderIgnores } from './ignored';

/** Folders never scanned: other people's code and version-control data. */
const NEVER_SCANNED: Record<string, string> = {
  node_modules: 'dependencies (node_modules is never scanned)',
  '.git': 'version-control data',
  '.hg': 'version-control data',
  '.svn': 'version-control data',
};
/** Bigger files are bundles or generated code, not something a person fixes by hand. */
export const MAX_BYTES = 1_000_000;

export interface SourceFile {
  /** Path as the user sees it: relative to the command's folder, forward slashes. */
  readonly shown: string;
  /** The file's real path (symlinks resolved): what is read and what `--fix` writes. */
  readonly real: string;
}

export interface SkippedPath {
  readonly file: string;
  readonly reason: string;
}

export interface WalkOptions {
  /** gitignore-style patterns relative to the root, left out on top of .gitignore. */
  readonly exclude?: readonly string[];
  /** Ask git what is ignored when the tree is a work tree (default true). */
  readonly useGit?: boolean;
  readonly maxBytes?: number;
}

export interface WalkResult {
  readonly files: SourceFile[];
  readonly skipped: SkippedPath[];
  /** Real folders a symlink may point into: the root and every folder named. */
  readonly boundaries: readonly string[];
}

const megabytes = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;

export function walkSources(root: string, paths: readonly string[], options: WalkOptions = {}): WalkResult {
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const realRoot = realpathSync(root);
  const ignores = new Ignores(realRoot, options.exclude ?? [], options.useGit ?? true);
  const files: SourceFile[] = [];
  const skipped: SkippedPath[] = [];
  const seen = new Map<string, string>();
  const shownOf = (p: string) => relative(root, p).split(sep).join('/') || '.';
  const named = paths.map((p) => resolve(root, p));
  const boundaries = [realRoot];
  for (const p of named) {
    const real = realpathSync(p);
    boundaries.push(statSync(real).isDirectory() ? real : realpathSync(dirname(p)));
  }
  const inTree = (real: string) => boundaries.some((b) => isInside(b, real));

  /** A file found or named: read it unless too big or minified. */
  const addFile = (lexical: string, real: string, size: number, explicit: boolean) => {
    const shown = shownOf(lexical);
    if (!isAnalyzableFile(lexical)) {
      if (explicit) skipped.push({ file: shown, reason: 'not a JavaScript or TypeScript source file' });
      return;
    }
    if (seen.has(real)) return; // the same file reached twice: its findings are listed once
    seen.set(real, shown);
    if (size > maxBytes)
      return void skipped.push({
        file: shown,
        reason: `${megabytes(size)}, over the ${megabytes(maxBytes)} limit for hand-written code (a bundle or generated file)`,
      });
    if (!explicit && /\.min\.[cm]?js$/i.test(lexical)) return void skipped.push({ file: shown, reason: 'minified' });
    files.push({ shown, real });
  };

  const walkFolder = (lexical: string, real: string, state: FolderIgnores) => {
    if (seen.has(real))
      return void skipped.push({ file: `${shownOf(lexical)}/`, reason: `the same folder as ${seen.get(real)}/ (symlink), scanned once` });
    seen.set(real, shownOf(lexical));
    let names: string[];
    try {
      names = readdirSync(real).sort();
    } catch (err) {
      return void skipped.push({
        file: `${shownOf(lexical)}/`,
        reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      });
    }
    for (const name of names) {
      const childLexical = join(lexical, name);
      const childPath = join(real, name);
      let childReal = childPath;
      let st;
      try {
        st = lstatSync(childPath);
        if (st.isSymbolicLink()) {
          childReal = realpathSync(childPath);
          if (!inTree(childReal)) {
            skipped.push({ file: shownOf(childLexical), reason: 'a symlink to outside the scanned tree (never followed)' });
            continue;
          }
          st = statSync(childReal);
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        skipped.push({
          file: shownOf(childLexical),
          reason: code === 'ENOENT' || code === 'ELOOP' ? 'a dangling or looping symlink' : `cannot be read (${code})`,
        });
        continue;
      }
      const isDir = st.isDirectory();
      if (isDir && NEVER_SCANNED[name]) {
        if (name === 'node_modules') skipped.push({ file: `${shownOf(childLexical)}/`, reason: NEVER_SCANNED[name] });
        continue;
      }
      if (!isDir && !st.isFile()) continue;
      if (!isDir && !isAnalyzableFile(name)) continue;
      // Ignore rules speak of where an entry sits in the tree, not where a link points.
      const why = ignores.reason(state, childPath, isDir);
      if (why) {
        skipped.push({ file: isDir ? `${shownOf(childLexical)}/` : shownOf(childLexical), reason: why });
        continue;
      }
      if (isDir) walkFolder(childLexical, childReal, ignores.forSubfolder(state, childReal));
      else addFile(childLexical, childReal, st.size, false);
    }
  };

  for (const p of named) {
    const real = realpathSync(p);
    const st = statSync(real);
    if (st.isDirectory()) walkFolder(p, real, ignores.forNamedFolder(real));
    else if (!inTree(real)) skipped.push({ file: shownOf(p), reason: 'a symlink to outside the scanned tree (never followed)' });
    else addFile(p, real, st.size, true);
  }
  return { files, skipped, boundaries };
}
