// How big a snapshot will be, asked before capturing: the inspector's Runtime.getHeapUsage
// (used and total JS heap) over a short session of its own. The heap profiler is not
// enabled here, so this session does not touch the object ids a series relies on.
import { InspectorSession, listTargets, parseInspectorAddress } from './inspector';

export interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/**
 * A snapshot file is at most about twice the heap in use (which counts garbage the snapshot's
 * own GC frees): measured 265-272 MB for 136-260 MB used on the busy test service
 * (test/unit/heap/fixtures/busy-app.js, 3.6 M objects), 20 MB for 25 MB on the orders app.
 */
export const SNAPSHOT_BYTES_PER_HEAP_BYTE = 2;

export async function readHeapUsage(address: string | undefined, signal?: AbortSignal): Promise<HeapUsage> {
  const hostPort = parseInspectorAddress(address);
  const [target] = await listTargets(hostPort, 3000, signal);
  if (!target) throw new Error(`the inspector on ${hostPort.host}:${hostPort.port} lists no targets`);
  const session = await InspectorSession.connect(target, () => undefined, signal);
  try {
    const usage = (await session.send('Runtime.getHeapUsage')) as Partial<HeapUsage>;
    return { usedSize: Number(usage.usedSize) || 0, totalSize: Number(usage.totalSize) || 0 };
  } finally {
    session.close();
  }
}

/** An upper estimate of the snapshot file's size. */
export function expectedSnapshotBytes(usage: HeapUsage): number {
  return Math.round(usage.usedSize * SNAPSHOT_BYTES_PER_HEAP_BYTE);
}
