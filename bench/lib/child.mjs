// Runs one bench file in this process (started by bench/run.mjs with tsx loaded) and
// writes its report as one JSON line after a marker, so the bench may log freely.
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
const mod = await import(pathToFileURL(file).href);
const run = mod.run ?? mod.default?.run;
if (typeof run !== 'function') throw new Error(`${file} must export run(): Promise<BenchReport>`);
const report = await run();
process.stdout.write(`\n@@bench-report@@${JSON.stringify(report)}\n`);
