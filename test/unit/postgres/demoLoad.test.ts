// The demo workload's database side on the demo schema: the stock audit's row lock makes a
// real blocking chain that readLocks reports, and it lets go after its time.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { startDemoDatabase } from '../../demo/env';
import { holdRowLock } from '../../demo/dbLoad';
import type { TestPostgres } from '../harness/postgres';
import { DEFAULT_SESSION_SETTINGS, withSession } from '../../../src/core/postgres/session';
import { parseTarget } from '../../../src/core/postgres/target';
import { readLocks } from '../../../src/core/postgres/locks';

describe('demo workload: the stock audit blocks checkouts', () => {
  let pg: TestPostgres;
  before(async function () {
    this.timeout(120_000);
    pg = await startDemoDatabase();
  });
  after(async () => pg?.stop());

  it('holds the row long enough to show a blocking chain, then releases it', async () => {
    const audit = await holdRowLock(pg.adminUrl, 'SKU-1003', 1500);
    const checkout = new Client({ connectionString: pg.adminUrl, application_name: 'checkout-api' });
    await checkout.connect();
    try {
      const started = Date.now();
      const update = checkout.query("UPDATE inventory SET stock = stock - 1 WHERE sku = 'SKU-1003'");
      await new Promise((r) => setTimeout(r, 400));
      const report = await withSession(parseTarget(pg.adminUrl), DEFAULT_SESSION_SETTINGS, readLocks);
      assert.deepEqual(
        report.rootBlockers.map((p) => [p.pid, p.application]),
        [[audit.pid, 'stock-audit']],
      );
      assert.equal(report.edges[0].waiter.application, 'checkout-api');
      assert.match(report.edges[0].blocker.query, /FOR UPDATE/);
      await update;
      await audit.done;
      assert.ok(Date.now() - started >= 1000, 'the checkout waited for the audit');
    } finally {
      await checkout.end();
    }
  });
});
