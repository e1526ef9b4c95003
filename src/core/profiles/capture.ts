// Timed recordings over the inspector, never pausing the target: a CPU profile
// (`Profiler`) or allocation sampling (`HeapProfiler.startSampling`) for N seconds.
// The target only ever sees start/stop of its own profiler; on cancel the profiler is
// stopped and its data dropped, and a process that exits mid-profile is reported as
// such. The file is written only once the profile is complete (atomically).
import { abortError } from '../heap/cancel';
import type { InspectorTarget } from '../heap/inspector';
import { writeFileAtomic } from './atomicFile';
import { openRecordingSession, waitWhileConnected, type RecordingSession } from './session';
import type { CpuProfile, SamplingHeapProfile } from './types';

/** Longest recording: ten minutes. Longer windows are better served by several profiles. */
export const MAX_SECONDS = 600;
/**
 * V8 keeps every CPU sample in the target until the profile stops (one node id and one
 * time delta each, ~10 bytes of JSON): 600,000 samples are ~6 MB plus the call tree. The
 * interval is raised when a long window at the asked interval would exceed that.
 */
export const MAX_CPU_SAMPLES = 600_000;
/** V8's and DevTools' default CPU sampling interval. */
export const DEFAULT_CPU_INTERVAL_US = 1000;
/** V8's default: one sample per 32 KB allocated on average (Poisson). */
export const DEFAULT_ALLOC_INTERVAL_BYTES = 32 * 1024;

export interface RecordOptions {
  /** HOST:PORT of the inspector. */
  address?: string;
  targetId?: string;
  seconds: number;
  outFile: string;
  signal?: AbortSignal;
  /** Seconds left, about once a second. */
  onTick?: (secondsLeft: number) => void;
}

export interface RecordResult {
  file: string;
  bytes: number;
  target: InspectorTarget;
  durationMs: number;
  /** What was actually asked of V8 (after any adjustment), said to the user. */
  settings: Record<string, number | boolean>;
  notes: string[];
}

/**
 * The finest intervals allowed: each sample interrupts the target, so a CPU interval below
 * 100 µs (DevTools' finest) or an allocation interval below 1 KB (most allocations sampled)
 * would slow the very process being observed.
 */
export const MIN_CPU_INTERVAL_US = 100;
export const MIN_ALLOC_INTERVAL_BYTES = 1024;

export function checkSeconds(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`the recording needs a duration in seconds above 0, got ${seconds}`);
  if (seconds > MAX_SECONDS)
    throw new Error(`--seconds ${seconds} exceeds the ${MAX_SECONDS} s cap (10 minutes); record several shorter profiles instead`);
}

/** The CPU sampling interval that keeps a recording within MAX_CPU_SAMPLES. */
export function cpuIntervalFor(seconds: number, askedUs = DEFAULT_CPU_INTERVAL_US): number {
  return Math.max(askedUs, Math.ceil((seconds * 1e6) / MAX_CPU_SAMPLES));
}

interface Recorder<T> {
  start(session: RecordingSession): Promise<void>;
  stop(session: RecordingSession): Promise<T>;
  /** Stops without keeping anything, best effort (the connection may be gone). */
  discard(session: RecordingSession): Promise<void>;
}

async function record<T>(
  options: RecordOptions,
  recorder: Recorder<T>,
): Promise<{ profile: T; target: InspectorTarget; durationMs: number }> {
  checkSeconds(options.seconds);
  if (options.signal?.aborted) throw abortError();
  const session = await openRecordingSession(options.address, options.targetId, options.signal);
  const started = Date.now();
  try {
    try {
      await recorder.start(session);
      await waitWhileConnected(options.seconds * 1000, session, options.signal, (ms) => options.onTick?.(Math.ceil(ms / 1000)));
      const profile = await recorder.stop(session);
      return { profile, target: session.target, durationMs: Date.now() - started };
    } catch (err) {
      if (options.signal?.aborted) {
        await recorder.discard(session).catch(() => undefined);
        throw abortError();
      }
      const lost = session.lostReason();
      if (lost)
        throw new Error(`${lost.message} ${((Date.now() - started) / 1000).toFixed(1)} s into the recording; nothing was written`, {
          cause: err,
        });
      throw err;
    }
  } finally {
    session.close();
  }
}

