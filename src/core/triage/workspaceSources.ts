// The evidence sources that read the workspace: the culprit frame resolved to a file and
// line (stack), and the commits behind that line (git). Shared by the CLI and the
// extension so both investigate the same way.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { StackFrame } from '../model/frame';
import { resolveFrame } from '../stack/resolveFrame';
import type { PathMapping, WorkspaceFolderRef } from '../stack/pathResolve';
import { WorkspaceIndex } from '../stack/workspaceIndex';
import { resolveInsideWorkspace } from '../stack/fsUtil';
import { recentChanges } from '../git/changes';
import { git } from '../git/exec';
import type { CommitFacts, FailurePoint, IncidentFacts, LatestEventFacts } from './evidence';
import type { EvidenceSources } from './gather';
import { suspectCommit } from './investigation';

export interface WorkspaceSourceOptions {
  folders: readonly WorkspaceFolderRef[];
  mappings?: readonly PathMapping[];
  /** A prebuilt index (the extension keeps one fresh); built on demand otherwise. */
  index?: WorkspaceIndex;
  /** Days before first seen that count as "the window". */
  windowDays?: number;
  /** Lines either side of the failing line in the excerpt. */
  excerptRadius?: number;
}

export interface WorkspaceSources extends Required<Pick<EvidenceSources, 'resolveFrame' | 'commits'>> {
  /** Absolute path of a failure point's file. */
  absolutePath(point: FailurePoint): string;
}

export function workspaceSources(options: WorkspaceSourceOptions): WorkspaceSources {
  let index = options.index;
  const absolute = new Map<string, string>();
  const radius = options.excerptRadius ?? 5;
  const relativeName = (file: string) => {
    const folder = options.folders.find((f) => file.startsWith(`${f.path}/`)) ?? options.folders[0];
    const rel = folder ? relative(folder.path, file) : file;
    return options.folders.length > 1 && folder ? `${folder.name}/${rel}` : rel;
  };
  return {
    absolutePath: (point) => absolute.get(point.file) ?? point.file,
    async resolveFrame(frame: StackFrame): Promise<FailurePoint | undefined> {
      index ??= await WorkspaceIndex.build(options.folders);
      const r = await resolveFrame(frame, { folders: options.folders, mappings: options.mappings, index });
      if (r.status !== 'resolved' || !r.file || r.line === undefined) {
        throw new Error(r.reason ?? `${frame.filename ?? frame.absPath ?? 'the culprit frame'} is not in the workspace`);
      }
      // The resolver already keeps to the workspace; the report quotes the file, so check again here.
      const inside = resolveInsideWorkspace(
        options.folders.map((f) => f.path),
        r.file,
      );
      if (!inside.ok)
        throw new Error(
          inside.kind === 'outside' ? `the culprit frame's file ${inside.reason}; not quoted` : `${r.file} could not be read`,
        );
      const text = await readFile(inside.file, 'utf8');
      const lines = text.split('\n');
      const start = Math.max(1, r.line - radius);
      const end = Math.min(lines.length, r.line + radius);
      const file = relativeName(r.file);
      absolute.set(file, r.file);
      return {
        frame,
        file,
        line: r.line,
        column: r.column,
        lineText: lines[r.line - 1],
        excerpt: { startLine: start, lines: lines.slice(start - 1, end) },
        drift: r.drift && r.drift.status !== 'unchanged' ? r.drift.message : undefined,
      };
    },
    async commits(point: FailurePoint, incident: IncidentFacts, event: LatestEventFacts) {
      const report = await recentChanges({
        workspace: options.folders.map((f) => f.path),
        file: absolute.get(point.file) ?? point.file,
        line: point.line,
        firstSeen: incident.firstSeen,
        windowDays: options.windowDays ?? 14,
        release: incident.firstRelease ?? event.release,
      });
      if (!report.ok) throw new Error(report.reason);
      const commits: CommitFacts[] = report.commits.map((c) => ({
        sha: c.sha,
        subject: c.subject,
        author: c.authorName,
        date: c.date,
        introducedLine: c.markers.some((m) => m.kind === 'introduced-line'),
        inWindow: c.markers.some((m) => m.kind === 'in-window'),
        releases: c.markers.flatMap((m) => (m.kind === 'shipped-in-release' ? [m.release] : [])),
      }));
      const suspect = suspectCommit(commits);
      if (suspect) {
        // The suspect change itself, for the report's correlation section.
        suspect.diff =
          (
            await git(report.repoRoot, ['show', '--format=', '--no-color', '--unified=3', suspect.sha, '--', report.relPath]).catch(
              () => '',
            )
          ).trim() || undefined;
      }
      return { commits, windowStart: report.window?.since };
    },
  };
}
