// The read-then-write fix exercised for real: a reserveStock() that checks stock in
// JavaScript and then decrements it, run 50 times concurrently against a real PostgreSQL
// with CHECK (stock >= 0). Unfixed it oversells (23514); fixed by the rule it never does.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Pool } from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { makeTempDir } from '../harness/git';
import { analyze, applyFix } from '../../../src/core/fixes';

const fixture = join(__dirname, 'fixtures', 'inventory.js');
const STOCK = 10;
const ORDERS = 50;

interface Inventory {
  reserveStock(sku: string, quantity: number): Promise<void>;
}
interface InventoryModule {
  createInventory(pool: Pool): Inventory;
  OutOfStockError: new (...args: unknown[]) => Error;
}

interface Outcome {
  reserved: number;
  outOfStock: number;
  checkViolations: number;
  otherErrors: string[];
  finalStock: number;
}

describe('read-then-write fix against real PostgreSQL', function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let pool: Pool;
  let dir: string;

  before(async () => {
    pg = await startPostgres();
    pool = new Pool({ connectionString: pg.adminUrl, max: 25 });
    // pool.end() resolves before every socket has closed; a server stopping right after
    // then reports "terminating connection" to clients nobody listens to any more.
    pool.on('connect', (client) => client.on('error', () => undefined));
    pool.on('error', () => undefined);
    await pool.query('CREATE TABLE inventory (sku text PRIMARY KEY, stock integer NOT NULL CHECK (stock >= 0))');
    dir = makeTempDir('forensics-fixes-');
  });

  after(async () => {
    await pool?.end();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function load(name: string, source: string): Promise<InventoryModule> {
    const file = join(dir, name);
    writeFileSync(file, source);
    const mod = (await import(pathToFileURL(file).href)) as { default: InventoryModule };
    return mod.default;
  }

  async function concurrentOrders(mod: InventoryModule): Promise<Outcome> {
    await pool.query('INSERT INTO inventory (sku, stock) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET stock = EXCLUDED.stock', [
      'SKU-1',
      STOCK,
    ]);
    const inventory = mod.createInventory(pool);
    const results = await Promise.allSettled(Array.from({ length: ORDERS }, () => inventory.reserveStock('SKU-1', 1)));
    const outcome: Outcome = { reserved: 0, outOfStock: 0, checkViolations: 0, otherErrors: [], finalStock: 0 };
    for (const r of results) {
      if (r.status === 'fulfilled') outcome.reserved++;
      else if (r.reason instanceof mod.OutOfStockError) outcome.outOfStock++;
      else if ((r.reason as { code?: string }).code === '23514') outcome.checkViolations++;
      else outcome.otherErrors.push(String(r.reason));
    }
    const { rows } = await pool.query<{ stock: number }>('SELECT stock FROM inventory WHERE sku = $1', ['SKU-1']);
    outcome.finalStock = rows[0].stock;
    return outcome;
  }

  it('the unfixed reserveStock() fails under 50 concurrent orders (23514 or oversold)', async () => {
    const mod = await load('unfixed.js', readFileSync(fixture, 'utf8'));
    // The race needs two requests between SELECT and UPDATE at once; a few rounds make it certain.
    let outcome: Outcome | undefined;
    for (let round = 0; round < 5; round++) {
      outcome = await concurrentOrders(mod);
      if (outcome.checkViolations > 0 || outcome.reserved > STOCK) break;
    }
    assert.ok(outcome!.checkViolations > 0 || outcome!.reserved > STOCK, `expected the race to show: ${JSON.stringify(outcome)}`);
  });

  it('after the atomic-UPDATE suggestion (never auto-applied: the caller must handle rowCount 0), exactly the stock is reserved and stock never goes negative', async () => {
    const source = readFileSync(fixture, 'utf8');
    const finding = analyze(source, fixture).find((f) => f.ruleId === 'read-then-write');
    assert.ok(finding, 'the rule flags reserveStock()');
    assert.ok(
      finding.fixes.every((f) => !f.isPreferred),
      'both fixes change what the function does when stock is short: suggestions',
    );
    const preferred = finding.fixes.find((f) => /Make it atomic/.test(f.title));
    assert.ok(preferred);
    const fixed = applyFix(source, preferred);
    assert.match(fixed, /SET stock = stock - \$1 WHERE sku = \$2 AND stock >= \$1/);
    assert.deepEqual(
      analyze(fixed, fixture).filter((f) => f.ruleId === 'read-then-write'),
      [],
    );
    const mod = await load('fixed.js', fixed);
    for (let round = 0; round < 3; round++) {
      const outcome = await concurrentOrders(mod);
      assert.deepEqual(outcome, { reserved: STOCK, outOfStock: ORDERS - STOCK, checkViolations: 0, otherErrors: [], finalStock: 0 });
    }
  });

  it('the alternative fix (SELECT … FOR UPDATE) is also safe under the same load', async () => {
    const source = readFileSync(fixture, 'utf8');
    const finding = analyze(source, fixture).find((f) => f.ruleId === 'read-then-write')!;
    const lock = finding.fixes.find((f) => /FOR UPDATE/.test(f.title));
    assert.ok(lock && /FOR UPDATE/.test(lock.title));
    const mod = await load('locked.js', applyFix(source, lock));
    const outcome = await concurrentOrders(mod);
    assert.deepEqual(outcome, { reserved: STOCK, outOfStock: ORDERS - STOCK, checkViolations: 0, otherErrors: [], finalStock: 0 });
  });
});
