// The Incidents view's store against the local server with real @sentry/node events: a
// refresh fills in each incident's first-seen release once, a failing refresh keeps the
// last good list (stale) and says whether reconnecting is the fix, and the latest event
// is fetched once per lastSeen.
import { strict as assert } from 'node:assert';
import { SentryClient } from '../../../src/core/sentry/client';
import { IncidentsStore } from '../../../src/core/sentry/incidentsStore';
import { childNodes, rootNodes, viewOf } from '../../../src/core/sentry/incidentTree';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import { runSdkApp } from './sdkApp';

describe('incidents store against real SDK events', function () {
  this.timeout(30_000);
  let server: SentryServer;
  const client = (token = server.token) => new SentryClient({ baseUrl: server.url, org: 'acme', token, backoffBaseMs: 5, maxRetries: 1 });

  before(async () => {
    server = await startSentryServer({ org: 'acme', projects: [{ id: '1', slug: 'checkout-api' }] });
    await runSdkApp({ dsn: server.dsn('1'), release: 'checkout-api@1.4.0', environment: 'production' });
    await server.waitForEvents(8);
  });
  afterEach(() => server.clearFaults());
  after(() => server?.stop());

  it('refreshes, fills the first-seen release once per incident, and keeps the list when a refresh fails', async () => {
    const store = new IncidentsStore();
    const c = client();
    assert.equal(await store.refresh(c, { projects: ['checkout-api'] }), true);
    const first = store.data!.incidents;
    assert.equal(first.length, 5);
    assert.ok(
      first.every((i) => i.firstRelease === 'checkout-api@1.4.0'),
      'every incident knows its first release',
    );
    const detailCalls = () => server.requests.filter((r) => /\/issues\/\d+\/$/.test(r.path)).length;
    assert.equal(detailCalls(), 5);

    assert.equal(await store.refresh(c, { projects: ['checkout-api'] }), true);
    assert.equal(detailCalls(), 5, 'releases come from the cache on the next refresh');
    assert.ok(store.data!.incidents.every((i) => i.firstRelease === 'checkout-api@1.4.0'));
    const goodAt = store.data!.fetchedAt;

    server.inject({ kind: 'status', status: 500, times: 5, path: '/issues/' });
    assert.equal(await store.refresh(c, { projects: ['checkout-api'] }), false);
    assert.ok(store.stale);
    assert.equal(store.data!.fetchedAt, goodAt);
    assert.equal(store.data!.incidents.length, 5, 'the last good list stays');
    assert.equal(store.failure?.kind, 'server');
    assert.equal(store.failure?.needsConnect, false);
    assert.match(store.failure!.message, /answered 500/);

    server.clearFaults();
    assert.equal(await store.refresh(c, { projects: ['checkout-api'] }), true);
    assert.ok(!store.stale && store.failure === undefined);
  });

  it('counts what moved since the previous refresh, and the row says "+N new"', async () => {
    const store = new IncidentsStore();
    const c = client();
    assert.equal(await store.refresh(c, { projects: ['checkout-api'] }), true);
    assert.equal(store.growth.size, 0, 'a first list has nothing to compare with');
    const before = new Map(store.data!.incidents.map((i) => [i.id, i.count]));
    const firstAt = store.data!.fetchedAt;
    const received = server.store.events.length;
    await runSdkApp({ dsn: server.dsn('1'), release: 'checkout-api@1.4.0', environment: 'production', onlyOrders: true, repeatOrders: 4 });
    await server.waitForEvents(received + 4);
    assert.equal(await store.refresh(c, { projects: ['checkout-api'] }), true);
    const grown = store.data!.incidents.filter((i) => i.count > (before.get(i.id) ?? Infinity));
    assert.ok(grown.length > 0, 'the second run added events to a known incident');
    for (const i of grown)
      assert.deepEqual(store.growth.get(i.id), {
        newEvents: i.count - before.get(i.id)!,
        newUsers: store.growth.get(i.id)!.newUsers,
        since: firstAt,
      });
    const unchanged = store.data!.incidents.filter((i) => i.count === before.get(i.id));
    for (const i of unchanged) assert.equal(store.growth.has(i.id), false);
    const rows = rootNodes(store)
      .flatMap((n) => childNodes(n))
      .map((n) => viewOf(n));
    const row = rows.find((r) => r.id === `incident:${grown[0].id}`);
    assert.match(row?.description ?? '', new RegExp(`^\\+${grown[0].count - before.get(grown[0].id)!} new · `));
    assert.match(row?.tooltip ?? '', /Since the previous refresh \| \+\d+ events?/);
    // Nothing new on the next refresh: the figure stays until something moves again.
    assert.equal(await store.refresh(c, { projects: ['checkout-api'] }), true);
    assert.equal(store.growth.get(grown[0].id)?.newEvents, grown[0].count - before.get(grown[0].id)!);
  });

  it('a refused token is a failure that asks to connect again, with no list to show', async () => {
    const store = new IncidentsStore();
    assert.equal(await store.refresh(client('revoked-token'), {}), false);
    assert.equal(store.data, undefined);
    assert.equal(store.failure?.kind, 'unauthorized');
    assert.equal(store.failure?.needsConnect, true);
    assert.ok(!store.failure!.message.includes('revoked-token'));
  });

  it('loads the latest event once per lastSeen and hands it to other features in the snapshot', async () => {
    const store = new IncidentsStore();
    const c = client();
    await store.refresh(c, { projects: ['checkout-api'], query: 'CheckViolationError' });
    const [incident] = store.data!.incidents;
    assert.equal(store.summaries()[0].latestEvent, undefined);
    const before = c.http.attempts;
    const event = await store.latestEvent(c, incident);
    assert.equal(event.culprit?.function, 'reserveStock');
    await store.latestEvent(c, incident);
    assert.equal(c.http.attempts, before + 1, 'the second look is served from the cache');
    const [summary] = store.summaries();
    assert.equal(summary.latestEvent?.release, 'checkout-api@1.4.0');
    assert.equal(summary.latestEvent?.culprit?.function, 'reserveStock');
    await store.latestEvent(c, { ...incident, lastSeen: new Date().toISOString() });
    assert.equal(c.http.attempts, before + 2, 'a new lastSeen means a new latest event');
    store.clear();
    assert.deepEqual(store.summaries(), []);
  });
});
