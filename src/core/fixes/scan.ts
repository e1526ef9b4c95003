// Scanning a folder tree with the rules (the files walk.ts picks), their findings, and
// fixing them in place one file at a time, each write checked and atomic (safeWrite.ts).
// Shared by `forensics fixes scan` and the extension's workspace scan.
import { readFileSync } from 'node:fs';
import { analyze, fixAll, type AnalyzeOptions } from './index';
import { unifiedDiff } from './edits';
import { writeFileSafely } from './safeWrite';
import type { Finding } from './types';
import { walkSources, type SkippedPath, type SourceFile, type WalkOptions } from './walk';

export type { SkippedPath } from './walk';

export interface FileFindings {
  /** Path relative to the command's folder, with forward slashes. */
  readonly file: string;
  /** The real path behind it (what `--fix` writes). */
  readonly real: string;
  readonly findings: Finding[];
}

export interface ScanResult {
  readonly files: FileFindings[];
  readonly filesScanned: number;
  /** Paths left out by the walk, with the reason (ignored, too big, symlink out of the tree…). */
  readonly skipped: SkippedPath[];
  /** Files that were meant to be scanned but could not be read or parsed. */
  readonly unparsable: SkippedPath[];
  readonly boundaries: readonly string[];
}

export function scanFiles(sources: readonly SourceFile[], options: AnalyzeOptions): { files: FileFindings[]; unparsable: SkippedPath[] } {
  const files: FileFindings[] = [];
  const unparsable: SkippedPath[] = [];
  for (const { shown, real } of sources) {
    try {
      const findings = analyze(readFileSync(real, 'utf8'), real, options);
      if (findings.length) files.push({ file: shown, real, findings });
    } catch (err) {
      unparsable.push({ file: shown, reason: (err as Error).message.replace(real, shown).split('\n')[0] });
    }
  }
  return { files, unparsable };
}

export function scan(root: string, paths: readonly string[], options: AnalyzeOptions = {}, walk: WalkOptions = {}): ScanResult {
  const { files: sources, skipped, boundaries } = walkSources(root, paths, walk);
  const { files, unparsable } = scanFiles(sources, options);
  return { files, filesScanned: sources.length - unparsable.length, skipped, unparsable, boundaries };
}

export type FileFix =
  | { readonly file: string; readonly written: true; readonly diff: string; readonly applied: Finding[] }
  | { readonly file: string; readonly written: false; readonly reason: string; readonly applied: Finding[] };

/**
 * Applies every preferred fix in the files that have findings, file by file: a file that
 * cannot be written is reported and the others are still fixed, so the caller can say
 * exactly which were changed.
 */
export function fixInPlace(result: ScanResult, options: AnalyzeOptions = {}): FileFix[] {
  const out: FileFix[] = [];
  for (const { file, real } of result.files) {
    let before: string;
    try {
      before = readFileSync(real, 'utf8');
    } catch (err) {
      out.push({
        file,
        written: false,
        reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        applied: [],
      });
      continue;
    }
    const { text, applied } = fixAll(before, real, options);
    if (text === before) continue;
    try {
      writeFileSafely(real, text, result.boundaries);
      out.push({ file, written: true, diff: unifiedDiff(file, before, text), applied });
    } catch (err) {
      out.push({ file, written: false, reason: (err as Error).message, applied });
    }
  }
  return out;
}
