// The demo's step 5, for real: the checkout-api service (with its listener leak) runs
// against a real PostgreSQL with its inspector open; a series captured while orders come
// in shows RequestContext leaking through the listener closure.
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { captureSeries } from '../../../src/core/heap/capture';
import { compareSnapshotFiles } from '../../../src/core/heap/compare';
import { orderRush, setStock, startCheckoutApi, startDemoDatabase, type CheckoutApi } from '../../demo/env';
import type { TestPostgres } from '../harness/postgres';
import { makeTempDir } from '../harness/git';

const SKU = 'SKU-1002';

describe('heap: the checkout-api leak (demo)', function () {
  this.timeout(240_000);
  let pg: TestPostgres;
  let api: CheckoutApi;
  let dir: string;
  before(async () => {
    dir = makeTempDir('forensics-heap-demo-');
    pg = await startDemoDatabase();
    api = await startCheckoutApi({ databaseUrl: pg.adminUrl, inspectPort: 0 });
  });
  after(async () => {
    await api?.stop();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a series taken under load names RequestContext, its retainer path and the listener culprit', async () => {
    await setStock(pg.adminUrl, SKU, 100_000);
    const files = await captureSeries({
      address: `127.0.0.1:${api.inspectPort}`,
      outDir: dir,
      prefix: 'checkout',
      intervalMs: 1,
      // Orders between baseline and target, and between target and final.
      beforeSnapshot: async (label) => {
        if (label !== 'baseline') await orderRush(api.url, { sku: SKU, orders: 120 });
      },
    });
    const report = await compareSnapshotFiles(files.map((f) => f.file));
    const top = report.leaks!.classes[0]!;
    assert.equal(top.name, 'RequestContext');
    assert.ok(top.count >= 100, `RequestContext still alive: ${top.count}`);
    assert.equal(top.paths[0]!.path, 'EventEmitter._events.inventory-changed -> Array -> closure -> RequestContext');
    assert.match(top.location!.url, /context\.js$/);
    assert.ok(report.leaks!.culprits.some((c) => c.startsWith("EventEmitter listeners: a listener for 'inventory-changed'")));
    assert.equal(join(dir, 'checkout-final.heapsnapshot'), files[2]!.file);
  });
});
