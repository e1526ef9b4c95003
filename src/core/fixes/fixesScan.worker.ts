// Worker-thread entry: the workspace scan for the editor's diagnostics, so parsing a few
// thousand files never holds the extension host's thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply } from '../heap/workers';
import { scanWorkspaceFolder, type WorkspaceScanRequest, type WorkspaceScanResult } from './workspaceScan';

const post = (m: WorkerReply<never, WorkspaceScanResult>): void => parentPort!.postMessage(m);
try {
  post({ kind: 'result', result: scanWorkspaceFolder(workerData as WorkspaceScanRequest) });
} catch (err) {
  post({ kind: 'error', message: (err as Error).message, name: (err as Error).name });
}
