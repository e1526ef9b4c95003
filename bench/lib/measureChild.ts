// The child side of a side-by-side measurement: each tool runs in its own process, so its
// peak RSS (maxRSS) is its own. The parent reads one line after MEASURE_MARK.
export const MEASURE_MARK = '@@measure@@';

/** Runs `perform` on this process's arguments and prints its time, peak RSS and detail for the parent. */
export function runMeasured(perform: (args: string[]) => Promise<string>): void {
  const start = performance.now();
  perform(process.argv.slice(2)).then(
    (detail) => {
      const ms = performance.now() - start;
      process.stdout.write(`\n${MEASURE_MARK}${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, detail })}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
      process.exit(1);
    },
  );
}
