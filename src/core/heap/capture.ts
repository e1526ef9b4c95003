// Heap snapshot capture through the inspector protocol. Chunks from
// `HeapProfiler.addHeapSnapshotChunk` go straight to a temporary file beside the target
// (the snapshot is never held in memory) and the file is renamed into place only when
// the inspector says the snapshot is complete, so a cancelled or failed capture leaves
// nothing behind.
import { createWriteStream, promises as fsp, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { abortError } from './cancel';
import { InspectorSession, listTargets, parseInspectorAddress, type InspectorSessionOptions, type InspectorTarget } from './inspector';

/** How long a snapshot may go without a byte or a progress report before it counts as stalled. */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

export interface CaptureTimeouts extends InspectorSessionOptions {
  /**
   * The longest silence from the inspector while a snapshot is in flight (default 60 s).
   * Not a deadline for the whole snapshot, which takes minutes on a big heap: any chunk or
   * progress report restarts the clock. A target stopped (SIGSTOP) or hung stalls it.
   */
  stallTimeoutMs?: number;
}

/**
 * Partial files being written in this process. A process that exits without the capture's
 * own clean-up (a second Ctrl-C, process.exit) still removes them, synchronously on 'exit'.
 */
const livePartials = new Set<string>();
const removeLivePartials = (): void => {
  for (const file of livePartials) rmSync(file, { force: true });
};
function trackPartial(file: string): void {
  if (livePartials.size === 0) process.on('exit', removeLivePartials);
  livePartials.add(file);
}
function untrackPartial(file: string): void {
  livePartials.delete(file);
  if (livePartials.size === 0) process.off('exit', removeLivePartials);
}

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
  /** Bounds on the inspector's silence; every command and the chunk stream have defaults. */
  timeouts?: CaptureTimeouts;
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

/**
 * One inspector session for one or more snapshots. V8 keeps object ids stable only while
 * the heap profiler stays enabled, i.e. within one session: snapshots meant to be
 * compared object by object (a series) must come from the same HeapCapturer.
 *
 * A snapshot that has started is never cut off by closing the connection: V8 cannot stop
 * one midway, and a Node 20 target dropped mid-snapshot was seen to die with SIGSEGV (one
 * cancel in ~40). A cancelled or failed snapshot is therefore abandoned: its file is removed
 * and the caller gets the error at once, while the session keeps reading (and dropping)
 * chunks until V8 answers; only then does `close()` disconnect.
 */
export class HeapCapturer {
  private onChunk: ((chunk: string) => void) | undefined;
  private onReport: ((done: number, total: number) => void) | undefined;
  private session!: InspectorSession;
  /** The snapshot V8 is still producing, if any; settles when V8 has answered. */
  private inFlight: Promise<void> | undefined;
  /** The socket is paused for backpressure: silence is then ours, not the target's. */
  private paused = false;

  private constructor(
    readonly target: InspectorTarget,
    readonly label: string,
    private readonly stallTimeoutMs: number,
  ) {}

  static async open(
    address: string | undefined,
    targetId?: string,
    signal?: AbortSignal,
    timeouts: CaptureTimeouts = {},
  ): Promise<HeapCapturer> {
    const hostPort = parseInspectorAddress(address);
    const label = `${hostPort.host}:${hostPort.port}`;
    const target = pickTarget(await listTargets(hostPort, 3000, signal), label, targetId);
    const capturer = new HeapCapturer(target, label, timeouts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS);
    capturer.session = await InspectorSession.connect(
      target,
      (method, params) => {
        if (method === 'HeapProfiler.addHeapSnapshotChunk' && typeof params.chunk === 'string') capturer.onChunk?.(params.chunk);
        else if (method === 'HeapProfiler.reportHeapSnapshotProgress')
          capturer.onReport?.(Number(params.done) || 0, Number(params.total) || 0);
      },
      signal,
      timeouts,
    );
    try {
      await capturer.session.send('HeapProfiler.enable');
    } catch (err) {
      capturer.session.close();
      throw new Error(`${(err as Error).message.replace(/^the inspector/, `the inspector on ${label}`)}`, { cause: err });
    }
    return capturer;
  }

  private settled(): void {
    this.inFlight = undefined;
    this.onChunk = undefined;
    this.onReport = undefined;
  }

  /** Disconnects once no snapshot is in flight; resolves when the connection is closed. */
  async close(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    this.session.close();
  }

  /** Takes one snapshot into `outFile`; on failure or cancellation no file is left. */
  async take(outFile: string, onProgress?: (p: CaptureProgress) => void, signal?: AbortSignal): Promise<CaptureResult> {
    while (this.inFlight) await this.inFlight;
    const started = Date.now();
    const progress: CaptureProgress = { phase: 'snapshotting', done: 0, total: 0, bytesWritten: 0 };
    const report = (): void => onProgress?.({ ...progress });
    if (signal?.aborted) throw abortError();
    await fsp.mkdir(dirname(outFile), { recursive: true });
    const partial = join(dirname(outFile), `.${basename(outFile)}.${process.pid}.${Date.now()}.partial`);
    trackPartial(partial);
    const out = createWriteStream(partial);
    const resume = (): void => {
      this.paused = false;
      this.session.lastMessageAt = Date.now();
      this.session.resume();
    };

    // The first failure (cancel or write error) abandons the file; later chunks are dropped.
    let abandoned: Error | undefined;
    let rejectAbandoned!: (err: Error) => void;
    const whenAbandoned = new Promise<never>((_resolve, reject) => (rejectAbandoned = reject));
    whenAbandoned.catch(() => undefined);
    const abandon = (err: Error): void => {
      if (abandoned) return;
      abandoned = err;
      out.destroy();
      rejectAbandoned(err);
    };
    out.on('error', (err) => abandon(new Error(`cannot write ${outFile}: ${err.message}`)));
    this.onChunk = (chunk) => {
      if (abandoned) return;
      progress.phase = 'writing';
      progress.bytesWritten += Buffer.byteLength(chunk);
      // Backpressure: stop reading the socket until the disk catches up.
      if (!out.write(chunk)) {
        this.paused = true;
        this.session.pause();
        out.once('drain', resume);
      }
      report();
    };
    this.onReport = (done, total) => {
      if (abandoned) return;
      progress.done = done;
      progress.total = total;
      report();
    };
    const onAbort = (): void => abandon(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    report();
    // The reply to takeHeapSnapshot comes after the last chunk has been sent. No deadline on
    // it (a big heap takes minutes); the watchdog below bounds the silence instead.
    this.session.lastMessageAt = Date.now();
    const snapshot = this.session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: true }, 0);
    const watchdog = setInterval(
      () => {
        if (this.paused || Date.now() - this.session.lastMessageAt <= this.stallTimeoutMs) return;
        if (!abandoned) {
          // First silence: the capture fails now (no file kept) and the drain goes on, so a
          // target that wakes up finishes its snapshot before the disconnect.
          abandon(
            new Error(
              `the inspector on ${this.label} sent nothing for ${Math.round(this.stallTimeoutMs / 1000)} s during the snapshot (is the process stopped, e.g. by SIGSTOP, or hung?); no file was kept`,
            ),
          );
          this.session.lastMessageAt = Date.now();
        } else {
          // Silent through the drain too: disconnect rather than wait for ever.
          this.session.close(new Error(`the inspector on ${this.label} stayed silent; disconnected`));
        }
      },
      Math.max(10, Math.min(1000, this.stallTimeoutMs / 4)),
    );
    // Until V8 answers, chunks keep coming (dropped once abandoned) and close() waits.
    this.inFlight = snapshot
      .then(
        () => this.settled(),
        () => this.settled(),
      )
      .finally(() => clearInterval(watchdog));
    try {
      await Promise.race([snapshot, whenAbandoned]);
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      if (abandoned) throw abandoned;
      if (progress.bytesWritten === 0) throw new Error(`the inspector on ${this.label} sent an empty snapshot`);
      await fsp.rename(partial, outFile);
    } catch (err) {
      abandon(err as Error);
      await fsp.rm(partial, { force: true });
      if (signal?.aborted) throw abortError();
      throw err;
    } finally {
      untrackPartial(partial);
      signal?.removeEventListener('abort', onAbort);
      // A pause for backpressure must not outlive this snapshot: the next one needs the socket.
      out.off('drain', resume);
      resume();
    }
    progress.phase = 'done';
    report();
    return { file: outFile, bytes: progress.bytesWritten, target: this.target, durationMs: Date.now() - started };
  }
}

