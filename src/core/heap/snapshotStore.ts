// The folder snapshots are kept in (the extension's storage or a configured one, never the
// user's repository): what is there, with sizes, grouped by series; deleting snapshots with
// their series records; and a retention limit that removes the oldest captures first.
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { readSeriesRecords, SERIES_RECORD_SUFFIX } from './sessionRecord';

export interface StoredSnapshot {
  file: string;
  bytes: number;
  modifiedMs: number;
  /** The series record that names this file, if any. */
  series?: string;
}

/** Snapshots in `folder`, newest first (partial files of a capture in progress are left out). */
export async function listStoredSnapshots(folder: string): Promise<StoredSnapshot[]> {
  let names: string[];
  try {
    names = await fsp.readdir(folder);
  } catch {
    return [];
  }
  const records = await readSeriesRecords(folder);
  const seriesOf = new Map<string, string>();
  for (const { path, record } of records) for (const s of record.snapshots) seriesOf.set(s.file, path);
  const out: StoredSnapshot[] = [];
  for (const name of names) {
    if (!name.endsWith('.heapsnapshot') || name.startsWith('.')) continue;
    const file = join(folder, name);
    try {
      const st = await fsp.stat(file);
      if (st.isFile()) out.push({ file, bytes: st.size, modifiedMs: st.mtimeMs, series: seriesOf.get(name) });
    } catch {
      // Deleted meanwhile.
    }
  }
  return out.sort((a, b) => b.modifiedMs - a.modifiedMs);
}

/** The newest series whose snapshots are all still there, oldest file first. */
export async function latestSeries(folder: string): Promise<string[] | undefined> {
  const stored = await listStoredSnapshots(folder);
  const newest = stored.find((s) => s.series);
  if (!newest) return undefined;
  const files = stored.filter((s) => s.series === newest.series).reverse();
  return files.length >= 2 ? files.map((s) => s.file) : undefined;
}

/** Deletes snapshot files and the series records none of whose files remain; returns the bytes freed. */
export async function deleteSnapshots(folder: string, files: string[]): Promise<number> {
  let freed = 0;
  for (const file of files) {
    try {
      freed += (await fsp.stat(file)).size;
      await fsp.rm(file, { force: true });
    } catch {
      // Already gone.
    }
  }
  const remaining = new Set((await listStoredSnapshots(folder)).map((s) => basename(s.file)));
  for (const { path, record } of await readSeriesRecords(folder)) {
    if (path.endsWith(SERIES_RECORD_SUFFIX) && !record.snapshots.some((s) => remaining.has(s.file))) await fsp.rm(path, { force: true });
  }
  return freed;
}

/**
 * Keeps the newest `keep` snapshots (a series counts as its files) and deletes the rest,
 * never one of `protect` (the capture just made). Returns the files deleted.
 */
export async function applyRetention(folder: string, keep: number, protect: string[] = []): Promise<string[]> {
  const stored = await listStoredSnapshots(folder);
  const spare = new Set(protect);
  const old = stored
    .slice(Math.max(0, keep))
    .filter((s) => !spare.has(s.file))
    .map((s) => s.file);
  if (old.length) await deleteSnapshots(folder, old);
  return old;
}
