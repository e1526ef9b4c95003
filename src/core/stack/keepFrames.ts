// Which frames of a long trace to keep. Sentry keeps 50 frames per exception; a trace can
// hold thousands (deep recursion, a framework's middleware chain). The innermost frame is
// where it failed and the innermost in-app frames are where the application's code is, so
// those are kept first, then the remaining frames closest to the failure.

/** Frames kept per exception, as Sentry's SDKs keep. */
export const MAX_FRAMES_KEPT = 50;
/** Frames read per exception before only counting the rest (the outermost ones). */
export const MAX_FRAMES_READ = 5000;

/** Picks at most MAX_FRAMES_KEPT of `innermostFirst` in their order; `total` counts frames not even read. */
export function keepFrames<F extends { inApp?: boolean }>(innermostFirst: readonly F[], total = innermostFirst.length): F[] {
  if (total <= MAX_FRAMES_KEPT && innermostFirst.length <= MAX_FRAMES_KEPT) return [...innermostFirst];
  const keep = new Set<number>([0]);
  for (let i = 1; i < innermostFirst.length && keep.size < MAX_FRAMES_KEPT; i++) if (innermostFirst[i].inApp) keep.add(i);
  for (let i = 1; i < innermostFirst.length && keep.size < MAX_FRAMES_KEPT; i++) keep.add(i);
  return innermostFirst.filter((_, i) => keep.has(i));
}
