// Watching a process's memory over the inspector, read-only: every interval,
// `Runtime.getHeapUsage` (V8's used and total heap) and the resident set size from
// `process.memoryUsage.rss()` (a read of the OS counter, no allocation in the target's
// heap to speak of, no state changed). No profiler is started, nothing is paused.
import { abortError } from '../heap/cancel';
import type { InspectorTarget } from '../heap/inspector';
import { checkSeconds } from './capture';
import { openRecordingSession, waitWhileConnected, type RecordingSession } from './session';
import { judgeTrend, type MemorySample, type MemoryTrend } from './trend';

export interface WatchOptions {
  address?: string;
  targetId?: string;
  seconds: number;
  /** Default 1000 ms. */
  intervalMs?: number;
  signal?: AbortSignal;
  onSample?: (sample: MemorySample) => void;
}

export interface WatchResult {
  target: InspectorTarget;
  samples: MemorySample[];
  trend: MemoryTrend;
  notes: string[];
}

const RSS_EXPRESSION =
  "typeof process === 'object' && process && typeof process.memoryUsage === 'function' && typeof process.memoryUsage.rss === 'function' ? process.memoryUsage.rss() : undefined";

async function sampleOnce(session: RecordingSession, startedAt: number): Promise<MemorySample> {
  const [heap, rss] = await Promise.all([
    session.call<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage'),
    session
      .call<{ result?: { value?: unknown } }>('Runtime.evaluate', { expression: RSS_EXPRESSION, returnByValue: true, silent: true })
      .catch(() => undefined),
  ]);
  const rssValue = rss?.result?.value;
  return {
    tMs: Date.now() - startedAt,
    usedBytes: heap.usedSize,
    totalBytes: heap.totalSize,
    rssBytes: typeof rssValue === 'number' ? rssValue : undefined,
  };
}

export async function watchMemory(options: WatchOptions): Promise<WatchResult> {
  checkSeconds(options.seconds);
  const intervalMs = Math.max(100, options.intervalMs ?? 1000);
  if (options.signal?.aborted) throw abortError();
  const session = await openRecordingSession(options.address, options.targetId, options.signal);
  const samples: MemorySample[] = [];
  const notes: string[] = [];
  const startedAt = Date.now();
  const until = startedAt + options.seconds * 1000;
  try {
    for (;;) {
      try {
        const sample = await sampleOnce(session, startedAt);
        samples.push(sample);
        options.onSample?.(sample);
        const left = until - Date.now();
        if (left <= 0) break;
        await waitWhileConnected(Math.min(intervalMs, left), session, options.signal);
      } catch (err) {
        if (options.signal?.aborted) throw abortError();
        // The process went away: keep what was measured if it is enough to judge.
        if (samples.length < 3)
          throw new Error(`${(err as Error).message} after ${samples.length} samples; too few to judge a trend`, { cause: err });
        notes.push(`stopped after ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${(err as Error).message}`);
        break;
      }
    }
  } finally {
    session.close();
  }
  if (samples.some((s) => s.rssBytes === undefined))
    notes.push('RSS unknown: the target did not answer process.memoryUsage.rss() (not Node?)');
  return { target: session.target, samples, trend: judgeTrend(samples), notes };
}
