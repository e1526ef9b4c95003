// The scenario suite: complete incidents, each a small service with a git history whose
// latest change causes a real failure, captured as a real Sentry event by the real
// @sentry/node SDK. Each test asserts what the investigation concludes: the bug class,
// the failure point, the correlated commit and the proposed fix.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import type { Investigation } from '../../src/core/triage/investigation';
import { suspectCommit } from '../../src/core/triage/investigation';
import { buildDemoWorkspace } from '../demo/workspace';
import { startDemoDatabase, startCheckoutApi, orderRush, setStock } from '../demo/env';
import { startPostgres, type TestPostgres } from '../unit/harness/postgres';
import { buildScenarioRepo, investigateTopIncident, runTrigger, scratchDir, withSentry, type ScenarioRepo } from './harness';

function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `${needle} not in ${file}`);
  return index + 1;
}

function assertConclusion(inv: Investigation, expected: { bugClass: string; file: string; line: number; commit: string; rule?: string; longTerm?: RegExp }) {
  const [top] = inv.candidates;
  assert.ok(top, 'no bug class proposed');
  assert.equal(top.bugClass, expected.bugClass, `classified as ${top.bugClass}: ${top.evidence.join(' / ')}`);
  assert.notEqual(top.confidence, 'low');
  assert.equal(inv.evidence.failurePoint?.file, expected.file);
  assert.equal(inv.evidence.failurePoint?.line, expected.line);
  assert.equal(suspectCommit(inv.evidence.commits ?? [])?.sha, expected.commit);
  if (expected.rule) assert.equal(inv.remediation.hotfix?.ruleId, expected.rule, `hotfix: ${JSON.stringify(inv.remediation.hotfix ?? inv.remediation.noHotfixReason)}`);
  if (expected.longTerm) assert.match(inv.remediation.longTerm.join('\n'), expected.longTerm);
}

