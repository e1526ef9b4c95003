// The client reads back, through Sentry's REST shapes, events the real @sentry/node SDK
// sent to the local Sentry-compatible server.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SentryClient } from '../../../src/core/sentry/client';
import { SentryApiError } from '../../../src/core/sentry/errors';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import { appDir, runSdkApp } from './sdkApp';

const RELEASE = 'checkout-api@1.4.0';

function lineOf(file: string, needle: string): number {
  const lines = readFileSync(join(appDir, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file}`);
  return i + 1;
}

describe('sentry client against the local server with real SDK events', function () {
  this.timeout(30_000);
  let server: SentryServer;
  let client: SentryClient;

  before(async () => {
    server = await startSentryServer({
      org: 'acme',
      projects: [
        { id: '1', slug: 'checkout-api' },
        { id: '2', slug: 'billing-api' },
      ],
    });
    await Promise.all([
      runSdkApp({ dsn: server.dsn('1'), release: RELEASE, environment: 'production' }),
      runSdkApp({ dsn: server.dsn('2'), release: 'billing-api@2.0.0', environment: 'staging', onlyOrders: true, repeatOrders: 1 }),
    ]);
    await server.waitForEvents(9);
    client = new SentryClient({ baseUrl: server.url, org: 'acme', token: server.token, backoffBaseMs: 5 });
  });
  after(() => server?.stop());

  it('received plain and gzip envelopes from the SDK', () => {
    assert.ok(
      server.envelopes.some((e) => e.contentEncoding === 'gzip'),
      'the large event came gzipped',
    );
    assert.ok(server.envelopes.some((e) => e.contentEncoding === ''));
  });

  it('lists the project issues with counts, users, culprit and level', async () => {
    const { incidents } = await client.listIncidents({ projects: ['checkout-api'], sort: 'freq' });
    assert.equal(incidents.length, 5);
    const top = incidents[0];
    assert.match(top.title, /^CheckViolationError: new row for relation "inventory" violates check constraint/);
    assert.equal(top.count, 3);
    assert.equal(top.userCount, 2);
    assert.equal(top.level, 'error');
    assert.equal(top.culprit, 'reserveStock(orders)');
    assert.equal(top.project, 'checkout-api');
    assert.match(top.shortId, /^CHECKOUT-API-\w+$/);
    assert.ok(top.permalink?.startsWith(server.url));
    assert.ok(Date.parse(top.firstSeen) <= Date.parse(top.lastSeen));
    const tax = incidents.find((i) => i.title.startsWith('RangeError'));
    assert.equal(tax?.count, 2, 'two computeTax failures group into one issue');
  });

  it('reads the latest event: frames in Sentry order, culprit at the throwing line, context, release', async () => {
    const { incidents } = await client.listIncidents({ projects: ['checkout-api'], query: 'CheckViolationError' });
    assert.equal(incidents.length, 1);
    const event = await client.latestEvent(incidents[0].id);
    assert.equal(event.release, RELEASE);
    assert.equal(event.environment, 'production');
    assert.equal(event.issueId, incidents[0].id);
    const [exc] = event.exceptions;
    assert.equal(exc.type, 'CheckViolationError');
    assert.deepEqual(exc.mechanism, { type: 'generic', handled: true });
    const frames = exc.frames;
    assert.equal(frames[frames.length - 1].function, 'reserveStock', 'innermost frame last');
    assert.equal(frames[0].inApp, false, 'outermost frame (node internals) first');
    const culprit = event.culprit!;
    assert.equal(culprit.function, 'reserveStock');
    assert.equal(culprit.lineNo, lineOf('orders.js', 'throw new CheckViolationError'));
    assert.ok(culprit.absPath?.endsWith(join('fixtures', 'app', 'orders.js')) || culprit.filename?.endsWith('orders.js'));
    assert.equal(culprit.inApp, true);
    assert.match(culprit.contextLine ?? '', /throw new CheckViolationError/);
    assert.ok((culprit.preContext ?? []).some((l) => l.includes('if (stock < 0)')));
    const caller = frames[frames.length - 2];
    assert.equal(caller.function, 'Object.placeOrder', 'as V8 names a method called through the module object');
    assert.equal(caller.lineNo, lineOf('orders.js', 'return reserveStock('));
  });

  it('keeps a chained exception in Sentry order (cause first) and blames the raised one', async () => {
    const { incidents } = await client.listIncidents({ projects: ['checkout-api'], query: 'payment failed' });
    const event = await client.latestEvent(incidents[0].id);
    assert.deepEqual(
      event.exceptions.map((e) => e.value),
      ['gateway timed out after 3000 ms', 'payment failed'],
    );
    assert.equal(event.culprit?.function, 'Object.chargeCard');
  });

  it('pages through the Link header cursor up to the limit', async () => {
    const before = server.requests.length;
    const all = await client.listIssues({ projects: ['checkout-api'], pageSize: 2, limit: 50 });
    const issueRequests = server.requests.slice(before).filter((r) => r.path.endsWith('/issues/'));
    assert.equal(all.issues.length, 5);
    assert.equal(all.pages, 3);
    assert.equal(all.truncated, false);
    assert.equal(new Set(all.issues.map((i) => i.id)).size, 5, 'no issue twice across pages');
    assert.deepEqual(
      issueRequests.map((r) => new URLSearchParams(r.query).get('cursor')),
      [null, '0:2:0', '0:4:0'],
    );
    const limited = await client.listIssues({ projects: ['checkout-api'], pageSize: 2, limit: 3 });
    assert.equal(limited.issues.length, 3);
    assert.equal(limited.pages, 2);
    assert.equal(limited.truncated, true);
  });

  it('filters by project and environment, and explains an unknown project', async () => {
    const staging = await client.listIncidents({ environment: 'staging' });
    assert.deepEqual(
      staging.incidents.map((i) => i.project),
      ['billing-api'],
    );
    const billing = await client.listIncidents({ projects: ['billing-api'] });
    assert.equal(billing.incidents.length, 1);
    await assert.rejects(
      client.listIncidents({ projects: ['nope'] }),
      (err: SentryApiError) => err.kind === 'notFound' && /"nope"/.test(err.message) && /checkout-api/.test(err.message),
    );
  });

  it('reads the first release from the issue and the release with commits and deploys', async () => {
    const { incidents } = await client.listIncidents({ projects: ['checkout-api'], query: 'CheckViolationError' });
    const issue = await client.getIssue(incidents[0].id);
    assert.equal(issue.firstRelease?.version, RELEASE);
    // What sentry-cli does in CI: associate commits, record a deploy.
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/0/organizations/acme/${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal(
      (
        await post('releases/', {
          version: RELEASE,
          projects: ['checkout-api'],
          commits: [
            {
              id: 'a1b2c3d',
              message: 'perf: drop FOR UPDATE in reserveStock',
              author_name: 'Dana',
              author_email: 'dana@example.com',
              timestamp: '2026-11-17T10:00:00Z',
              repository: 'acme/checkout-api',
            },
          ],
        })
      ).status,
      201,
    );
    assert.equal(
      (await post(`releases/${encodeURIComponent(RELEASE)}/deploys/`, { environment: 'production', name: 'deploy 42' })).status,
      201,
    );
    const release = await client.releaseDetails(RELEASE);
    assert.equal(release.version, RELEASE);
    // Created when its first event was received, which trails the event's own timestamp by
    // the SDK's flush and the machine's load (seconds on a busy CI box): close, not exact.
    assert.ok(
      release.dateCreated && Math.abs(Date.parse(release.dateCreated) - Date.parse(incidents[0].firstSeen)) < 30_000,
      `${release.dateCreated} vs ${incidents[0].firstSeen}`,
    );
    assert.equal(release.lastCommit?.id, 'a1b2c3d');
    assert.deepEqual(
      release.commits.map((c) => [c.id, c.authorName, c.message]),
      [['a1b2c3d', 'Dana', 'perf: drop FOR UPDATE in reserveStock']],
    );
    assert.deepEqual(
      release.deploys.map((d) => [d.environment, d.name]),
      [['production', 'deploy 42']],
    );
    assert.ok(release.firstEvent);
    await assert.rejects(client.releaseDetails('no-such-release'), (err: SentryApiError) => err.kind === 'notFound');
  });

  it('records the rate-limit headers Sentry sends', async () => {
    await client.listIssues({ limit: 1 });
    assert.equal(client.http.rateLimit.limit, 1000);
    assert.ok((client.http.rateLimit.remaining ?? -1) >= 0);
    assert.ok((client.http.rateLimit.reset ?? 0) * 1000 > Date.now() - 1000);
  });
});
