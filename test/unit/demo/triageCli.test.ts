// `forensics triage` on the demo story, all real: the checkout-api loses the stock race
// against a real PostgreSQL, the real @sentry/node SDK reports the 23514 to the local
// Sentry-compatible server, and the CLI investigates it against the generated git history.
import { strict as assert } from 'node:assert';
import { runForensics as cli } from '../harness/cli';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoWorkspace, type DemoWorkspace } from '../../demo/workspace';
import { orderRush, setStock, startCheckoutApi, startDemoDatabase, type CheckoutApi } from '../../demo/env';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import type { StoredEvent } from '../../support/sentry-server/store';
import type { TestPostgres } from '../harness/postgres';
import { makeTempDir } from '../harness/git';
import { SentryClient } from '../../../src/core/sentry/client';
import { captureOrdersSeries } from '../heap/snapshots';

interface TriageJson {
  steps: { id: string; status: string; details: string[] }[];
  bugClass: { id: string; confidence: string } | null;
  failurePoint: { file: string; line: number; lineText?: string } | null;
  commits: { sha: string; suspect: boolean }[];
  fix: { ruleId: string } | null;
  report: string;
}

describe('forensics triage (CLI) on the demo incident', function () {
  this.timeout(180_000);
  let ws: DemoWorkspace;
  let pg: TestPostgres;
  let sentry: SentryServer;
  let api: CheckoutApi;
  let base: string[];
  let sentryEvents: StoredEvent[];
  const env = { SENTRY_AUTH_TOKEN: 'triage-token-123' };

  before(async () => {
    ws = buildDemoWorkspace(join(makeTempDir('forensics-triage-'), 'checkout-api'), new Date());
    pg = await startDemoDatabase();
    sentry = await startSentryServer({ token: env.SENTRY_AUTH_TOKEN });
    api = await startCheckoutApi({ dir: ws.dir, databaseUrl: pg.adminUrl, sentryDsn: sentry.dsn('1'), release: 'checkout-api@1.4.0' });
    let failures = 0;
    for (let round = 0; round < 8 && failures === 0; round++) {
      await setStock(pg.adminUrl, 'SKU-1001', 5);
      failures = (await orderRush(api.url, { sku: 'SKU-1001', orders: 40 })).statuses[500] ?? 0;
    }
    assert.ok(failures > 0, 'the race produced no 500');
    sentryEvents = await sentry.waitForEvents(1);
    base = ['--base-url', sentry.url, '--org', sentry.org, '--workspace', ws.dir];
  });
  after(async () => {
    await api?.stop();
    await sentry?.stop();
    await pg?.stop();
  });

  it('walks the seven steps to the Tuesday refactor, the race and the atomic UPDATE, and writes a redacted report', async () => {
    const report = join(makeTempDir('forensics-report-'), 'out', 'incident.md');
    const r = await cli(['triage', ...base, '--db', pg.adminUrl, '--out', report], env);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /CheckViolationError|23514|inventory_stock_check/);
    const step = (n: number) => lines.find((l) => new RegExp(`^\\[[x~ ]\\] ${n}\\. `).test(l)) ?? '';
    assert.match(step(1), /^\[x\] 1\. Failure point: .*src\/inventory\.js:\d+/);
    assert.match(r.out, /perf: drop the transaction and row lock from reserveStock/);
    assert.match(step(3), /Race condition/);
    assert.match(step(5), /read-then-write/i);
    assert.doesNotMatch(r.out, /Could not gather/, 'every source answered');

    const markdown = readFileSync(report, 'utf8');
    assert.match(markdown, /^# Incident report: /);
    assert.match(markdown, /stock = stock - \$1 WHERE sku = \$2 AND stock >= \$1/);
    assert.match(markdown, /Jordan Blake|<email>/);
    // The database URL carries a password in the tests' harness; it must not leak.
    const password = new URL(pg.adminUrl).password;
    if (password) assert.ok(!markdown.includes(password) && !r.out.includes(password));
  });

  it('--json carries the bug class, failure point, commits, fix and report for CI', async () => {
    const r = await cli(['triage', ...base, '--json'], env);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as TriageJson;
    assert.deepEqual(
      parsed.steps.map((s) => s.id),
      ['failure-point', 'recent-changes', 'bug-class', 'blast-radius', 'hotfix', 'long-term-fix', 'monitoring'],
    );
    assert.equal(parsed.bugClass?.id, 'race-condition');
    assert.equal(parsed.bugClass?.confidence, 'high');
    assert.equal(parsed.failurePoint?.file, 'src/inventory.js');
    assert.match(parsed.failurePoint?.lineText ?? '', /UPDATE inventory SET stock = stock - \$1/);
    const suspect = parsed.commits.filter((c) => c.suspect);
    assert.equal(suspect.length, 1);
    assert.equal(suspect[0].sha, ws.commits.refactor);
    assert.equal(parsed.fix?.ruleId, 'read-then-write');
    assert.match(parsed.report, /^# Incident report: /);
  });

  it('--event investigates a saved event without Sentry access, in the API shape and as the SDK sent it', async () => {
    const client = new SentryClient({ baseUrl: sentry.url, org: sentry.org, token: env.SENTRY_AUTH_TOKEN });
    const [incident] = (await client.listIncidents({ sort: 'freq' })).incidents;
    const file = join(makeTempDir('forensics-event-'), 'event.json');
    writeFileSync(file, JSON.stringify(await client.getIssueEvent(incident.id)));
    const r = await cli(['triage', '--event', file, '--workspace', ws.dir, '--json'], {});
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as TriageJson;
    assert.equal(parsed.failurePoint?.file, 'src/inventory.js');
    assert.equal(parsed.bugClass?.id, 'race-condition');

    // The raw event exactly as the real SDK sent it (the event page's JSON download).
    const raw = join(file, '..', 'raw.json');
    writeFileSync(raw, JSON.stringify(sentryEvents[0].event));
    const fromRaw = JSON.parse((await cli(['triage', '--event', raw, '--workspace', ws.dir, '--json'], {})).out) as TriageJson;
    assert.equal(fromRaw.failurePoint?.file, 'src/inventory.js');
    assert.equal(fromRaw.bugClass?.id, 'race-condition');

    writeFileSync(raw, JSON.stringify({ message: 'no exception here' }));
    const noException = await cli(['triage', '--event', raw, '--workspace', ws.dir], {});
    assert.equal(noException.code, 2);
    assert.match(noException.err, /raw\.json: the event has no exception: expected `entries` .* or `exception\.values`/);

    const missing = await cli(['triage', '--event', join(file, '..', 'nope.json'), '--workspace', ws.dir], {});
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.json: no such file/);
  });

  it('--heap adds a real leak series: the retainer path that holds RequestContext', async function () {
    this.timeout(120_000);
    const files = await captureOrdersSeries(makeTempDir('forensics-triage-heap-'), 'leak', 400);
    const r = await cli(['triage', ...base, '--heap', ...files, '--json'], env);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as TriageJson;
    const details = parsed.steps.find((s) => s.id === 'bug-class')?.details ?? [];
    assert.ok(
      details.some((d) => /^heap: RequestContext \+\d+ held by .*EventEmitter._events\.\S+ -> Array -> closure -> RequestContext/.test(d)),
      details.join('\n'),
    );

    const one = await cli(['triage', ...base, '--heap', files[0]], env);
    assert.equal(one.code, 2);
    assert.match(one.err, /two snapshots .* or three/);
  });

  it('says what is wrong with the token, the workspace, a path map and a database URL', async () => {
    const noToken = await cli(['triage', ...base], {});
    assert.equal(noToken.code, 2);
    assert.match(noToken.err, /SENTRY_AUTH_TOKEN is not set/);

    const badToken = await cli(['triage', ...base], { SENTRY_AUTH_TOKEN: 'wrong' });
    assert.equal(badToken.code, 1);
    assert.doesNotMatch(badToken.err, /wrong/, 'the token is never echoed');

    const noFolder = await cli(['triage', '--base-url', sentry.url, '--org', sentry.org, '--workspace', '/nonexistent/checkout'], env);
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.err, /is not a folder/);

    const badMap = await cli(['triage', ...base, '--path-map', 'app'], env);
    assert.equal(badMap.code, 2);
    assert.match(badMap.err, /FROM=TO/);

    const badUrl = await cli(['triage', ...base, '--db', 'mysql://u:hunter2@db/x'], env);
    assert.equal(badUrl.code, 2);
    assert.doesNotMatch(badUrl.err, /hunter2/);
  });

  it('an unreachable database is a gap in the investigation, not a failure', async () => {
    const r = await cli(['triage', ...base, '--database-url', 'postgres://forensics:s3cret@127.0.0.1:1/checkout'], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Could not gather:\n {2}database: /);
    assert.doesNotMatch(r.out, /s3cret/);
  });
});
