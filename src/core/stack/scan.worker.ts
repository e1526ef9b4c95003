// Lists a workspace folder's files off the extension host's main thread: a big
// monorepo's scan must not delay typing. Input: workerData.root; output: the relative paths.
import { parentPort, workerData } from 'node:worker_threads';
import { scanFiles } from './workspaceIndex';

const { root } = workerData as { root: string };
scanFiles(root).then(
  (files) => parentPort?.postMessage({ ok: true, files }),
  (err: unknown) => parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);
