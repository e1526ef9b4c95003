// A git working tree found from a file inside it, with the facts that change how its
// history must be read (shallow clone, tracked or not).
import { statSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { GitError, git, runGit } from './exec';

export class GitRepo {
  constructor(
    readonly root: string,
    readonly shallow: boolean,
  ) {}

  /** Repository-relative, `/`-separated path of an absolute file path. */
  relPath(absPath: string): string {
    return relative(this.root, absPath).split(sep).join('/');
  }

  async isTracked(relPath: string): Promise<boolean> {
    const r = await runGit(this.root, ['ls-files', '--error-unmatch', '--', relPath], [0, 1]);
    return r.exitCode === 0;
  }

  /** Whether `ancestor` is reachable from `descendant` (`git merge-base --is-ancestor`). */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const r = await runGit(this.root, ['merge-base', '--is-ancestor', ancestor, descendant], [0, 1]);
    return r.exitCode === 0;
  }

  /** The commit a revision names, or undefined when it names none. */
  async commitOf(rev: string): Promise<string | undefined> {
    if (rev.startsWith('-')) return undefined;
    const r = await runGit(this.root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], [0, 1, 128]);
    return r.exitCode === 0 ? r.stdout.trim() || undefined : undefined;
  }

  /** The file's content at a commit, or undefined when it did not exist there. */
  async show(rev: string, relPath: string): Promise<string | undefined> {
    const r = await runGit(this.root, ['show', `${rev}:${relPath}`], [0, 128]);
    return r.exitCode === 0 ? r.stdout : undefined;
  }
}

export type OpenRepoResult = { readonly ok: true; readonly repo: GitRepo } | { readonly ok: false; readonly reason: string };

/** The repository holding `path` (a file or a folder), or a message that says why there is none. */
export async function openRepo(path: string): Promise<OpenRepoResult> {
  let dir = path;
  try {
    if (!statSync(path).isDirectory()) dir = dirname(path);
  } catch {
    return { ok: false, reason: `${path} does not exist` };
  }
  try {
    const out = await git(dir, ['rev-parse', '--show-toplevel', '--is-shallow-repository']);
    const [root, shallow] = out.trim().split('\n');
    return { ok: true, repo: new GitRepo(root, shallow === 'true') };
  } catch (err) {
    if (err instanceof GitError && err.kind === 'not-a-repository') {
      return { ok: false, reason: `${dir} is not inside a git repository, so there is no history to show` };
    }
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
