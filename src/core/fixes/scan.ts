// Scanning a folder tree with the rules: which files (JS/TS sources, not dependencies,
// build output or what .gitignore excludes), their findings, and fixing them in place.
// Shared by `forensics fixes scan` and the extension's workspace scan.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { analyze, fixAll, isAnalyzableFile, type AnalyzeOptions } from './index';
import { unifiedDiff } from './edits';
import type { Finding } from './types';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'coverage', '.next', '.nuxt', '.cache', 'vendor', 'bower_components']);
/** Bigger files are bundles or generated code, not something a person fixes by hand. */
const MAX_BYTES = 1_000_000;

export interface FileFindings {
  /** Path relative to the scanned root, with forward slashes. */
  readonly file: string;
  readonly findings: Finding[];
}

export interface ScanResult {
  readonly files: FileFindings[];
  readonly filesScanned: number;
  readonly unreadable: { file: string; reason: string }[];
}

/** A small .gitignore reader: names, `dir/`, `*` and `**` globs, anchored `/x`; negations are ignored. */
export function gitignoreMatcher(root: string): (relPath: string, isDir: boolean) => boolean {
  let lines: string[];
  try {
    lines = readFileSync(join(root, '.gitignore'), 'utf8').split(/\r?\n/);
  } catch {
    return () => false;
  }
  const rules = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('!')).map((pattern) => {
    const dirOnly = pattern.endsWith('/');
    const body = pattern.replace(/\/$/, '');
    const anchored = body.startsWith('/') || body.includes('/');
    const glob = body.replace(/^\//, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\/?/g, '\u{1}').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').split('\u{1}').join('(?:.*/)?');
    const regex = new RegExp(anchored ? `^${glob}$` : `(^|/)${glob}$`);
    return { regex, dirOnly };
  });
  return (relPath, isDir) => rules.some((r) => (!r.dirOnly || isDir) && r.regex.test(relPath));
}

/** The analysable files under `paths` (files or folders), skipping dependencies and ignored paths. */
export function sourceFiles(root: string, paths: readonly string[]): string[] {
  const ignored = gitignoreMatcher(root);
  const out: string[] = [];
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const full = join(p, name);
        let isDir: boolean;
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue; // a dangling link
        }
        if (isDir && (ALWAYS_SKIPPED.has(name) || name.startsWith('.'))) continue;
        if (ignored(rel(full), isDir)) continue;
        if (isDir) walk(full);
        else if (isAnalyzableFile(name) && !/\.min\.[cm]?js$/.test(name) && statSync(full).size <= MAX_BYTES) out.push(full);
      }
    } else if (isAnalyzableFile(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p);
  return [...new Set(out)];
}

export function scan(root: string, paths: readonly string[], options: AnalyzeOptions = {}): ScanResult {
  const files: FileFindings[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const all = sourceFiles(root, paths);
  for (const file of all) {
    const shown = relative(root, file).split(sep).join('/');
    try {
      const findings = analyze(readFileSync(file, 'utf8'), file, options);
      if (findings.length) files.push({ file: shown, findings });
    } catch (err) {
      unreadable.push({ file: shown, reason: (err as Error).message });
    }
  }
  return { files, filesScanned: all.length, unreadable };
}

export interface FileFix { readonly file: string; readonly diff: string; readonly applied: Finding[] }

/** Applies every preferred fix in the files that have findings; returns the diffs written. */
export function fixInPlace(root: string, result: ScanResult, options: AnalyzeOptions = {}): FileFix[] {
  const out: FileFix[] = [];
  for (const { file } of result.files) {
    const full = join(root, file);
    const before = readFileSync(full, 'utf8');
    const { text, applied } = fixAll(before, full, options);
    if (text === before) continue;
    writeFileSync(full, text);
    out.push({ file, diff: unifiedDiff(file, before, text), applied });
  }
  return out;
}
