// The line's history in a sentence and a short list, for where the user is looking: after
// the failing line and in its hover. The "Recent changes" view has the whole list; here the
// commit that matters most comes first (the one that wrote the line, then the ones that
// changed it, then the window before first seen).
import { markerLabel, type ChangeEntry, type ChangeMarker, type ChangesReport } from './changes';
import { relativeTime } from '../stack/format';

export interface LineStoryEntry {
  readonly sha: string;
  readonly shortSha: string;
  readonly subject: string;
  readonly author: string;
  readonly when: string;
  /** Why it is listed: "introduced this line · shipped in release 1.4.0". */
  readonly why: string;
  readonly path?: string;
  readonly previousPath?: string;
}

export interface LineStory {
  /** "introduced by 3f2a9c1 (Jordan Blake, 2 days ago)", shown after the line; absent when no commit wrote it. */
  readonly inline?: string;
  readonly entries: readonly LineStoryEntry[];
  /** How many more commits the Recent changes view lists. */
  readonly more: number;
}

const RANK: Record<ChangeMarker['kind'], number> = { 'introduced-line': 0, 'touched-line': 1, 'in-window': 2, 'shipped-in-release': 3 };
const rank = (c: ChangeEntry) => Math.min(4, ...c.markers.map((m) => RANK[m.kind]));

export function lineStory(report: ChangesReport, limit = 3, now = Date.now()): LineStory | undefined {
  if (!report.ok || report.commits.length === 0) return undefined;
  // Stable sort: within a rank the report's order (newest first) stays.
  const ordered = [...report.commits].sort((a, b) => rank(a) - rank(b));
  const entries = ordered.slice(0, limit).map((c) => ({
    sha: c.sha,
    shortSha: c.shortSha,
    subject: c.subject,
    author: c.authorName,
    when: relativeTime(c.date, now),
    why: c.markers.map(markerLabel).join(' · '),
    path: c.path,
    previousPath: c.previousPath,
  }));
  const writer = ordered.find((c) => c.markers.some((m) => m.kind === 'introduced-line'));
  const inline = writer ? `introduced by ${writer.shortSha} (${writer.authorName}, ${relativeTime(writer.date, now)})` : undefined;
  return { inline, entries, more: report.commits.length - entries.length };
}