describe('scenarios: real incidents, investigated end to end', function () {
  this.timeout(180_000);
  const repos: ScenarioRepo[] = [];
  after(() => repos.forEach((r) => r.repo.remove()));

  it('the stock race: 23514 under a checkout rush, traced to the Tuesday refactor', async () => {
    const dir = join(scratchDir(), 'checkout-api');
    const ws = buildDemoWorkspace(dir);
    const pg = await startDemoDatabase();
    try {
      await withSentry(async (server) => {
        const api = await startCheckoutApi({ dir, databaseUrl: pg.adminUrl, sentryDsn: server.dsn('1') });
        try {
          for (let round = 0; round < 5; round++) {
            await setStock(pg.adminUrl, 'SKU-1001', 5);
            const r = await orderRush(api.url, { sku: 'SKU-1001', orders: 40 });
            if (r.statuses[500]) break;
          }
        } finally {
          await api.stop(); // flushes the SDK
        }
        await server.waitForEvents(1);
        const inv = await investigateTopIncident(server, dir);
        assertConclusion(inv, {
          bugClass: 'race-condition', file: 'src/inventory.js', line: lineOf(join(dir, 'src/inventory.js'), 'UPDATE inventory SET stock = stock - $1'),
          commit: ws.commits.refactor, rule: 'read-then-write', longTerm: /AND stock >= \$1/,
        });
        assert.equal(inv.candidates[0].confidence, 'high');
        assert.ok(inv.evidence.commits?.find((c) => c.sha === ws.commits.refactor)?.releases?.includes('checkout-api@1.4.0'));
      });
    } finally {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the EventEmitter leak: MaxListenersExceededWarning from a listener nobody removes', async () => {
    const s = buildScenarioRepo('emitter-leak', { message: 'Simplify price subscriptions', author: 'Robin Park', daysAgo: 3 });
    repos.push(s);
    await withSentry(async (server) => {
      await runTrigger('emitter-leak', s.dir, server);
      await server.waitForEvents(1);
      const inv = await investigateTopIncident(server, s.dir);
      assertConclusion(inv, { bugClass: 'resource-leak', file: 'src/prices.js', line: lineOf(join(s.dir, 'src/prices.js'), "prices.on('price'"), commit: s.breaking, rule: 'listener-leak' });
    });
  });

  describe('with PostgreSQL', () => {
    let pg: TestPostgres;
    before(async function () {
      this.timeout(180_000);
      pg = await startPostgres({ database: 'scenarios' });
    });
    after(async () => pg?.stop());

    it('pool exhaustion: a client never released on the validation error path', async () => {
      const s = buildScenarioRepo('pool-exhaustion', { message: 'Validate report range before querying', author: 'Kim Lee', daysAgo: 2 });
      repos.push(s);
      await withSentry(async (server) => {
        await runTrigger('pool-exhaustion', s.dir, server, { DATABASE_URL: pg.adminUrl });
        await server.waitForEvents(1);
        const inv = await investigateTopIncident(server, s.dir);
        assertConclusion(inv, { bugClass: 'pool-exhaustion', file: 'src/reports.js', line: lineOf(join(s.dir, 'src/reports.js'), 'await pool.connect()'), commit: s.breaking, rule: 'pool-client-leak' });
      });
    });

    it('an N+1 slow query: one lookup per order on a column without an index, cut by statement_timeout', async () => {
      const s = buildScenarioRepo('slow-query', { message: 'Match order products on the supplier SKU', author: 'Noor Haddad', daysAgo: 4 });
      repos.push(s);
      const admin = new Client({ connectionString: pg.adminUrl });
      await admin.connect();
      try {
        await admin.query(readFileSync(join(__dirname, 'slow-query', 'schema.sql'), 'utf8'));
        await admin.query("CREATE ROLE orders_svc LOGIN PASSWORD 'orders-svc'");
        await admin.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO orders_svc');
        await admin.query("ALTER ROLE orders_svc SET statement_timeout = '40ms'");
      } finally {
        await admin.end();
      }
      await withSentry(async (server) => {
        await runTrigger('slow-query', s.dir, server, { DATABASE_URL: pg.urlFor('orders_svc', 'orders-svc') });
        await server.waitForEvents(1);
        const inv = await investigateTopIncident(server, s.dir);
        assertConclusion(inv, {
          bugClass: 'slow-query', file: 'src/orders.js', line: lineOf(join(s.dir, 'src/orders.js'), 'FROM products WHERE supplier_sku'), commit: s.breaking,
          longTerm: /N\+1[\s\S]*CREATE INDEX CONCURRENTLY ON products \(supplier_sku\)/,
        });
      });
    });
  });

  it('a webhook retry storm: retries without a cap or backoff against a 429', async () => {
    const s = buildScenarioRepo('retry-storm', { message: 'Never drop a webhook: retry until delivered', author: 'Sam Ortiz', daysAgo: 1 });
    repos.push(s);
    await withSentry(async (server) => {
      await runTrigger('retry-storm', s.dir, server);
      await server.waitForEvents(20);
      const inv = await investigateTopIncident(server, s.dir);
      assertConclusion(inv, { bugClass: 'retry-storm', file: 'src/webhooks.js', line: lineOf(join(s.dir, 'src/webhooks.js'), 'onFailure(new Error('), commit: s.breaking, rule: 'unbounded-retry' });
      assert.ok(inv.evidence.incident.count >= 20);
    });
  });

  it('a workflow that parses a 50 MB state on every step until it no longer fits in a string', async () => {
    const s = buildScenarioRepo('payload', { message: 'Persist workflow state between steps', author: 'Ivo Novak', daysAgo: 5 });
    repos.push(s);
    await withSentry(async (server) => {
      await runTrigger('payload', s.dir, server);
      await server.waitForEvents(1);
      const inv = await investigateTopIncident(server, s.dir);
      assertConclusion(inv, { bugClass: 'oversized-payload', file: 'src/workflow.js', line: lineOf(join(s.dir, 'src/workflow.js'), 'stateJson = JSON.stringify(state)'), commit: s.breaking, longTerm: /keep large blobs out of the state/ });
    });
  });
});
