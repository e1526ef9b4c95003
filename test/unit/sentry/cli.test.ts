// `forensics sentry issues|event` against the local server holding real SDK events.
import { strict as assert } from 'node:assert';
import { runForensics as cli } from '../harness/cli';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import type { IncidentSummary } from '../../../src/core/model/incident';
import type { NormalisedEvent } from '../../../src/core/sentry/normalize';
import { runSdkApp } from './sdkApp';

describe('forensics sentry (CLI)', function () {
  this.timeout(30_000);
  let server: SentryServer;
  let env: NodeJS.ProcessEnv;
  let base: string[];

  before(async () => {
    server = await startSentryServer({ token: 'cli-token-abc' });
    await runSdkApp({ dsn: server.dsn('1'), release: 'checkout-api@1.4.0', environment: 'production' });
    await server.waitForEvents(8);
    env = { SENTRY_AUTH_TOKEN: 'cli-token-abc' };
    base = ['--base-url', server.url, '--org', 'acme'];
  });
  after(() => server?.stop());

  it('issues --json lists IncidentSummary objects, filtered and limited', async () => {
    const r = await cli(
      ['sentry', 'issues', ...base, '--project', 'checkout-api', '--environment', 'production', '--sort', 'freq', '--limit', '2', '--json'],
      env,
    );
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as IncidentSummary[];
    assert.equal(list.length, 2);
    assert.equal(list[0].count, 3);
    assert.match(list[0].title, /^CheckViolationError/);
    assert.equal(list[0].project, 'checkout-api');
  });

  it('issues prints a table by default', async () => {
    const r = await cli(['sentry', 'issues', ...base, '--query', 'is:unresolved CheckViolationError'], env);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /^ID\s+SHORT ID\s+LEVEL\s+EVENTS\s+USERS\s+LAST SEEN\s+TITLE$/);
    assert.equal(lines.length, 2);
    assert.match(lines[1], /CHECKOUT-API-1\s+error\s+3\s+2\s+\d+s ago\s+CheckViolationError: .* — reserveStock\(orders\)/);
  });

  it('event --json gives the normalised latest event', async () => {
    const list = JSON.parse(
      (await cli(['sentry', 'issues', ...base, '--query', 'CheckViolationError', '--json'], env)).out,
    ) as IncidentSummary[];
    const r = await cli(['sentry', 'event', list[0].id, ...base, '--json'], env);
    assert.equal(r.code, 0, r.err);
    const ev = JSON.parse(r.out) as NormalisedEvent;
    assert.equal(ev.issueId, list[0].id);
    assert.equal(ev.release, 'checkout-api@1.4.0');
    assert.equal(ev.environment, 'production');
    assert.equal(ev.culprit?.function, 'reserveStock');
    assert.equal(ev.exceptions[0].frames.at(-1)?.function, 'reserveStock');
    assert.equal(ev.tags.environment, 'production');
    const human = await cli(['sentry', 'event', list[0].id, ...base], env);
    assert.match(human.out, /> at reserveStock \(.*orders\.js:\d+:\d+\)/);
  });

  it('fails with one line and a non-zero exit, never echoing the token', async () => {
    const noToken = await cli(['sentry', 'issues', ...base], {});
    assert.equal(noToken.code, 2);
    assert.match(noToken.err, /^forensics: SENTRY_AUTH_TOKEN is not set/);
    const wrong = await cli(['sentry', 'issues', ...base], { SENTRY_AUTH_TOKEN: 'bad-secret-xyz' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /^forensics: Sentry refused the auth token \(401\)[^\n]*\n$/);
    assert.ok(!wrong.err.includes('bad-secret-xyz'));
    const missing = await cli(['sentry', 'event', '999', ...base], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /404/);
    const badSort = await cli(['sentry', 'issues', ...base, '--sort', 'loudest'], env);
    assert.equal(badSort.code, 2);
  });
});
