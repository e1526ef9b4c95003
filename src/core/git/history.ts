// Blame of the lines around the failing one (porcelain), the failing line's own history
// (`git log -L`), and the commits that touched the file in a time window (`--follow`).
import { git, runGit } from './exec';
import type { GitRepo } from './repo';

export interface CommitInfo {
  readonly sha: string;
  readonly shortSha: string;
  readonly subject: string;
  readonly authorName: string;
  readonly authorEmail: string;
  /** Author date, ISO 8601. */
  readonly date: string;
  /** The file's path in this commit (it may have been renamed since). */
  readonly path?: string;
  /** The file's path before this commit, when this commit renamed it. */
  readonly previousPath?: string;
}

export interface BlameLine {
  /** 1-based line in the current file. */
  readonly line: number;
  readonly content: string;
  /** All zeros for lines not committed yet. */
  readonly sha: string;
  readonly commit: CommitInfo;
  /** Line number in the commit that introduced it. */
  readonly originalLine: number;
  /** A boundary commit: the root commit, or in a shallow clone the oldest fetched one (the line may be older). */
  readonly boundary: boolean;
}

export const UNCOMMITTED = '0000000000000000000000000000000000000000';

/** `git blame --porcelain` of lines `start..end` (1-based, clamped by git to the file). */
export async function blameLines(repo: GitRepo, relPath: string, start: number, end: number, rev?: string): Promise<BlameLine[]> {
  const args = ['blame', '--porcelain', '-L', `${Math.max(1, start)},${Math.max(start, end)}`];
  if (rev) args.push(rev);
  args.push('--', relPath);
  const out = await git(repo.root, args);
  const commits = new Map<string, Record<string, string>>();
  const result: BlameLine[] = [];
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = /^([0-9a-f]{40}) (\d+) (\d+)(?: \d+)?$/.exec(lines[i]);
    if (!header) continue;
    const [, sha, orig, final] = header;
    const fields = commits.get(sha) ?? {};
    commits.set(sha, fields);
    let j = i + 1;
    for (; j < lines.length && !lines[j].startsWith('\t'); j++) {
      const space = lines[j].indexOf(' ');
      if (space < 0) fields[lines[j]] = 'true';
      else fields[lines[j].slice(0, space)] = lines[j].slice(space + 1);
    }
    const content = (lines[j] ?? '\t').slice(1);
    i = j;
    const when = Number(fields['author-time'] ?? 0);
    result.push({
      line: Number(final),
      content,
      sha,
      originalLine: Number(orig),
      boundary: fields.boundary === 'true',
      commit: {
        sha,
        shortSha: sha.slice(0, 7),
        subject: fields.summary ?? '',
        authorName: fields.author ?? '',
        authorEmail: (fields['author-mail'] ?? '').replace(/^<|>$/g, ''),
        date: new Date(when * 1000).toISOString(),
        path: fields.filename,
      },
    });
  }
  return result;
}

const RECORD = '\x1e';
const FIELD = '\x1f';
const FORMAT = `--format=${RECORD}%H${FIELD}%h${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`;

function parseCommitHeader(line: string): CommitInfo | undefined {
  const [sha, shortSha, authorName, authorEmail, date, subject] = line.split(FIELD);
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) return undefined;
  return { sha, shortSha, authorName, authorEmail, date, subject: subject ?? '' };
}

/** The commits that changed lines `start..end` of the file, newest first (`git log -L`). */
export async function lineHistory(repo: GitRepo, relPath: string, start: number, end: number, maxCount = 20): Promise<CommitInfo[]> {
  const out = await git(repo.root, ['log', `-L${start},${end}:${relPath}`, `--max-count=${maxCount}`, FORMAT]);
  const commits: CommitInfo[] = [];
  for (const record of out.split(RECORD).slice(1)) {
    const c = parseCommitHeader(record.split('\n')[0]);
    if (!c) continue;
    // The patch's `+++ b/<path>` names the file as it was in that commit.
    const path = /^\+\+\+ b\/(.+)$/m.exec(record)?.[1];
    commits.push(path ? { ...c, path } : c);
  }
  return commits;
}

export interface FileLogOptions {
  readonly since?: string;
  readonly until?: string;
  readonly maxCount?: number;
}

/** The commits that touched the file (following renames), newest first. */
export async function fileHistory(repo: GitRepo, relPath: string, opts: FileLogOptions = {}): Promise<CommitInfo[]> {
  const args = ['log', '--follow', '--name-status', FORMAT];
  if (opts.since) args.push(`--since=${opts.since}`);
  if (opts.until) args.push(`--until=${opts.until}`);
  args.push(`--max-count=${opts.maxCount ?? 50}`, '--', relPath);
  const out = (await runGit(repo.root, args)).stdout;
  const commits: CommitInfo[] = [];
  for (const record of out.split(RECORD).slice(1)) {
    const [head, ...rest] = record.split('\n');
    const c = parseCommitHeader(head);
    if (!c) continue;
    const status = rest.find((l) => /^[AMDRTC]\d*\t/.test(l));
    const parts = status?.split('\t') ?? [];
    if (parts[0]?.startsWith('R') || parts[0]?.startsWith('C')) commits.push({ ...c, previousPath: parts[1], path: parts[2] });
    else commits.push(parts[1] ? { ...c, path: parts[1] } : c);
  }
  return commits;
}
