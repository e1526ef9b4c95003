// Runs a comparison in a worker thread when the bundled worker is there (dist/workers,
// beside the extension and CLI bundles), and in this thread otherwise (unit tests run
// from source). Cancellation terminates the worker.
import { compareSnapshotFiles, type CompareStage } from './compare';
import type { HeapComparison } from './report';
import { bundledWorker, runWorker } from './workers';

export interface AnalyseRequest {
  files: string[];
  labels?: string[];
}

export interface AnalyseOptions {
  onProgress?: (p: CompareStage) => void;
  signal?: AbortSignal;
  /** Where the bundled workers live; defaults to `workers/` beside this bundle. */
  workerDir?: string;
}

export async function analyseSnapshots(request: AnalyseRequest, options: AnalyseOptions = {}): Promise<HeapComparison> {
  const worker = bundledWorker('analyse.worker.js', options.workerDir);
  if (!worker)
    return compareSnapshotFiles(request.files, { labels: request.labels, onProgress: options.onProgress, signal: options.signal });
  return runWorker<CompareStage, HeapComparison>(worker, request, options.onProgress, options.signal);
}
