// A release as Sentry names it (`1.4.0`, `checkout-api@1.4.0`, a commit sha) mapped to a
// commit, and the release before it, so "shipped in release X" can be said of a commit:
// it is an ancestor of X's commit and not of the previous release's.
import { runGit } from './exec';
import { openRepo, type GitRepo } from './repo';

export interface ReleaseRef {
  readonly name: string;
  readonly commit: string;
  /** The git ref that named it (a tag, or the sha itself). */
  readonly ref: string;
  readonly previous?: { readonly ref: string; readonly commit: string };
}

function candidateRefs(name: string): string[] {
  const out = [name];
  const version = name.includes('@') ? name.slice(name.lastIndexOf('@') + 1) : undefined;
  if (version) out.push(version);
  for (const v of [...out]) if (!v.startsWith('v')) out.push(`v${v}`);
  return [...new Set(out)].filter((r) => r !== '' && !r.startsWith('-'));
}

/** The commit of a release named by sha or tag (also `pkg@1.2.3` → tag `1.2.3`/`v1.2.3`). */
export async function resolveRelease(repo: GitRepo, name: string): Promise<ReleaseRef | undefined> {
  for (const ref of candidateRefs(name)) {
    const commit = await repo.commitOf(ref);
    if (!commit) continue;
    const prevTag = await runGit(repo.root, ['describe', '--tags', '--abbrev=0', `${commit}^`], [0, 128]);
    const prevRef = prevTag.exitCode === 0 ? prevTag.stdout.trim() : '';
    const prevCommit = prevRef ? await repo.commitOf(prevRef) : undefined;
    return { name, commit, ref, previous: prevCommit ? { ref: prevRef, commit: prevCommit } : undefined };
  }
  return undefined;
}

/** Whether `commit` first shipped in `release`: in it, and not in the release before. */
export async function shippedIn(repo: GitRepo, commit: string, release: ReleaseRef): Promise<boolean> {
  if (!(await repo.isAncestor(commit, release.commit))) return false;
  return !(release.previous && (await repo.isAncestor(commit, release.previous.commit)));
}

/** The file's text as it was in a release (by tag or sha), or undefined when unknown. */
export async function fileTextAtRelease(file: string, releaseName: string): Promise<string | undefined> {
  const opened = await openRepo(file);
  if (!opened.ok) return undefined;
  try {
    const release = await resolveRelease(opened.repo, releaseName);
    return release ? await opened.repo.show(release.commit, opened.repo.relPath(file)) : undefined;
  } catch {
    return undefined;
  }
}