export async function captureHeapSnapshot(options: CaptureOptions): Promise<CaptureResult> {
  options.onProgress?.({ phase: 'connecting', done: 0, total: 0, bytesWritten: 0 });
  if (options.signal?.aborted) throw abortError();
  const capturer = await HeapCapturer.open(options.address, options.targetId, options.signal, options.timeouts);
  try {
    return await capturer.take(options.outFile, options.onProgress, options.signal);
  } finally {
    // Not awaited: after a cancel the caller hears at once; the session closes when V8 is done.
    void capturer.close();
  }
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
  /** Runs before each snapshot is taken (after the wait): a load step, say. */
  beforeSnapshot?: (label: SeriesLabel) => Promise<void>;
  /** Called while waiting between snapshots with the milliseconds left. */
  onWait?: (label: SeriesLabel, msLeft: number) => void;
  signal?: AbortSignal;
  timeouts?: CaptureTimeouts;
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
 * All three come from one inspector session so object ids match. A cancelled series
 * removes the snapshots it had already written.
 */
export async function captureSeries(options: SeriesOptions): Promise<CaptureResult[]> {
  const results: CaptureResult[] = [];
  const capturer = await HeapCapturer.open(options.address, options.targetId, options.signal, options.timeouts);
  try {
    for (const [index, label] of SERIES_LABELS.entries()) {
      if (index > 0) {
        const until = Date.now() + options.intervalMs;
        while (Date.now() < until) {
          options.onWait?.(label, until - Date.now());
          await sleep(Math.min(1000, until - Date.now()), options.signal);
        }
      }
      await options.beforeSnapshot?.(label);
      const file = join(options.outDir, `${options.prefix}-${label}.heapsnapshot`);
      results.push(await capturer.take(file, (p) => options.onProgress?.(label, index, p), options.signal));
    }
  } catch (err) {
    if (options.signal?.aborted) await Promise.all(results.map((r) => fsp.rm(r.file, { force: true })));
    throw err;
  } finally {
    void capturer.close();
  }
  return results;
}
