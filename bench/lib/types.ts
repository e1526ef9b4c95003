// What a bench file exports, and small measuring helpers shared by every bench.
// A bench file (`bench/<name>.bench.ts`) exports `run(): Promise<BenchReport>`; the runner
// (bench/run.mjs) runs each in its own Node process (with --expose-gc) and prints the report.

export interface BenchTable {
  readonly title: string;
  /** One object per row; the keys of the first row are the columns. */
  readonly rows: readonly Record<string, string | number>[];
}

export interface BenchReport {
  readonly name: string;
  /** What was measured and on what, in a sentence. */
  readonly setup: string;
  readonly tables: readonly BenchTable[];
  /** Conclusions worth a line each ("indexed lookup is 4,200x faster than a linear scan"). */
  readonly summary: readonly string[];
}

export interface Timing {
  readonly runs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Times `fn` once per input after `warmup` untimed calls; high-resolution, in milliseconds. */
export function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown, warmup = Math.min(50, inputs.length)): Timing {
  for (let i = 0; i < warmup; i++) fn(inputs[i % inputs.length]);
  const samples: number[] = [];
  for (const input of inputs) {
    const start = process.hrtime.bigint();
    fn(input);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return {
    runs: samples.length,
    meanMs: samples.reduce((a, b) => a + b, 0) / samples.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: samples[samples.length - 1],
  };
}

/** Wall time of one (possibly async) call, in milliseconds. */
export async function timeOnce<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** A fixed-seed generator so every run measures the same workload. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ms = (n: number, digits = 3): string => `${n.toFixed(digits)} ms`;
export const us = (n: number): string => `${(n * 1000).toFixed(1)} µs`;
