// Worker-thread entry: parses and compares snapshots off the caller's thread (the
// extension host stays responsive) and posts progress, then the report.
import { parentPort, workerData } from 'node:worker_threads';
import { compareSnapshotFiles } from './compare';
import type { AnalyseRequest, WorkerMessage } from './analyse';

const request = workerData as AnalyseRequest;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
compareSnapshotFiles(request.files, { labels: request.labels, onProgress: (progress) => post({ kind: 'progress', progress }) }).then(
  (report) => post({ kind: 'result', report }),
  (err: Error) => post({ kind: 'error', message: err.message, name: err.name }),
);
