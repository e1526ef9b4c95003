// What a person reads in the Incidents view, from the core's tree model: rows grouped by
// project with counts, relative times and the first-seen release; Markdown tooltips that
// show outside text literally; frames most recent first with the culprit marked; notices
// and the stale message; settings, token choice and remembered filters.
import { strict as assert } from 'node:assert';
import type { IncidentSummary } from '../../../src/core/model/incident';
import type { ExceptionInfo } from '../../../src/core/model/frame';
import { childNodes, escapeMarkdown, rootNodes, viewMessage, viewOf, type IncidentNode } from '../../../src/core/sentry/incidentTree';
import { IncidentsStore, newIncidentIds } from '../../../src/core/sentry/incidentsStore';
import { describeFilters, effectiveFilters, issueQuery, sanitiseRemembered, withFilter } from '../../../src/core/sentry/incidentFilters';
import { SentryClient } from '../../../src/core/sentry/client';
import { checkConnection, parseProjectList, pickToken, readSentrySettings, SENTRY_DEFAULTS } from '../../../src/core/sentry/settings';

const NOW = Date.parse('2026-03-10T12:00:00Z');

function incident(over: Partial<IncidentSummary> = {}): IncidentSummary {
  return {
    id: '101',
    shortId: 'CHECKOUT-API-1',
    title: 'CheckViolationError: stock went negative',
    culprit: 'reserveStock(orders)',
    level: 'error',
    count: 1204,
    userCount: 1,
    firstSeen: '2026-03-08T12:00:00Z',
    lastSeen: '2026-03-10T11:55:00Z',
    project: 'checkout-api',
    permalink: 'https://sentry.example/organizations/acme/issues/101/',
    ...over,
  };
}

const chain: ExceptionInfo[] = [
  { type: 'Error', value: 'gateway timed out', frames: [{ function: 'callGateway', filename: 'src/gateway.js', lineNo: 3, inApp: true }] },
  {
    type: 'Error',
    value: 'payment failed',
    mechanism: { handled: false },
    frames: [
      { function: 'processTicksAndRejections', filename: 'node:internal/process/task_queues', lineNo: 95, inApp: false },
      {
        function: 'chargeCard',
        filename: 'src/orders.js',
        absPath: '/app/src/orders.js',
        lineNo: 40,
        colNo: 9,
        inApp: true,
        contextLine: '  throw new Error(`payment failed`);',
        preContext: ['  try {'],
      },
      { function: 'retry', filename: 'node_modules/p-retry/index.js', lineNo: 12, inApp: false },
    ],
  },
];

function storeWith(incidents: IncidentSummary[], fetchedAt = NOW - 5 * 60_000): IncidentsStore {
  const store = new IncidentsStore();
  store.data = { incidents, truncated: false, fetchedAt };
  return store;
}

