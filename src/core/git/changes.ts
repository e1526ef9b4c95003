// "What changed here?": the blame of the failing line and its neighbours, the line's
// history, and the file's commits in the window before the incident was first seen,
// each commit marked with why it matters.
import { GitError } from './exec';
import { blameLines, fileHistory, lineHistory, UNCOMMITTED, type BlameLine, type CommitInfo } from './history';
import { openRepo } from './repo';
import { resolveRelease, shippedIn, type ReleaseRef } from './release';
import { resolveInsideWorkspace } from '../stack/fsUtil';

export type ChangeMarker =
  | { readonly kind: 'introduced-line' }
  | { readonly kind: 'touched-line' }
  | { readonly kind: 'in-window' }
  | { readonly kind: 'shipped-in-release'; readonly release: string };

export interface ChangeEntry extends CommitInfo {
  readonly markers: readonly ChangeMarker[];
}

export interface ChangesRequest {
  /** Absolute path of the file. */
  readonly file: string;
  /** 1-based failing line in the current file. */
  readonly line: number;
  /** When the incident was first seen (ISO): the window ends here. */
  readonly firstSeen?: string;
  /** Start of the window (ISO); defaults to `windowDays` before `firstSeen`. */
  readonly since?: string;
  readonly windowDays?: number;
  /** Release the incident was first seen in (tag or sha). */
  readonly release?: string;
  /** Lines of blame either side of the failing line. */
  readonly around?: number;
  /**
   * Workspace folders the file must really lie in (after symbolic links), when the file
   * came from input such as a command-line argument or an event: blame prints its lines.
   */
  readonly workspace?: readonly string[];
}

export type ChangesReport =
  | {
      readonly ok: true;
      readonly repoRoot: string;
      readonly relPath: string;
      readonly line: number;
      readonly blame: readonly BlameLine[];
      readonly commits: readonly ChangeEntry[];
      readonly window?: { readonly since: string; readonly until?: string };
      readonly release?: ReleaseRef;
      /** Things the reader must know (shallow clone, unknown release, uncommitted edits). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

export function markerLabel(m: ChangeMarker): string {
  switch (m.kind) {
    case 'introduced-line':
      return 'introduced this line';
    case 'touched-line':
      return 'changed this line';
    case 'in-window':
      return 'in the window before first seen';
    case 'shipped-in-release':
      return `shipped in release ${m.release}`;
  }
}

const DAY_MS = 86_400_000;

function windowOf(req: ChangesRequest): { since: string; until?: string } | undefined {
  if (req.since) return { since: req.since, until: req.firstSeen };
  if (!req.firstSeen) return undefined;
  const end = Date.parse(req.firstSeen);
  if (Number.isNaN(end)) return undefined;
  return { since: new Date(end - (req.windowDays ?? 7) * DAY_MS).toISOString(), until: req.firstSeen };
}

export async function recentChanges(req: ChangesRequest): Promise<ChangesReport> {
  if (req.workspace) {
    const inside = resolveInsideWorkspace(req.workspace, req.file);
    if (!inside.ok && inside.kind === 'outside') return { ok: false, reason: `${req.file} ${inside.reason}; its history is not read` };
  }
  const opened = await openRepo(req.file);
  if (!opened.ok) return opened;
  const repo = opened.repo;
  const relPath = repo.relPath(req.file);
  try {
    if (!(await repo.isTracked(relPath))) {
      return { ok: false, reason: `${relPath} is not tracked by git (a new or ignored file), so it has no history yet` };
    }
    const notes: string[] = [];
    const around = req.around ?? 3;
    const blame = await blameLines(repo, relPath, Math.max(1, req.line - around), req.line + around);
    const failing = blame.find((b) => b.line === req.line);
    if (!failing) notes.push(`line ${req.line} is past the end of ${relPath}`);
    if (failing?.sha === UNCOMMITTED) notes.push(`line ${req.line} has uncommitted changes`);
    if (repo.shallow) {
      notes.push(
        'this is a shallow clone: history stops at the oldest fetched commit, and blame gives that commit for every older line (run `git fetch --unshallow` for the full story)',
      );
    }
    const lineCommits = failing && failing.sha !== UNCOMMITTED ? await lineHistory(repo, relPath, req.line, req.line) : [];
    const window = windowOf(req);
    const windowCommits = window ? await fileHistory(repo, relPath, window) : [];
    const recent = window ? [] : await fileHistory(repo, relPath, { maxCount: 15 });

    const bySha = new Map<string, { info: CommitInfo; markers: ChangeMarker[] }>();
    const note = (info: CommitInfo, marker?: ChangeMarker) => {
      const e = bySha.get(info.sha) ?? { info, markers: [] };
      if (!e.info.path && info.path) e.info = { ...e.info, path: info.path, previousPath: info.previousPath };
      if (marker && !e.markers.some((m) => m.kind === marker.kind)) e.markers.push(marker);
      bySha.set(info.sha, e);
    };
    if (failing && failing.sha !== UNCOMMITTED) {
      // Blame calls the root commit a boundary too; only in a shallow clone is it a guess.
      const cutOff = failing.boundary && repo.shallow;
      note(failing.commit, cutOff ? undefined : { kind: 'introduced-line' });
      if (cutOff) notes.push(`line ${req.line} is attributed to ${failing.commit.shortSha}, the shallow-clone boundary: it may be older`);
    }
    for (const c of lineCommits) note(c, c.sha === failing?.sha ? undefined : { kind: 'touched-line' });
    for (const c of windowCommits) note(c, { kind: 'in-window' });
    for (const c of recent) note(c);

    let release: ReleaseRef | undefined;
    if (req.release) {
      release = await resolveRelease(repo, req.release);
      if (!release) notes.push(`release "${req.release}" matches no tag or commit in this repository, so "shipped in" is not shown`);
    }
    const commits: ChangeEntry[] = [];
    for (const { info, markers } of bySha.values()) {
      if (release && (await shippedIn(repo, info.sha, release))) markers.push({ kind: 'shipped-in-release', release: release.name });
      commits.push({ ...info, markers });
    }
    commits.sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
    return { ok: true, repoRoot: repo.root, relPath, line: req.line, blame, commits, window, release, notes };
  } catch (err) {
    if (err instanceof GitError) return { ok: false, reason: `git could not read the history of ${relPath}: ${err.message}` };
    throw err;
  }
}
