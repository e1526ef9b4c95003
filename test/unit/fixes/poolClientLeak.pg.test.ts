// pool-client-leak: the pool-exhaustion scenario's report function leaks its client on
// the validation error path. Against a real PostgreSQL with a pool of max 2, the unfixed
// code stops answering after two bad requests; the fixed code survives 20 of them.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { assertQuiet, fixed, loadModule, only, runDir } from './ruleHarness';

const scenario = (v: 'before' | 'after') =>
  readFileSync(join(__dirname, '..', '..', 'scenarios', 'pool-exhaustion', v, 'src', 'reports.js'), 'utf8');

interface Reports {
  pool: {
    end(): Promise<void>;
    totalCount: number;
    idleCount: number;
    on(event: string, listener: (arg: { on(e: string, l: () => void): void }) => void): void;
  };
  salesReport(from: string, to: string): Promise<{ total: number }>;
}

// The demo's createOrder(): release only after a query that can fail.
const demoOrder = `const { pool } = require('./db');

async function createOrder(ctx, { sku, quantity, email }) {
  const client = await pool.connect();
  const { rows } = await client.query(
    'INSERT INTO orders (sku, quantity, customer_email) VALUES ($1, $2, $3) RETURNING id',
    [sku, quantity, email],
  );
  client.release();

  const orderId = rows[0].id;
  return { orderId };
}
`;

