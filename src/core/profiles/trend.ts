// Is memory growing? A least-squares line through the heap samples, judged on the heap
// *after collections*: allocation churn makes the used heap climb between collections and
// fall at each one (a sawtooth), so the samples right after a fall are the baseline, and
// only a rising baseline is growth.
//
// Thresholds, and why:
// - DROP_MIN_BYTES (256 KB): a fall smaller than this between two samples is the heap's own
//   jitter (lazy compilation, inline caches), not a collection worth counting.
// - GROWTH_MIN_BYTES (2 MB) and GROWTH_MIN_FRACTION (10%): the baseline of an idle Node 20
//   process wanders by well under 1 MB over a minute, and V8's young generation (semi-spaces
//   up to 16 MB on 64-bit) makes churn teeth of several MB; growth must beat both the
//   absolute floor and a tenth of the heap, so a big heap's noise is not a leak either.
// - MIN_FIT_R2 (0.5): the line must explain the baseline (steady growth), not one jump.
// - Sawtooth: at least two counted falls and a swing of at least the same 2 MB / 10%.
export const DROP_MIN_BYTES = 256 * 1024;
export const GROWTH_MIN_BYTES = 2 * 1024 * 1024;
export const GROWTH_MIN_FRACTION = 0.1;
export const MIN_FIT_R2 = 0.5;
const MB = 1024 * 1024;

export interface MemorySample {
  /** Milliseconds since the watch started. */
  tMs: number;
  usedBytes: number;
  totalBytes: number;
  /** Resident set size, when the target is Node (read with process.memoryUsage.rss()). */
  rssBytes?: number;
}

export type TrendVerdict = 'steady-growth' | 'sawtooth' | 'flat' | 'inconclusive';

export interface MemoryTrend {
  verdict: TrendVerdict;
  /** The verdict with its numbers, in words. */
  summary: string;
  /** Slope of the baseline (heap used after collections), MB per minute: what the verdict and a CI gate judge. */
  slopeMBPerMin: number;
  /** Slope through every sample, MB per minute. */
  rawSlopeMBPerMin: number;
  r2: number;
  rssSlopeMBPerMin?: number;
  durationS: number;
  samples: number;
  firstUsedMB: number;
  lastUsedMB: number;
  minUsedMB: number;
  maxUsedMB: number;
  /** Collections seen as falls of the used heap between samples (several within one interval count once). */
  gc: { falls: number; freedMB: number };
}

export function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  if (n < 2) return { slope: 0, intercept: ys[0] ?? 0, r2: 0 };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r2 = sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

const r1 = (n: number): number => Math.round(n * 10) / 10;
const r2d = (n: number): number => Math.round(n * 100) / 100;

export function judgeTrend(samples: readonly MemorySample[]): MemoryTrend {
  const used = samples.map((s) => s.usedBytes);
  const minutes = samples.map((s) => s.tMs / 60000);
  const durationS = samples.length ? (samples[samples.length - 1].tMs - samples[0].tMs) / 1000 : 0;
  // The baseline: each sample right after a fall (with fewer than three falls, every sample).
  const baseline: number[] = [];
  let falls = 0;
  let freed = 0;
  for (let i = 1; i < samples.length; i++) {
    const drop = used[i - 1] - used[i];
    if (drop >= DROP_MIN_BYTES) {
      falls++;
      freed += drop;
      baseline.push(i);
    }
  }
  const base = baseline.length >= 3 ? baseline : samples.map((_, i) => i);
  const fit = leastSquares(
    base.map((i) => minutes[i]),
    base.map((i) => used[i] / MB),
  );
  const raw = leastSquares(
    minutes,
    used.map((u) => u / MB),
  );
  const rss = samples.every((s) => s.rssBytes !== undefined)
    ? leastSquares(
        minutes,
        samples.map((s) => s.rssBytes! / MB),
      )
    : undefined;
  const min = Math.min(...used);
  const max = Math.max(...used);
  const mean = used.reduce((a, b) => a + b, 0) / (used.length || 1);
  const growthBytes = fit.slope * (durationS / 60) * MB;
  const floor = Math.max(GROWTH_MIN_BYTES, GROWTH_MIN_FRACTION * used[base[0]]);
  const swingFloor = Math.max(GROWTH_MIN_BYTES, GROWTH_MIN_FRACTION * mean);
  let verdict: TrendVerdict;
  if (samples.length < 3 || durationS <= 0) verdict = 'inconclusive';
  else if (growthBytes >= floor && fit.r2 >= MIN_FIT_R2) verdict = 'steady-growth';
  else if (falls >= 2 && max - min >= swingFloor) verdict = 'sawtooth';
  else verdict = 'flat';
  const numbers = `${r2d(fit.slope)} MB/min over ${r1(durationS)} s, heap used ${r1(used[0] / MB)} → ${r1(used[used.length - 1] / MB)} MB (min ${r1(min / MB)}, max ${r1(max / MB)}), ${falls} collections seen freeing ${r1(freed / MB)} MB`;
  const summary = {
    'steady-growth': `steady growth: the heap after collections rises ${r1(growthBytes / MB)} MB (${numbers}; fit R² ${r2d(fit.r2)})`,
    sawtooth: `sawtooth that returns to baseline: ${falls} collections bring the heap back each time (${numbers})`,
    flat: `flat: no growth above ${r1(floor / MB)} MB (${numbers})`,
    inconclusive: `inconclusive: ${samples.length} samples over ${r1(durationS)} s are too few to judge; watch for longer`,
  }[verdict];
  return {
    verdict,
    summary,
    slopeMBPerMin: r2d(fit.slope),
    rawSlopeMBPerMin: r2d(raw.slope),
    r2: r2d(fit.r2),
    rssSlopeMBPerMin: rss ? r2d(rss.slope) : undefined,
    durationS: r1(durationS),
    samples: samples.length,
    firstUsedMB: r1((used[0] ?? 0) / MB),
    lastUsedMB: r1((used[used.length - 1] ?? 0) / MB),
    minUsedMB: r1((samples.length ? min : 0) / MB),
    maxUsedMB: r1((samples.length ? max : 0) / MB),
    gc: { falls, freedMB: r1(freed / MB) },
  };
}
