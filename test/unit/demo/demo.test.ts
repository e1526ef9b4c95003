// The demo story must stay true: the generated history has the Tuesday refactor that
// dropped the row lock, and under a checkout rush the real service hits the real
// CHECK (stock >= 0) constraint with 23514.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { buildDemoWorkspace, refactorTuesday, writeDemoSettings, type DemoWorkspace } from '../../demo/workspace';
import { startDemoDatabase, startCheckoutApi, orderRush, setStock, type CheckoutApi } from '../../demo/env';
import type { TestPostgres } from '../harness/postgres';
import { makeTempDir } from '../harness/git';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import { SentryClient } from '../../../src/core/sentry/client';

describe('demo: checkout-api', () => {
  let ws: DemoWorkspace;
  const now = new Date('2026-11-20T09:00:00Z');
  before(() => {
    ws = buildDemoWorkspace(join(makeTempDir('forensics-demo-'), 'checkout-api'), now);
  });

  it('the refactor happened on the last Tuesday before the incident', () => {
    assert.equal(refactorTuesday(now).toISOString(), '2026-11-17T14:20:00.000Z');
    assert.equal(refactorTuesday(new Date('2026-11-18T09:00:00Z')).toISOString(), '2026-11-10T14:20:00.000Z');
  });

  it('has a history in which the Tuesday refactor removed FOR UPDATE from reserveStock', () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.dir, encoding: 'utf8' });
    const log = git('log', '--format=%an|%s').trim().split('\n');
    assert.equal(log.length, 6);
    assert.ok(log.includes('Jordan Blake|perf: drop the transaction and row lock from reserveStock'));
    const diff = git('show', ws.commits.refactor, '--', 'src/inventory.js');
    assert.match(diff, /^-.*FOR UPDATE/m);
    assert.match(diff, /^\+\s+await pool\.query\('UPDATE inventory SET stock = stock - \$1 WHERE sku = \$2'/m);
    // The refactor shipped in 1.4.0, not in 1.3.0.
    const contains = git('tag', '--contains', ws.commits.refactor).trim().split('\n');
    assert.deepEqual(contains, ['checkout-api@1.4.0']);
    // Blame names the refactor for the UPDATE line.
    const lines = readFileSync(join(ws.dir, 'src/inventory.js'), 'utf8').split('\n');
    const updateLine = lines.findIndex((l) => l.includes('UPDATE inventory SET stock = stock - $1')) + 1;
    const blame = git('blame', '--porcelain', '-L', `${updateLine},${updateLine}`, 'src/inventory.js');
    assert.equal(blame.split(' ')[0], ws.commits.refactor);
    assert.equal(git('status', '--porcelain'), '');
  });

  it("keeps the demo's editor settings out of Source Control: a first-time user sees no change they did not make", () => {
    writeDemoSettings(ws.dir, { 'forensics.sentry.url': 'http://127.0.0.1:1' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.dir, encoding: 'utf8' });
    assert.equal(git('status', '--porcelain', '--untracked-files=all'), '');
    assert.match(readFileSync(join(ws.dir, '.vscode', 'settings.json'), 'utf8'), /forensics\.sentry\.url/);
  });

  describe('under a checkout rush', () => {
    let pg: TestPostgres;
    let api: CheckoutApi;
    before(async function () {
      this.timeout(120_000);
      pg = await startDemoDatabase();
      api = await startCheckoutApi({ dir: ws.dir, databaseUrl: pg.adminUrl });
    });
    after(async () => {
      await api?.stop();
      await pg?.stop();
    });

    it('loses the race: concurrent orders hit CHECK (stock >= 0) with 23514', async function () {
      this.timeout(60_000);
      let failures = 0;
      for (let round = 0; round < 5 && failures === 0; round++) {
        await setStock(pg.adminUrl, 'SKU-1001', 5);
        const result = await orderRush(api.url, { sku: 'SKU-1001', orders: 40 });
        failures = result.statuses[500] ?? 0;
        // Never more successful orders than the stock allowed: the constraint holds.
        assert.ok((result.statuses[201] ?? 0) <= 5, JSON.stringify(result.statuses));
      }
      assert.ok(failures > 0, 'the race produced no 500 in 5 rounds');
      assert.match(api.stderr(), /\[23514\].*violates check constraint "inventory_stock_check"/);
      const client = new Client({ connectionString: pg.adminUrl });
      await client.connect();
      const { rows } = await client.query<{ stock: number }>("SELECT stock FROM inventory WHERE sku = 'SKU-1001'");
      await client.end();
      assert.ok(rows[0].stock >= 0);
    });
  });

  // The incident must move like a real one: every failed checkout is an event, each
  // customer a user. The SDK's Dedupe integration drops an event identical to the one just
  // sent, and a rush repeats one failure back to back, so a demo that keeps the default
  // shows "1 event, 0 users" forever (issue 15, item 2).
  describe('reporting to Sentry under load', () => {
    let pg: TestPostgres;
    let api: CheckoutApi;
    let sentry: SentryServer;
    before(async function () {
      this.timeout(120_000);
      sentry = await startSentryServer({ token: 'demo-token' });
      pg = await startDemoDatabase();
      api = await startCheckoutApi({ dir: ws.dir, databaseUrl: pg.adminUrl, sentryDsn: sentry.dsn('1') });
    });
    after(async () => {
      await api?.stop();
      await pg?.stop();
      await sentry?.stop();
    });

    it('counts every failed checkout as an event and every customer as a user', async function () {
      this.timeout(90_000);
      let failures = 0;
      for (let round = 0; round < 8 && failures < 4; round++) {
        await setStock(pg.adminUrl, 'SKU-1001', 5);
        const result = await orderRush(api.url, { sku: 'SKU-1001', orders: 40 });
        failures += result.statuses[500] ?? 0;
      }
      assert.ok(failures >= 2, `the race produced only ${failures} 500s in 8 rounds`);
      await sentry.waitForEvents(failures, 30_000);
      const client = new SentryClient({ baseUrl: sentry.url, org: sentry.org, token: sentry.token });
      const { incidents } = await client.listIncidents({});
      const race = incidents.find((i) => /inventory_stock_check|violates check constraint/.test(i.title));
      assert.ok(race, `no 23514 incident among ${incidents.map((i) => i.title).join(' | ')}`);
      assert.equal(race.count, failures, 'one event per HTTP 500');
      assert.ok(race.userCount >= 2, `userCount ${race.userCount}: the failing customers are not users of the incident`);
      assert.ok(race.lastSeen > race.firstSeen, 'first seen = last seen');
    });
  });
});
