// Where the bundled worker entries (src/**/*.worker.ts → dist/workers/*.js) live, from the
// extension or CLI bundle (dist/) or from another worker (dist/workers/). Running from
// source (unit tests under tsx) there is no bundle: callers then work in their own thread.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { abortError } from './cancel';

export function bundledWorker(name: string, dir?: string): string | undefined {
  const candidates = dir ? [join(dir, name)] : [join(__dirname, 'workers', name), join(__dirname, name)];
  return candidates.find((f) => existsSync(f));
}

export type WorkerReply<P, R> =
  { kind: 'progress'; progress: P } | { kind: 'result'; result: R } | { kind: 'error'; message: string; name: string };

/** Runs one job in a worker: progress messages, one result or one error; abort terminates it. */
export function runWorker<P, R>(file: string, workerData: unknown, onProgress?: (p: P) => void, signal?: AbortSignal): Promise<R> {
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => settle(() => reject(abortError()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerReply<P, R>) => {
      if (m.kind === 'progress') onProgress?.(m.progress);
      else if (m.kind === 'result') settle(() => resolve(m.result));
      else {
        const err = new Error(m.message);
        err.name = m.name;
        settle(() => reject(err));
      }
    });
    worker.on('error', (err) => settle(() => reject(err)));
    // A worker that ends without a result: let any message still queued arrive first.
    worker.on('exit', (code) =>
      setImmediate(() =>
        settle(() =>
          reject(
            new Error(
              `the heap analysis worker stopped (exit code ${code}) without a result; the snapshot may be too large for the memory available`,
            ),
          ),
        ),
      ),
    );
  });
}
