// Worker-thread entry: parses and compares snapshots off the caller's thread (the
// extension host stays responsive) and posts progress, then the report.
import { parentPort, workerData } from 'node:worker_threads';
import type { AnalyseRequest } from './analyse';
import { compareSnapshotFiles, type CompareStage } from './compare';
import type { HeapComparison } from './report';
import type { WorkerReply } from './workers';

const request = workerData as AnalyseRequest;
const post = (m: WorkerReply<CompareStage, HeapComparison>): void => parentPort!.postMessage(m);
compareSnapshotFiles(request.files, { labels: request.labels, onProgress: (progress) => post({ kind: 'progress', progress }) }).then(
  (result) => post({ kind: 'result', result }),
  (err: Error) => post({ kind: 'error', message: err.message, name: err.name }),
);
