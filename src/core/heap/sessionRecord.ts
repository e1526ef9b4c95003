// Which inspector session a snapshot came from. V8 numbers heap objects afresh in every
// inspector session (ids restart at 1 when the heap profiler is disabled), and the first
// snapshot of a session numbers the whole heap densely, so from the files alone a series
// of one session cannot always be told from snapshots of two runs of the same program.
// A series captured here therefore leaves `<prefix>.series.json` beside its snapshots:
// the session (a random id), the inspector target and each file's name and size. A file
// counts as recorded only while its size still matches (a later file of the same name is
// not the snapshot that was recorded).
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const SERIES_RECORD_SUFFIX = '.series.json';

export interface SeriesRecord {
  version: 1;
  session: string;
  /** The inspector target's id (one per process run) and title. */
  target: { id: string; title: string };
  capturedAt: string;
  snapshots: { file: string; label: string; bytes: number }[];
}

export interface RecordedSnapshot {
  file: string;
  label: string;
  bytes: number;
  target: { id: string; title: string };
}

/** Writes the record of a series captured in one inspector session; returns its path. */
export async function writeSeriesRecord(outDir: string, prefix: string, snapshots: RecordedSnapshot[]): Promise<string> {
  const target = snapshots[0]?.target ?? { id: '', title: '' };
  const record: SeriesRecord = {
    version: 1,
    session: randomUUID(),
    target: { id: target.id, title: target.title },
    capturedAt: new Date().toISOString(),
    snapshots: snapshots.map((s) => ({ file: basename(s.file), label: s.label, bytes: s.bytes })),
  };
  const file = join(outDir, `${prefix}${SERIES_RECORD_SUFFIX}`);
  await fsp.writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

function isRecord(value: unknown): value is SeriesRecord {
  const r = value as SeriesRecord;
  return typeof r === 'object' && r !== null && r.version === 1 && typeof r.session === 'string' && Array.isArray(r.snapshots);
}

/** Every readable series record in a folder (unreadable or foreign JSON is skipped). */
export async function readSeriesRecords(folder: string): Promise<{ path: string; record: SeriesRecord }[]> {
  let names: string[];
  try {
    names = await fsp.readdir(folder);
  } catch {
    return [];
  }
  const out: { path: string; record: SeriesRecord }[] = [];
  for (const name of names.filter((n) => n.endsWith(SERIES_RECORD_SUFFIX))) {
    const path = join(folder, name);
    try {
      const record = JSON.parse(await fsp.readFile(path, 'utf8')) as unknown;
      if (isRecord(record)) out.push({ path, record });
    } catch {
      // A half-written or hand-edited record is no evidence either way.
    }
  }
  return out;
}

/** The recorded session of each file, or undefined where no record names it at its current size. */
export async function recordedSessions(files: string[]): Promise<(string | undefined)[]> {
  const byFolder = new Map<string, Promise<{ record: SeriesRecord }[]>>();
  return Promise.all(
    files.map(async (file) => {
      const folder = dirname(file);
      if (!byFolder.has(folder)) byFolder.set(folder, readSeriesRecords(folder));
      const records = await byFolder.get(folder)!;
      let size: number;
      try {
        size = (await fsp.stat(file)).size;
      } catch {
        return undefined;
      }
      const name = basename(file);
      return records.find((r) => r.record.snapshots.some((s) => s.file === name && s.bytes === size))?.record.session;
    }),
  );
}
