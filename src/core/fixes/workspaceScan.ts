// The editor's background scan of a workspace folder: the same walk as `forensics fixes
// scan` (walk.ts: .gitignore, node_modules, size limit), bounded in files so a huge
// monorepo costs a bounded time, then the rules on each file. Plain data in and out, so it
// runs in a worker thread (fixesScan.worker.ts) or, without a bundle, in the caller's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalyzeOptions } from './index';
import { scanFiles } from './scan';
import type { Finding } from './types';
import { walkSources } from './walk';

/** Enough for any hand-written service; past it the user is told the scan stopped. */
export const MAX_SCANNED_FILES = 5_000;

export interface WorkspaceScanRequest {
  readonly root: string;
  /**
   * Files to re-read (absolute, already known to the scan, so already past the ignore
   * rules); without them the whole folder is walked.
   */
  readonly files?: readonly string[];
  readonly severities?: AnalyzeOptions['severities'];
  readonly maxFiles?: number;
  readonly maxBytes?: number;
}

export interface WorkspaceScanResult {
  /** Files with findings, by path under the root as the editor names them (links not resolved). */
  readonly files: { readonly path: string; readonly findings: Finding[] }[];
  /** Every file read, with or without findings. */
  readonly scanned: string[];
  /** Files the walk found past `maxFiles`, not read. */
  readonly leftOut: number;
}

export function scanWorkspaceFolder(request: WorkspaceScanRequest): WorkspaceScanResult {
  const maxFiles = request.maxFiles ?? MAX_SCANNED_FILES;
  // A file changed then deleted before its rescan: nothing to read, nothing to report.
  const named = request.files ? request.files.filter((f) => existsSync(f)) : ['.'];
  if (named.length === 0) return { files: [], scanned: [], leftOut: 0 };
  const walked = walkSources(request.root, named, { maxBytes: request.maxBytes });
  const sources = walked.files.slice(0, maxFiles);
  const { files } = scanFiles(sources, { severities: request.severities });
  const pathOf = (shown: string) => join(request.root, shown);
  return {
    files: files.map((f) => ({ path: pathOf(f.file), findings: f.findings })),
    scanned: sources.map((s) => pathOf(s.shown)),
    leftOut: walked.files.length - sources.length,
  };
}