describe('incidents view model', () => {
  it('groups incidents by project, in the order Sentry sorted them', () => {
    const store = storeWith([incident(), incident({ id: '2', project: 'billing-api' }), incident({ id: '3' })]);
    const roots = rootNodes(store);
    assert.deepEqual(
      roots.map((n) => viewOf(n, NOW).label),
      ['checkout-api', 'billing-api'],
    );
    assert.equal(viewOf(roots[0], NOW).description, '2 incidents');
    assert.deepEqual(
      childNodes(roots[0]).map((n) => (n.kind === 'incident' ? n.incident.id : '')),
      ['101', '3'],
    );
  });

  it('an incident row: level icon, title, culprit, counts, relative last seen, first release', () => {
    const view = viewOf({ kind: 'incident', incident: incident({ firstRelease: 'checkout-api@1.4.0' }) }, NOW);
    assert.equal(view.label, 'CheckViolationError: stock went negative');
    assert.equal(view.description, '1,204 events · 1 user · 5 minutes ago · checkout-api@1.4.0 · reserveStock(orders)');
    assert.deepEqual(view.icon, { id: 'error', color: 'errorForeground' });
    assert.equal(view.collapsible, 'collapsed');
    assert.equal(view.contextValue, 'forensics.sentryIncident.linked');
    assert.equal(
      viewOf({ kind: 'incident', incident: incident({ permalink: undefined, level: 'warning' }) }, NOW).contextValue,
      'forensics.sentryIncident',
    );
    assert.equal(viewOf({ kind: 'incident', incident: incident({ level: 'fatal' }) }, NOW).icon?.id, 'flame');
    assert.equal(viewOf({ kind: 'incident', incident: incident({ level: 'sample' }) }, NOW).icon?.id, 'circle-outline');
  });

  it('the tooltip shows outside text literally and links to Sentry', () => {
    const tooltip =
      viewOf({ kind: 'incident', incident: incident({ title: 'Bad <img src=x> *bold* [link](http://evil)', firstRelease: '1.4.0' }) }, NOW)
        .tooltip ?? '';
    assert.ok(tooltip.includes('Bad \\<img src=x\\> \\*bold\\* \\[link\\]\\(http://evil\\)'), tooltip);
    assert.match(tooltip, /\| Events \| 1,204 \|/);
    assert.match(tooltip, /\| First seen \| 2026\\-03\\-08T12:00:00Z \(2 days ago\) \|/);
    assert.match(tooltip, /\| First release \| 1\\\.4\\\.0 \|/);
    assert.match(tooltip, /\[Open in Sentry\]\(https:\/\/sentry\.example\/organizations\/acme\/issues\/101\/\)/);
    assert.equal(escapeMarkdown('a_b|c'), 'a\\_b\\|c');
  });

  it('an event lists its exceptions raised-first, and frames most recent call first with the culprit marked', () => {
    const inc = incident();
    const event: IncidentNode = {
      kind: 'event',
      incident: inc,
      event: {
        eventId: 'e1',
        tags: { environment: 'production' },
        release: '1.4.0',
        environment: 'production',
        dateCreated: '2026-03-10T11:55:00Z',
        exceptions: chain,
      },
    };
    assert.equal(viewOf(event, NOW).description, '1.4.0 · production · 5 minutes ago');
    const [raised, cause] = childNodes(event);
    assert.equal(viewOf(raised, NOW).label, 'Error: payment failed');
    assert.equal(viewOf(raised, NOW).description, '3 frames · unhandled');
    assert.equal(viewOf(raised, NOW).collapsible, 'expanded');
    assert.equal(viewOf(cause, NOW).description, '1 frame · cause');
    const frames = childNodes(raised);
    assert.deepEqual(
      frames.map((f) => viewOf(f, NOW).label),
      ['retry', 'chargeCard', 'processTicksAndRejections'],
    );
    const culprit = frames[1];
    assert.ok(culprit.kind === 'frame' && culprit.isCulprit);
    assert.equal(viewOf(culprit, NOW).icon?.id, 'debug-stackframe-focused');
    assert.equal(viewOf(culprit, NOW).description, 'orders.js:40:9');
    assert.match(viewOf(culprit, NOW).tooltip ?? '', /```\n {2}try \{\n {2}throw new Error\(`payment failed`\);\n```/);
    assert.equal(viewOf(frames[0], NOW).icon?.id, 'library');
    // What forensics.openFrame receives with the frame.
    assert.ok(culprit.kind === 'frame');
    assert.deepEqual(
      { ...culprit.context, incident: culprit.context.incident?.id },
      { title: inc.title, eventCount: 1204, firstSeen: inc.firstSeen, incident: '101', message: 'payment failed', release: '1.4.0' },
    );
  });

  it('an event without an exception says so instead of expanding to nothing', () => {
    const [notice] = childNodes({
      kind: 'event',
      incident: incident(),
      event: { eventId: 'e2', tags: {}, message: 'checkout slow', exceptions: [] },
    });
    assert.deepEqual(notice, { kind: 'notice', severity: 'info', text: 'No exception in the latest event', detail: 'checkout slow' });
  });

  it('a trace shown from outside Sentry sits on top of the projects', () => {
    const roots = rootNodes(storeWith([incident()]), { title: 'Pasted trace', exceptions: chain });
    assert.deepEqual(
      roots.map((n) => n.kind),
      ['trace', 'project'],
    );
    assert.equal(childNodes(roots[0]).length, 2);
  });

  it('says why there are no rows: a failure (with the action that fixes it) or filters that match nothing', () => {
    const failed = new IncidentsStore();
    failed.failure = { kind: 'unauthorized', message: 'Sentry refused the auth token (401).', at: NOW, needsConnect: true };
    const [notice] = rootNodes(failed);
    assert.deepEqual(notice, {
      kind: 'notice',
      severity: 'error',
      text: 'Could not load incidents',
      detail: 'Sentry refused the auth token (401).',
      action: 'connect',
    });
    assert.equal(rootNodes(new IncidentsStore()).length, 0, 'nothing yet: the welcome content shows');
    const [empty] = rootNodes(storeWith([]));
    assert.equal(empty.kind === 'notice' && empty.text, 'No incidents match the filters');
  });

  it('a failed refresh keeps the rows and the message says since when and why', () => {
    const store = storeWith([incident()]);
    assert.equal(viewMessage(store, NOW), undefined);
    store.failure = { kind: 'server', message: 'Sentry answered 500.', at: NOW, needsConnect: false };
    assert.ok(store.stale);
    assert.equal(rootNodes(store)[0].kind, 'project', 'the rows stay');
    assert.equal(viewMessage(store, NOW), 'Stale: showing incidents from 5 minutes ago. Refresh failed: Sentry answered 500.');
    store.failure = undefined;
    store.data = { ...store.data!, truncated: true };
    assert.match(viewMessage(store, NOW) ?? '', /first 1 incidents \(raise forensics\.sentry\.limit/);
  });

  it('counts the incidents new since the last look', () => {
    assert.deepEqual(newIncidentIds([incident({ id: '1' }), incident({ id: '2' })], ['1']), ['2']);
  });
});

describe('incidents settings and filters', () => {
  it('reads settings with defaults, clamps numbers and splits project lists', () => {
    const s = readSentrySettings(
      (k) => ({ organization: ' acme ', projects: ['a', 'b', 'a', ''], refreshIntervalMinutes: -3, limit: 'x' })[k as string],
    );
    assert.deepEqual(s, { ...SENTRY_DEFAULTS, organization: 'acme', projects: ['a', 'b'], refreshIntervalMinutes: 0 });
    assert.deepEqual(parseProjectList('checkout-api, billing-api  checkout-api'), ['checkout-api', 'billing-api']);
  });

  it('the stored token wins over SENTRY_AUTH_TOKEN; missing pieces are named without the token', () => {
    assert.deepEqual(pickToken('stored', { SENTRY_AUTH_TOKEN: 'env' }), { value: 'stored', source: 'secretStorage' });
    assert.deepEqual(pickToken(undefined, { SENTRY_AUTH_TOKEN: ' env ' }), { value: 'env', source: 'environment' });
    assert.equal(pickToken('', {}), undefined);
    const none = checkConnection(SENTRY_DEFAULTS, undefined);
    assert.ok(!none.ok);
    assert.deepEqual(none.missing, ['organization', 'token']);
    assert.match(none.message, /organization slug \(forensics\.sentry\.organization\) and an auth token .*Connect Sentry/);
    const ok = checkConnection({ ...SENTRY_DEFAULTS, organization: 'acme' }, { value: 'sntrys_abc', source: 'environment' });
    assert.ok(ok.ok && ok.options.token === 'sntrys_abc' && ok.options.org === 'acme' && ok.tokenSource === 'environment');
  });

  it('plain http to another host is refused unless forensics.sentry.allowInsecureHttp says so', () => {
    const token = { value: 'sntrys_abc', source: 'environment' as const };
    for (const allow of [false, true]) {
      const settings = readSentrySettings(
        (k) => ({ url: 'http://sentry.lan.invalid', organization: 'acme', allowInsecureHttp: allow })[k as string],
      );
      assert.equal(settings.allowInsecureHttp, allow);
      const check = checkConnection(settings, token);
      assert.ok(check.ok);
      // Refused before any connection when not allowed; allowed, the client is made.
      let refusal: Error | undefined;
      try {
        new SentryClient(check.options);
      } catch (e) {
        refusal = e as Error;
      }
      if (allow) assert.equal(refusal, undefined);
      else assert.match(String(refusal?.message), /in clear text .*forensics\.sentry\.allowInsecureHttp/);
    }
  });

  it('remembered filters override the settings, and junk from storage is dropped', () => {
    const settings = { ...SENTRY_DEFAULTS, environment: 'production', projects: ['checkout-api'], limit: 10 };
    assert.deepEqual(effectiveFilters(settings, {}), { environment: 'production', query: 'is:unresolved', sort: 'date' });
    const remembered = withFilter(withFilter({}, 'environment', ''), 'sort', 'freq');
    const f = effectiveFilters(settings, remembered);
    assert.deepEqual(f, { environment: '', query: 'is:unresolved', sort: 'freq' });
    assert.equal(describeFilters(f), 'all environments · is:unresolved · by events');
    assert.deepEqual(issueQuery(settings, f), {
      projects: ['checkout-api'],
      environment: undefined,
      query: 'is:unresolved',
      sort: 'freq',
      limit: 10,
    });
    assert.deepEqual(sanitiseRemembered({ environment: 3, query: ' level:error ', sort: 'sideways' }), { query: 'level:error' });
    assert.deepEqual(sanitiseRemembered('nonsense'), {});
  });
});
