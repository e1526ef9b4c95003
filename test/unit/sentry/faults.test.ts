// Failure handling against the local server's injected faults: auth, missing resources,
// rate limits with Retry-After, 5xx, timeouts and malformed JSON. Retries are bounded and
// no error message ever carries the token.
import { strict as assert } from 'node:assert';
import { SentryClient } from '../../../src/core/sentry/client';
import { SentryApiError } from '../../../src/core/sentry/errors';
import { retryAfterSeconds } from '../../../src/core/sentry/http';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import { runSdkApp } from './sdkApp';

const TOKEN = 'sntrys_secret-token-value-9f8e7d';

describe('sentry client faults', function () {
  this.timeout(30_000);
  let server: SentryServer;
  const messages: string[] = [];

  const client = (extra: Partial<ConstructorParameters<typeof SentryClient>[0]> = {}) =>
    new SentryClient({ baseUrl: server.url, org: 'acme', token: TOKEN, backoffBaseMs: 5, timeoutMs: 2000, ...extra });

  async function failure(p: Promise<unknown>): Promise<SentryApiError> {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof SentryApiError, `expected a SentryApiError, got ${String(err)}`);
      messages.push(err.message);
      return err;
    }
    assert.fail('expected the request to fail');
  }

  before(async () => {
    server = await startSentryServer({ token: TOKEN });
    await runSdkApp({ dsn: server.dsn('1'), release: 'checkout-api@1.4.0', environment: 'production', onlyOrders: true, repeatOrders: 2 });
    await server.waitForEvents(2);
  });
  afterEach(() => server.clearFaults());
  after(async () => {
    for (const m of messages) assert.ok(!m.includes(TOKEN) && !m.includes('secret-token'), `token leaked into: ${m}`);
    await server?.stop();
  });

  it('401: explains the token was refused, without retrying and without echoing it', async () => {
    const c = client({ token: 'wrong-token' });
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'unauthorized');
    assert.equal(err.status, 401);
    assert.match(err.message, /refused the auth token/);
    assert.ok(!err.message.includes('wrong-token'));
    assert.equal(c.http.attempts, 1);
  });

  it('403: names the scopes the endpoint needs', async () => {
    server.inject({ kind: 'status', status: 403 });
    const err = await failure(client().listIssues());
    assert.equal(err.kind, 'forbidden');
    assert.match(err.message, /event:read/);
    assert.match(err.message, /You do not have permission/);
  });

  it('404: a wrong organization says what to check', async () => {
    const c = new SentryClient({ baseUrl: server.url, org: 'no-such-org', token: TOKEN });
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'notFound');
    assert.match(err.message, /organization slug/);
    assert.equal(c.http.attempts, 1);
  });

  it('429: waits as Retry-After says, then succeeds', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: 1 });
    const c = client();
    const started = Date.now();
    const page = await c.listIssues();
    assert.equal(page.issues.length, 1);
    assert.ok(Date.now() - started >= 1000, `waited only ${Date.now() - started} ms`);
    assert.equal(c.http.attempts, 2);
  });

  it('429: a Retry-After beyond the longest wait fails at once with the wait in the error', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: 120 });
    const c = client();
    const started = Date.now();
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'rateLimited');
    assert.equal(err.retryAfterSeconds, 120);
    assert.match(err.message, /too frequently/);
    assert.ok(Date.now() - started < 1000);
    assert.equal(c.http.attempts, 1);
  });

  it('429 on every attempt: gives up after the bounded retries, no storm', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: 0, times: 10 });
    const c = client({ maxRetries: 2 });
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'rateLimited');
    assert.equal(c.http.attempts, 3);
    assert.match(err.message, /Gave up after 3 attempts/);
  });

  it('waits for the rate-limit window when X-Sentry-Rate-Limit-Remaining reaches 0', async () => {
    const tight = await startSentryServer({ token: TOKEN, rateLimit: { limit: 2, windowSeconds: 1 } });
    try {
      const c = new SentryClient({ baseUrl: tight.url, org: 'acme', token: TOKEN });
      await c.listIssues();
      await c.listIssues();
      assert.equal(c.http.rateLimit.remaining, 0);
      const reset = c.http.rateLimit.reset! * 1000;
      await c.listIssues();
      assert.ok(Date.now() >= reset, 'the third request waited for the window to reset');
    } finally {
      await tight.stop();
    }
  });

  it('500 then success: retries and returns the data', async () => {
    server.inject({ kind: 'status', status: 500 });
    const c = client();
    const page = await c.listIssues();
    assert.equal(page.issues.length, 1);
    assert.equal(c.http.attempts, 2);
  });

  it('5xx on every attempt: a clear error after the bounded retries', async () => {
    server.inject({ kind: 'status', status: 503, times: 10 });
    const c = client({ maxRetries: 1 });
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'server');
    assert.match(err.message, /answered 503.*Gave up after 2 attempts/);
    assert.equal(c.http.attempts, 2);
  });

  it('timeout: a slow answer is abandoned and retried, then reported', async () => {
    server.inject({ kind: 'slow', delayMs: 600, times: 10 });
    const c = client({ timeoutMs: 150, maxRetries: 1 });
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /within 150 ms.*Gave up after 2 attempts/);
    server.clearFaults();
    server.inject({ kind: 'slow', delayMs: 600 });
    const again = client({ timeoutMs: 300 });
    assert.equal((await again.listIssues()).issues.length, 1, 'a single slow answer is survived by the retry');
  });

  it('malformed JSON: says so without retrying', async () => {
    server.inject({ kind: 'malformed' });
    const c = client();
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'malformed');
    assert.match(err.message, /not valid JSON/);
    assert.equal(c.http.attempts, 1);
  });

  it('network: a closed port is a clear error', async () => {
    const closed = await startSentryServer();
    const url = closed.url;
    await closed.stop();
    const c = new SentryClient({ baseUrl: url, org: 'acme', token: TOKEN, backoffBaseMs: 5, maxRetries: 1 });
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'network');
    assert.match(err.message, /Could not reach Sentry/);
  });
  it('malformed: a 200 whose body is JSON but not the list Sentry documents is an error, not an empty list', async () => {
    server.inject({ kind: 'status', status: 200, body: { detail: 'not a list' }, path: '/issues/' });
    const c = client();
    const err = await failure(c.listIssues());
    assert.equal(err.kind, 'malformed');
    assert.match(err.message, /was not a list/);
    assert.equal(c.http.attempts, 1, 'a malformed answer is not retried');
  });

  it('malformed: an event without entries is reported as such', async () => {
    const c = client();
    const [issue] = (await c.listIssues()).issues;
    server.inject({ kind: 'status', status: 200, body: { id: 'x', eventID: 'x' }, path: '/events/latest/' });
    const err = await failure(c.latestEvent(issue.id));
    assert.equal(err.kind, 'malformed');
    assert.match(err.message, new RegExp(`event for issue ${issue.id} has no entries`));
  });

  it('Retry-After as an HTTP date is read as the seconds until then', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterSeconds(new Headers({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now), 7);
    assert.equal(retryAfterSeconds(new Headers({ 'Retry-After': '3' }), now), 3);
    assert.equal(retryAfterSeconds(new Headers({ 'Retry-After': 'soon' }), now), undefined);
  });

  it('429 then 429: each Retry-After is honoured, and the retries stay within the bound', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: 1, times: 2 });
    const slept: number[] = [];
    const c = client({ maxRetries: 2, sleep: async (ms) => void slept.push(ms), random: () => 0 });
    const page = await c.listIssues();
    assert.equal(page.issues.length, 1);
    assert.equal(c.http.attempts, 3);
    assert.deepEqual(slept, [1000, 1000], 'waited exactly what Retry-After said (no jitter with random=0), once per 429');
  });
});
