// Heap snapshot capture through the inspector protocol. Chunks from
// `HeapProfiler.addHeapSnapshotChunk` go straight to a temporary file beside the target
// (the snapshot is never held in memory) and the file is renamed into place only when
// the inspector says the snapshot is complete, so a cancelled or failed capture leaves
// nothing behind.
import { createWriteStream, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { abortError, InspectorSession, listTargets, parseInspectorAddress, type InspectorTarget } from './inspector';

export interface CaptureProgress {
  phase: 'connecting' | 'snapshotting' | 'writing' | 'done';
  /** Objects V8 has serialised so far, and the total it expects (from reportHeapSnapshotProgress). */
  done: number;
  total: number;
  bytesWritten: number;
}

export interface CaptureOptions {
  /** HOST:PORT of the inspector (default 127.0.0.1:9229). */
  address?: string;
  /** Which target when the inspector lists several (default: the first). */
  targetId?: string;
  outFile: string;
  onProgress?: (progress: CaptureProgress) => void;
  signal?: AbortSignal;
}

export interface CaptureResult {
  file: string;
  bytes: number;
  target: InspectorTarget;
  durationMs: number;
}

function pickTarget(targets: InspectorTarget[], address: string, targetId?: string): InspectorTarget {
  if (targets.length === 0) throw new Error(`the inspector on ${address} lists no targets`);
  if (!targetId) return targets[0]!;
  const found = targets.find((t) => t.id === targetId);
  if (!found) throw new Error(`the inspector on ${address} has no target ${targetId} (it has ${targets.map((t) => t.id).join(', ')})`);
  return found;
}

export async function captureHeapSnapshot(options: CaptureOptions): Promise<CaptureResult> {
  const started = Date.now();
  const hostPort = parseInspectorAddress(options.address);
  const label = `${hostPort.host}:${hostPort.port}`;
  const { signal, onProgress } = options;
  const progress: CaptureProgress = { phase: 'connecting', done: 0, total: 0, bytesWritten: 0 };
  const report = (): void => onProgress?.({ ...progress });
  report();
  if (signal?.aborted) throw abortError();

  const target = pickTarget(await listTargets(hostPort, 3000, signal), label, options.targetId);
  await fsp.mkdir(dirname(options.outFile), { recursive: true });
  const partial = join(dirname(options.outFile), `.${basename(options.outFile)}.${process.pid}.${Date.now()}.partial`);
  const out = createWriteStream(partial);
  let session: InspectorSession | undefined;
  let writeError: Error | undefined;
  out.on('error', (err) => {
    writeError = err;
    session?.close(new Error(`cannot write ${options.outFile}: ${err.message}`));
  });

  const onEvent = (method: string, params: Record<string, unknown>): void => {
    if (method === 'HeapProfiler.addHeapSnapshotChunk' && typeof params.chunk === 'string') {
      progress.phase = 'writing';
      progress.bytesWritten += Buffer.byteLength(params.chunk);
      // Backpressure: stop reading the socket until the disk catches up.
      if (!out.write(params.chunk)) {
        session?.pause();
        out.once('drain', () => session?.resume());
      }
      report();
    } else if (method === 'HeapProfiler.reportHeapSnapshotProgress') {
      progress.phase = progress.phase === 'connecting' ? 'snapshotting' : progress.phase;
      progress.done = Number(params.done) || 0;
      progress.total = Number(params.total) || 0;
      report();
    }
  };

  const onAbort = (): void => session?.close(abortError());
  try {
    session = await InspectorSession.connect(target, onEvent, signal);
    signal?.addEventListener('abort', onAbort, { once: true });
    progress.phase = 'snapshotting';
    report();
    await session.send('HeapProfiler.enable');
    // The reply to takeHeapSnapshot comes after the last chunk has been sent.
    await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: true });
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (writeError) throw writeError;
    if (progress.bytesWritten === 0) throw new Error(`the inspector on ${label} sent an empty snapshot`);
    await fsp.rename(partial, options.outFile);
  } catch (err) {
    out.destroy();
    await fsp.rm(partial, { force: true });
    if (signal?.aborted) throw abortError();
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    session?.close();
  }
  progress.phase = 'done';
  report();
  return { file: options.outFile, bytes: progress.bytesWritten, target, durationMs: Date.now() - started };
}

export type SeriesLabel = 'baseline' | 'target' | 'final';
export const SERIES_LABELS: readonly SeriesLabel[] = ['baseline', 'target', 'final'];

export interface SeriesOptions {
  address?: string;
  targetId?: string;
  outDir: string;
  /** File name prefix; files are `<prefix>-baseline.heapsnapshot` etc. */
  prefix: string;
  intervalMs: number;
  onProgress?: (label: SeriesLabel, index: number, progress: CaptureProgress) => void;
  /** Called while waiting between snapshots with the milliseconds left. */
  onWait?: (label: SeriesLabel, msLeft: number) => void;
  signal?: AbortSignal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Baseline, target and final snapshots `intervalMs` apart: the three-snapshot leak check
 * looks for objects allocated between baseline and target that are still alive in final.
 * A cancelled series removes the snapshots it had already written.
 */
export async function captureSeries(options: SeriesOptions): Promise<CaptureResult[]> {
  const results: CaptureResult[] = [];
  try {
    for (const [index, label] of SERIES_LABELS.entries()) {
      if (index > 0) {
        const until = Date.now() + options.intervalMs;
        while (Date.now() < until) {
          options.onWait?.(label, until - Date.now());
          await sleep(Math.min(1000, until - Date.now()), options.signal);
        }
      }
      results.push(
        await captureHeapSnapshot({
          address: options.address,
          targetId: options.targetId,
          outFile: join(options.outDir, `${options.prefix}-${label}.heapsnapshot`),
          onProgress: (p) => options.onProgress?.(label, index, p),
          signal: options.signal,
        }),
      );
    }
  } catch (err) {
    if (options.signal?.aborted) await Promise.all(results.map((r) => fsp.rm(r.file, { force: true })));
    throw err;
  }
  return results;
}
