// The heap worker-thread entries bundled as `npm run build` bundles them (esbuild.mjs), for
// tests and benchmarks that run the core from source but want the off-thread path.
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const HEAP_WORKERS = ['analyse', 'digest'];

/** Bundles the heap workers into `outdir` and returns it (pass it as `workerDir`). */
export async function bundleHeapWorkers(outdir: string): Promise<string> {
  await esbuild.build({
    entryPoints: HEAP_WORKERS.map((w) => join(__dirname, '..', '..', 'src', 'core', 'heap', `${w}.worker.ts`)),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir,
    logLevel: 'silent',
  });
  return outdir;
}