export async function captureCpuProfile(options: RecordOptions & { intervalUs?: number }): Promise<RecordResult & { samples: number }> {
  const asked = options.intervalUs ?? DEFAULT_CPU_INTERVAL_US;
  if (asked < MIN_CPU_INTERVAL_US)
    throw new Error(
      `a CPU sampling interval of ${asked} µs would slow the process down; use ${MIN_CPU_INTERVAL_US} µs or more (V8's default is ${DEFAULT_CPU_INTERVAL_US})`,
    );
  const intervalUs = cpuIntervalFor(options.seconds, asked);
  const notes =
    intervalUs > asked
      ? [`sampling every ${intervalUs} µs instead of ${asked} µs to keep ${options.seconds} s under ${MAX_CPU_SAMPLES} samples`]
      : [];
  const { profile, target, durationMs } = await record<CpuProfile>(options, {
    async start(s) {
      await s.call('Profiler.enable');
      // Must precede start; V8 rejects a change while a profile of this session records.
      await s.call('Profiler.setSamplingInterval', { interval: intervalUs });
      await s.call('Profiler.start');
    },
    async stop(s) {
      const { profile } = await s.call<{ profile: CpuProfile }>('Profiler.stop');
      await s.call('Profiler.disable').catch(() => undefined);
      return profile;
    },
    async discard(s) {
      await s.call('Profiler.stop', {}, 5000);
      await s.call('Profiler.disable', {}, 5000);
    },
  });
  const bytes = await writeFileAtomic(options.outFile, JSON.stringify(profile));
  return { file: options.outFile, bytes, target, durationMs, samples: profile.samples?.length ?? 0, settings: { intervalUs }, notes };
}

export async function captureAllocationProfile(
  options: RecordOptions & { intervalBytes?: number; stackDepth?: number },
): Promise<RecordResult & { samples: number }> {
  const samplingInterval = options.intervalBytes ?? DEFAULT_ALLOC_INTERVAL_BYTES;
  if (samplingInterval < MIN_ALLOC_INTERVAL_BYTES)
    throw new Error(
      `an allocation sampling interval of ${samplingInterval} bytes would sample most allocations and slow the process down; use ${MIN_ALLOC_INTERVAL_BYTES} or more (V8's default is ${DEFAULT_ALLOC_INTERVAL_BYTES})`,
    );
  const settings = {
    samplingInterval,
    stackDepth: options.stackDepth ?? 128,
    includeObjectsCollectedByMajorGC: false,
    includeObjectsCollectedByMinorGC: false,
  };
  const { profile, target, durationMs } = await record<SamplingHeapProfile>(options, {
    async start(s) {
      // Both include… flags false (V8's default, said explicitly): objects collected while
      // sampling are dropped, so what the profile keeps is what survived.
      await s.call('HeapProfiler.startSampling', settings);
    },
    async stop(s) {
      // One full collection first, as a heap snapshot does: without it, garbage not yet
      // collected would still count as alive.
      await s.call('HeapProfiler.collectGarbage');
      try {
        const { profile } = await s.call<{ profile: SamplingHeapProfile }>('HeapProfiler.stopSampling');
        return profile;
      } catch (err) {
        // The sampling heap profiler is one per isolate: another session (DevTools, a debugger) can stop it under us.
        if (/not started/i.test((err as Error).message))
          throw new Error(
            `another inspector session stopped the allocation sampling of ${s.label} (V8 has one sampling heap profiler per process); close DevTools or the debugger's memory tool and record again`,
            { cause: err },
          );
        throw err;
      }
    },
    async discard(s) {
      await s.call('HeapProfiler.stopSampling', {}, 5000);
    },
  });
  const bytes = await writeFileAtomic(options.outFile, JSON.stringify(profile));
  return { file: options.outFile, bytes, target, durationMs, samples: profile.samples?.length ?? 0, settings, notes: [] };
}
