// Worker-thread entry: reduces one snapshot to its digest while the caller's thread
// parses and analyses another, so a comparison uses two cores.
import { parentPort, workerData } from 'node:worker_threads';
import { digestBuffers, digestSnapshotFile, type DigestRequest, type DigestStage, type SnapshotDigest } from './digest';
import type { WorkerReply } from './workers';

const request = workerData as DigestRequest;
const post = (m: WorkerReply<DigestStage, SnapshotDigest>, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(m, transfer);
digestSnapshotFile(request.file, request.label, { onProgress: (progress) => post({ kind: 'progress', progress }) }).then(
  (result) => post({ kind: 'result', result }, digestBuffers(result)),
  (err: Error) => post({ kind: 'error', message: err.message, name: err.name }),
);
