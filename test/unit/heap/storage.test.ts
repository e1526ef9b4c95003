// Where snapshots are kept and what is offered for capture: retention and deletion over
// real files with their series records, the expected size read from a real inspector
// before capturing, and the process picker's order over real /proc entries.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureHeapSnapshot } from '../../../src/core/heap/capture';
import { expectedSnapshotBytes, readHeapUsage } from '../../../src/core/heap/heapUsage';
import { orderProcesses } from '../../../src/core/heap/processOrder';
import { listNodeProcesses } from '../../../src/core/heap/processes';
import { recordedSessions, writeSeriesRecord } from '../../../src/core/heap/sessionRecord';
import { applyRetention, deleteSnapshots, latestSeries, listStoredSnapshots } from '../../../src/core/heap/snapshotStore';
import { makeTempDir } from '../harness/git';
import { ordersApp, startInspected } from './nodeProcess';

const target = { id: 'target-1', title: 'orders' };

describe('heap: the snapshot folder', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = makeTempDir('forensics-heap-store-')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A file with the given size, `minutesAgo` old. */
  function file(name: string, bytes: number, minutesAgo: number): string {
    const path = join(dir, name);
    writeFileSync(path, Buffer.alloc(bytes, 0x20));
    const t = new Date(Date.now() - minutesAgo * 60_000);
    utimesSync(path, t, t);
    return path;
  }

  async function series(prefix: string, minutesAgo: number): Promise<string[]> {
    const files = ['baseline', 'target', 'final'].map((label, i) => file(`${prefix}-${label}.heapsnapshot`, 1000 + i, minutesAgo - i));
    await writeSeriesRecord(
      dir,
      prefix,
      files.map((f, i) => ({ file: f, label: ['baseline', 'target', 'final'][i]!, bytes: 1000 + i, target })),
    );
    return files;
  }

  it('lists snapshots newest first with sizes, finds the latest series, and records sessions by file size', async () => {
    const old = await series('old', 60);
    const single = file('heap-single.heapsnapshot', 500, 30);
    const latest = await series('new', 10);
    file('.heap-x.heapsnapshot.123.partial', 10, 1);
    const stored = await listStoredSnapshots(dir);
    assert.deepEqual(
      stored.map((s) => s.file),
      [...[...latest].reverse(), single, ...[...old].reverse()],
    );
    assert.equal(stored[0]!.bytes, 1002);
    assert.deepEqual(await latestSeries(dir), latest);
    const sessions = await recordedSessions([...old, single, latest[0]!]);
    assert.equal(new Set(sessions.slice(0, 3)).size, 1);
    assert.equal(sessions[3], undefined);
    assert.notEqual(sessions[4], sessions[0]);
    // A file overwritten since (another size) is no longer the recorded snapshot.
    writeFileSync(latest[0]!, 'x');
    assert.equal((await recordedSessions([latest[0]!]))[0], undefined);
  });

  it('keeps the newest snapshots within the limit, never the capture just made, and deletes records with their last file', async () => {
    const old = await series('old', 60);
    const latest = await series('new', 10);
    // Newest four: the new series and old-final; old-baseline is the capture just made.
    const deleted = await applyRetention(dir, 4, [old[0]!]);
    assert.deepEqual(deleted, [old[1]!]);
    assert.ok(existsSync(join(dir, 'old.series.json')), 'two old files are still there, so is their record');
    const freed = await deleteSnapshots(dir, [old[0]!, old[2]!]);
    assert.equal(freed, 1000 + 1002);
    assert.deepEqual(readdirSync(dir).sort(), [...latest.map((f) => f.slice(dir.length + 1)), 'new.series.json'].sort());
  });
});

describe('heap: before a capture', function () {
  this.timeout(120_000);
  it('reads the heap in use from the inspector; the snapshot stays within the size announced', async () => {
    const app = await startInspected(ordersApp);
    const dir = makeTempDir('forensics-heap-usage-');
    try {
      await app.command('serve 20000');
      const usage = await readHeapUsage(app.address);
      assert.ok(usage.usedSize > 1_000_000 && usage.totalSize >= usage.usedSize, JSON.stringify(usage));
      const result = await captureHeapSnapshot({ address: app.address, outFile: join(dir, 'one.heapsnapshot') });
      const expected = expectedSnapshotBytes(usage);
      assert.ok(result.bytes <= expected && result.bytes > expected / 4, `announced up to ${expected}, wrote ${result.bytes}`);
    } finally {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('offers processes with an inspector or in the workspace first, the rest behind "Show all"', async () => {
    const workspace = makeTempDir('forensics-heap-ws-');
    const elsewhere = makeTempDir('forensics-heap-elsewhere-');
    mkdirSync(join(workspace, 'src'));
    const keepAlive = ['-e', 'setInterval(() => {}, 1000)'];
    const inWorkspace = spawn(process.execPath, keepAlive, { cwd: join(workspace, 'src'), stdio: 'ignore' });
    const unrelated = spawn(process.execPath, keepAlive, { cwd: elsewhere, stdio: 'ignore' });
    const inspected = await startInspected(ordersApp);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const { first, rest } = await orderProcesses(await listNodeProcesses(), [workspace]);
      const pids = (list: { pid: number }[]): number[] => list.map((p) => p.pid);
      assert.ok(pids(first).includes(inWorkspace.pid!), 'the workspace process is offered first');
      assert.ok(pids(first).includes(inspected.child.pid!), 'the process with an inspector is offered first');
      assert.ok(pids(first).indexOf(inspected.child.pid!) < pids(first).indexOf(inWorkspace.pid!), 'inspector-enabled before the others');
      assert.ok(pids(rest).includes(unrelated.pid!), 'the unrelated process waits behind "Show all"');
    } finally {
      inWorkspace.kill('SIGKILL');
      unrelated.kill('SIGKILL');
      await inspected.stop();
      rmSync(workspace, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