describe('pool-client-leak', function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let dir: string;
  before(async () => {
    pg = await startPostgres();
    dir = runDir('pool');
  });
  after(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function hammer(mod: Reports): Promise<{ badRequests: number; timeouts: number; answered: number }> {
    const outcome = { badRequests: 0, timeouts: 0, answered: 0 };
    for (let i = 0; i < 20; i++) {
      await mod.salesReport('2026-11-10', '2026-11-01').catch((err: Error) => {
        if (err instanceof RangeError) outcome.badRequests++;
        else throw err;
      });
      await mod.salesReport('2026-11-01', '2026-11-10').then(
        () => outcome.answered++,
        (err: Error) => {
          if (/timeout/i.test(err.message)) outcome.timeouts++;
          else throw err;
        },
      );
      if (outcome.timeouts > 0) break;
    }
    return outcome;
  }

  it('the unfixed scenario exhausts a pool of 2 after two bad requests', async () => {
    process.env.DATABASE_URL = pg.adminUrl;
    const mod = loadModule<Reports>(dir, 'unfixed-reports.js', scenario('after'));
    // The leaked clients stay connected until the server stops; let them go quietly then.
    mod.pool.on('connect', (client) => client.on('error', () => undefined));
    const outcome = await hammer(mod);
    assert.equal(outcome.timeouts, 1, JSON.stringify(outcome));
    assert.ok(outcome.answered <= 2);
  });

  it('flags the connect() line, and after the try/finally fix the pool of 2 survives 20 bad and 20 good calls', async () => {
    const source = scenario('after');
    const finding = only(source, 'pool-client-leak');
    assert.equal(finding.range.startLine, source.split('\n').findIndex((l) => l.includes('await pool.connect()')) + 1);
    assert.match(finding.message, /throw on line 8/);
    const out = fixed(source, 'pool-client-leak');
    assert.match(out, /const client = await pool\.connect\(\);\n {2}try \{\n {4}if \(new Date/);
    assert.match(out, /return rows\[0\];\n {2}\} finally \{\n {4}client\.release\(\);\n {2}\}\n\}/);
    assert.equal(out.match(/client\.release\(\)/g)?.length, 1, 'the old release is gone');
    assert.equal(finding.fixes[0].isPreferred, true, 'the release already ended its path: applied by --fix');
    process.env.DATABASE_URL = pg.adminUrl;
    // Correct inputs behave exactly as before: the same answer, the client back in the pool.
    // (Copies with a roomier connect timeout: the comparison is about results, not load.)
    const roomy = (code: string) => code.replace('connectionTimeoutMillis: 500', 'connectionTimeoutMillis: 20000');
    const same = {
      fixed: loadModule<Reports>(dir, 'fixed-same-input.js', roomy(out)),
      unfixed: loadModule<Reports>(dir, 'unfixed-same-input.js', roomy(source)),
    };
    try {
      for (const [from, to] of [
        ['2026-11-01', '2026-11-10'],
        ['2026-01-01', '2026-01-01'],
      ]) {
        assert.deepEqual(await same.fixed.salesReport(from, to), await same.unfixed.salesReport(from, to));
      }
      assert.equal(same.fixed.pool.idleCount, same.fixed.pool.totalCount);
    } finally {
      await same.fixed.pool.end();
      await same.unfixed.pool.end();
    }
    const mod = loadModule<Reports>(dir, 'fixed-reports.js', out);
    try {
      assert.deepEqual(await hammer(mod), { badRequests: 20, timeouts: 0, answered: 20 });
      assert.equal(mod.pool.idleCount, mod.pool.totalCount, 'every client is back in the pool');
    } finally {
      await mod.pool.end();
    }
  });

  it('flags a release that a failing query skips (the demo createOrder) and wraps the rest of the function', () => {
    const finding = only(demoOrder, 'pool-client-leak');
    assert.match(finding.message, /a query or anything else between connect\(\) and release\(\) throws, it stays checked out/);
    assert.equal(
      finding.fixes[0].isPreferred,
      false,
      'work after the release would now hold the client (with a small pool, a later pool.query could wait on it): a suggestion',
    );
    const out = fixed(demoOrder, 'pool-client-leak');
    assert.match(out, /\n {2}try \{\n {4}const \{ rows \} = await client\.query\(\n {6}'INSERT/);
    assert.match(out, /const orderId = rows\[0\]\.id;\n {4}return \{ orderId \};\n {2}\} finally \{\n {4}client\.release\(\);\n {2}\}/);
  });

  it('through a getClient() wrapper: the preferred fix gives correct inputs the same answers and survives failed queries with a pool of 1', async () => {
    const source = (timeout: number) => `const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1, connectionTimeoutMillis: ${timeout} });

async function getClient() {
  return pool.connect();
}

async function inverse(n) {
  const client = await getClient();
  const { rows } = await client.query('SELECT 100 / $1::int AS v', [n]);
  client.release();
  return rows[0];
}

module.exports = { pool, inverse };
`;
    const finding = only(source(500), 'pool-client-leak');
    assert.equal(finding.range.startLine, 9);
    assert.equal(finding.fixes[0].isPreferred, true);
    process.env.DATABASE_URL = pg.adminUrl;
    type Inverse = { pool: Reports['pool']; inverse(n: number): Promise<{ v: number }> };
    const unfixed = loadModule<Inverse>(dir, 'unfixed-wrapper.js', source(500));
    unfixed.pool.on('connect', (client) => client.on('error', () => undefined));
    await assert.rejects(unfixed.inverse(0), /division by zero/);
    await assert.rejects(unfixed.inverse(4), /timeout/, 'the failed query kept the only client');
    const same = {
      fixed: loadModule<Inverse>(dir, 'fixed-wrapper-same.js', fixed(source(20000), 'pool-client-leak')),
      unfixed: loadModule<Inverse>(dir, 'unfixed-wrapper-same.js', source(20000)),
    };
    const mod = loadModule<Inverse>(dir, 'fixed-wrapper.js', fixed(source(500), 'pool-client-leak'));
    try {
      for (const n of [4, -3, 100]) assert.deepEqual(await same.fixed.inverse(n), await same.unfixed.inverse(n));
      for (let i = 0; i < 5; i++) await assert.rejects(mod.inverse(0), /division by zero/);
      assert.deepEqual(await mod.inverse(4), { v: 25 });
      assert.equal(mod.pool.idleCount, mod.pool.totalCount, 'every client is back in the pool');
    } finally {
      await Promise.all([same.fixed.pool.end(), same.unfixed.pool.end(), mod.pool.end()]);
    }
  });

  it('flags a TypeScript service that never releases, keeping tabs and no semicolons', () => {
    const code =
      'import { Pool } from "pg"\n\nexport class Repo {\n\tconstructor(private readonly pool: Pool) {}\n\n\tasync count(): Promise<number> {\n\t\tconst conn = await this.pool.connect()\n\t\tconst res = await conn.query("SELECT count(*) FROM t")\n\t\treturn Number(res.rows[0].count)\n\t}\n}\n';
    const out = fixed(code, 'pool-client-leak', 'repo.ts');
    assert.match(
      out,
      /\t\ttry \{\n\t\t\tconst res = await conn\.query\("SELECT count\(\*\) FROM t"\)\n\t\t\treturn Number\(res\.rows\[0\]\.count\)\n\t\t\} finally \{\n\t\t\tconn\.release\(\)\n\t\t\}/,
    );
  });

  describe('stays quiet on', () => {
    it('the scenario before the breaking change (try/finally)', () => assertQuiet(scenario('before'), 'pool-client-leak'));
    it('release in catch and after success', () =>
      assertQuiet(
        "const pool = require('./pool');\nasync function f() {\n  const client = await pool.connect();\n  try {\n    await client.query('SELECT 1');\n  } catch (err) {\n    client.release();\n    throw err;\n  }\n  client.release();\n}\n",
        'pool-client-leak',
      ));
    it('a client handed to the caller', () =>
      assertQuiet(
        "const pool = require('./pool');\nasync function checkout() {\n  const client = await pool.connect();\n  await client.query('SET search_path TO app');\n  return client;\n}\n",
        'pool-client-leak',
      ));
    it('a client released by a callback', () =>
      assertQuiet(
        "const pool = require('./pool');\nasync function f() {\n  const client = await pool.connect();\n  client.query('SELECT 1', () => {\n    client.release();\n  });\n}\n",
        'pool-client-leak',
      ));
    it('a single pg.Client connection (not a pool)', () =>
      assertQuiet(
        "const { Client } = require('pg');\nasync function f() {\n  const client = new Client();\n  await client.connect();\n  await client.end();\n}\n",
        'pool-client-leak',
      ));
    it('pool.query() without a checked-out client', () =>
      assertQuiet(
        "const pool = require('./pool');\nasync function f() {\n  const { rows } = await pool.query('SELECT 1');\n  return rows;\n}\n",
        'pool-client-leak',
      ));
  });
});
