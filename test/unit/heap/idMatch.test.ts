// Object ids across a real series of a busy process: a working set of > 2 M objects that
// is mostly replaced between snapshots, garbage, and a RequestContext leak. V8 hands dead
// objects' ids to the objects that take their place, so many shared ids carry another
// name; the series must still be matched object by object, and snapshots of another
// process must still be refused.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { captureSeries, type CaptureResult } from '../../../src/core/heap/capture';
import { compareSnapshotFiles } from '../../../src/core/heap/compare';
import { judgeIds } from '../../../src/core/heap/idMatch';
import type { HeapComparison } from '../../../src/core/heap/report';
import { writeSeriesRecord } from '../../../src/core/heap/sessionRecord';
import { makeTempDir } from '../harness/git';
import { startInspected } from './nodeProcess';

const busyApp = join(__dirname, 'fixtures', 'busy-app.js');

/** A recorded series of a fresh busy-app process: `entries` cached, `requests` served before target and final. */
async function busySeries(dir: string, prefix: string, entries: number, requests: number): Promise<string[]> {
  const app = await startInspected(busyApp, [], ['--inspect=127.0.0.1:0', '--max-old-space-size=4096']);
  try {
    await app.command(`fill ${entries}`);
    const results: CaptureResult[] = await captureSeries({
      address: app.address,
      outDir: dir,
      prefix,
      intervalMs: 1,
      beforeSnapshot: async (label) => {
        if (label !== 'baseline') await app.command(`load ${requests}`);
      },
    });
    await writeSeriesRecord(
      dir,
      prefix,
      results.map((r, i) => ({ ...r, label: ['baseline', 'target', 'final'][i]! })),
    );
    return results.map((r) => r.file);
  } finally {
    await app.stop();
  }
}

describe('heap: object ids of one inspector session', function () {
  this.timeout(600_000);
  let dir: string;
  let busy: string[];
  let other: string[];
  let report: HeapComparison;
  before(async () => {
    dir = makeTempDir('forensics-heap-ids-');
    busy = await busySeries(dir, 'busy', 260_000, 150);
    other = await busySeries(dir, 'other', 40_000, 40);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('matches a busy series by id: the leaking class is first, with new retained memory', async () => {
    report = await compareSnapshotFiles(busy);
    for (const s of report.snapshots) assert.ok(s.nodeCount >= 2_000_000, `${s.label}: ${s.nodeCount} objects`);
    assert.equal(report.idsOverlap, true, report.note);
    assert.equal(report.note, undefined);
    const leaks = report.leaks!;
    assert.equal(leaks.classes[0]!.name, 'RequestContext');
    assert.equal(leaks.classes[0]!.count, 150, 'the requests served between baseline and target, all still alive');
    const top = report.classes[0]!;
    assert.equal(top.name, 'RequestContext');
    assert.equal(top.added, 300);
    assert.ok(top.addedRetainedSize > 300 * 2048, `new retained ${top.addedRetainedSize}`);
    // The refreshed cache is new too, but it replaced what it freed: it is not a suspect.
    const cache = report.classes.find((c) => c.name === 'CatalogEntry')!;
    assert.ok(
      cache.added > 200_000 && Math.abs(cache.countDelta) < 1000,
      JSON.stringify({ added: cache.added, countDelta: cache.countDelta }),
    );
  });

  it('refuses id matching between two processes, recorded or not', async () => {
    const recorded = await compareSnapshotFiles([other[0]!, busy[1]!, busy[2]!]);
    assert.equal(recorded.idsOverlap, false);
    assert.match(recorded.note!, /not matched by id .*another inspector session.*class totals/);
    assert.equal(recorded.leaks, undefined);
    // The same files without their records: the ids alone must give them away.
    const bare = join(dir, 'bare');
    mkdirSync(bare, { recursive: true });
    const copies = [other[0]!, busy[2]!].map((f, i) => {
      const to = join(bare, `${i}.heapsnapshot`);
      copyFileSync(f, to);
      return to;
    });
    const unrecorded = await compareSnapshotFiles(copies);
    assert.equal(unrecorded.idsOverlap, false, 'two processes matched by id');
    assert.match(unrecorded.note!, /not matched by id/);
    const rc = unrecorded.classes.find((c) => c.name === 'RequestContext')!;
    assert.equal(rc.countDelta, 300, 'class totals still compare: none at the other baseline, 300 in the final');
  });
});

describe('heap: judging object ids', () => {
  const labels: [string, string] = ['baseline', 'final'];
  it('trusts a recorded session whatever the names say, and no record with orphans', () => {
    assert.equal(judgeIds({ matched: 100_000, sameName: 46_000, below: 100_000, orphans: 0 }, ['s1', 's1'], labels).trusted, true);
    const orphans = judgeIds({ matched: 70_000, sameName: 69_000, below: 90_000, orphans: 20_000 }, ['s1', 's1'], labels);
    assert.equal(orphans.trusted, false);
    assert.match(orphans.reason!, /22% of final's object ids within baseline's range are not in baseline/);
  });
  it('refuses different recorded sessions, and unrecorded pairs whose shared ids mostly name other objects', () => {
    assert.match(
      judgeIds({ matched: 40_000, sameName: 39_000, below: 40_000, orphans: 0 }, ['s1', 's2'], labels).reason!,
      /another inspector session/,
    );
    assert.equal(judgeIds({ matched: 40_000, sameName: 13_000, below: 40_000, orphans: 0 }, [undefined, 's2'], labels).trusted, false);
    // Without a record a busy series is not told from two runs (89% agree there); a quiet one still is.
    assert.match(
      judgeIds({ matched: 40_000, sameName: 35_600, below: 40_000, orphans: 0 }, [undefined, undefined], labels).reason!,
      /89% of the objects final shares ids with.*without a series record/,
    );
    assert.equal(judgeIds({ matched: 40_000, sameName: 39_900, below: 40_000, orphans: 0 }, [undefined, undefined], labels).trusted, true);
    assert.equal(judgeIds({ matched: 0, sameName: 0, below: 0, orphans: 0 }, [undefined, undefined], labels).trusted, false);
  });
});
