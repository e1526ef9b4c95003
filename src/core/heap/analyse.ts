// Runs a comparison in a worker thread when the bundled worker is there (dist/workers,
// beside the extension and CLI bundles), and in this thread otherwise (unit tests run
// from source). Cancellation terminates the worker.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { compareSnapshotFiles, type CompareStage } from './compare';
import { abortError } from './inspector';
import type { HeapComparison } from './report';

export interface AnalyseRequest {
  files: string[];
  labels?: string[];
}

export type WorkerMessage =
  | { kind: 'progress'; progress: CompareStage }
  | { kind: 'result'; report: HeapComparison }
  | { kind: 'error'; message: string; name: string };

export interface AnalyseOptions {
  onProgress?: (p: CompareStage) => void;
  signal?: AbortSignal;
  /** Where the bundled worker lives; defaults to `workers/analyse.worker.js` beside this bundle. */
  workerFile?: string;
}

export function defaultWorkerFile(): string {
  return join(__dirname, 'workers', 'analyse.worker.js');
}

export async function analyseSnapshots(request: AnalyseRequest, options: AnalyseOptions = {}): Promise<HeapComparison> {
  const workerFile = options.workerFile ?? defaultWorkerFile();
  if (!existsSync(workerFile)) {
    return compareSnapshotFiles(request.files, { labels: request.labels, onProgress: options.onProgress, signal: options.signal });
  }
  if (options.signal?.aborted) throw abortError();
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: request });
    const onAbort = (): void => {
      void worker.terminate();
      reject(abortError());
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') options.onProgress?.(m.progress);
      else if (m.kind === 'result') {
        finish();
        resolve(m.report);
      } else {
        finish();
        const err = new Error(m.message);
        err.name = m.name;
        reject(err);
      }
    });
    worker.on('error', (err) => {
      finish();
      reject(err);
    });
    worker.on('exit', (code) => {
      if (code !== 0 && !options.signal?.aborted) reject(new Error(`the heap analysis worker stopped (exit code ${code}); the snapshot may be too large for the memory available`));
    });
  });
}
