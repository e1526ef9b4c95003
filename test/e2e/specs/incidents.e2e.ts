// The Incidents view in a real VS Code against the local Sentry-compatible server, fed by
// the real @sentry/node SDK: the rows show the incidents with their counts, an incident
// expands to its latest event, exception and frames, and a frame opens in the editor.
// Faults: a 500 on refresh keeps the rows, marked stale; a refused token (a real 401 from
// a second server with another token) shows the actionable error with "Connect Sentry".
import { strict as assert } from 'node:assert';
import type { Locator } from 'playwright-core';
import { startCodeServer, Workbench, type CodeServer } from '../harness';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import { appDir, runSdkApp } from '../../unit/sentry/sdkApp';
import { SentryClient } from '../../../src/core/sentry/client';
import type { IncidentSummary } from '../../../src/core/model/incident';

const VIEW = 'Incidents';

describe('Incidents view', function () {
  let sentry: SentryServer;
  let otherSentry: SentryServer;
  let server: CodeServer;
  let workbench: Workbench;
  let incidents: IncidentSummary[];

  const description = async (row: Locator) => (await row.locator('.label-description').first().innerText()).trim();

  before(async function () {
    this.timeout(180_000);
    sentry = await startSentryServer({ org: 'acme', projects: [{ id: '1', slug: 'checkout-api' }] });
    await runSdkApp({ dsn: sentry.dsn('1'), release: 'checkout-api@1.4.0', environment: 'production' });
    await sentry.waitForEvents(8);
    // What the view must show, read through the same REST API the extension reads.
    const client = new SentryClient({ baseUrl: sentry.url, org: 'acme', token: sentry.token });
    incidents = (await client.listIncidents({ projects: ['checkout-api'] })).incidents;
    assert.ok(incidents.length >= 4, `the SDK produced ${incidents.length} issues`);

    server = await startCodeServer({
      settings: {
        'forensics.sentry.url': sentry.url,
        'forensics.sentry.organization': 'acme',
        'forensics.sentry.projects': ['checkout-api'],
        'forensics.sentry.refreshIntervalMinutes': 0,
      },
      env: { SENTRY_AUTH_TOKEN: sentry.token },
    });
    // The fixture app's own folder, so the frames' absolute paths are inside the workspace.
    workbench = await Workbench.open({ folder: appDir, server });
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
    await sentry?.stop();
    await otherSentry?.stop();
  });

  it('lists the incidents with counts and expands one down to its frames', async function () {
    this.timeout(120_000);
    await workbench.openForensics();
    await workbench.expandView(VIEW);
    await workbench.treeItem('checkout-api', { view: VIEW, timeout: 60_000 });

    const stock = incidents.find((i) => i.title.startsWith('CheckViolationError'));
    assert.ok(stock, 'the stock incident is among the issues');
    for (const incident of incidents) {
      const row = await workbench.treeItem(incident.title, { view: VIEW });
      const text = await description(row);
      assert.match(text, new RegExp(`${incident.count} events? · ${incident.userCount} users?`), `counts of "${incident.title}": ${text}`);
    }
    const stockRow = await workbench.treeItem(stock.title, { view: VIEW });
    assert.match(await description(stockRow), /^reserveStock\(orders\) · 3 events · 2 users · .+ · checkout-api@1\.4\.0$/);

    await stockRow.click();
    const event = await workbench.treeItem('Latest event', { view: VIEW });
    assert.match(await description(event), /checkout-api@1\.4\.0 · production/);
    // The exception row reads "type: value", which for this issue is also its title.
    const exact = new RegExp(`^${stock.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await workbench.view(VIEW).locator('.monaco-list-row .label-name').filter({ hasText: exact }).nth(1).waitFor();
    const culprit = await workbench.treeItem('reserveStock', { view: VIEW });
    assert.match(await description(culprit), /^orders\.js:\d+:\d+$/);
    await workbench.treeItem('Object.placeOrder', { view: VIEW });

    // The frames are listed most recent call first, the culprit on top.
    const labels = await workbench.treeLabels(VIEW);
    assert.ok(labels.indexOf('reserveStock') < labels.indexOf('Object.placeOrder'), labels.join(' | '));
    await workbench.page.mouse.move(700, 850);
    await workbench.screenshot('incidents-tree');

    const [, line, column] = /:(\d+):(\d+)$/.exec(await description(culprit)) ?? [];
    await culprit.click();
    await workbench.editorTab('orders.js').waitFor({ timeout: 30_000 });
    // The cursor sits on the frame's line and column (the status bar's "Ln, Col").
    await workbench.page.locator('.part.statusbar', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: 15_000 });
    await workbench.screenshot('incidents-frame-opened');
  });

  it('keeps the rows marked stale when a refresh fails with 500', async function () {
    this.timeout(90_000);
    sentry.inject({ kind: 'status', status: 500, times: 20 });
    await workbench.runCommand('Forensics: Refresh Incidents');
    const message = workbench.view(VIEW).locator('.message', { hasText: /Stale: showing incidents from/ });
    await message.waitFor({ timeout: 60_000 });
    assert.match(await message.innerText(), /Refresh failed: Sentry answered 500 .* Gave up after 3 attempts/);
    for (const incident of incidents) await workbench.treeItem(incident.title, { view: VIEW, timeout: 5_000 });
    await workbench.screenshot('incidents-stale');
    sentry.clearFaults();
  });

  it('explains a refused token and offers to connect again', async function () {
    this.timeout(90_000);
    otherSentry = await startSentryServer({ org: 'acme', token: 'another-token', projects: [{ id: '1', slug: 'checkout-api' }] });
    server.writeSettings({ ...server.readSettings(), 'forensics.sentry.url': otherSentry.url });
    await workbench.treeItem('Could not load incidents', { view: VIEW, timeout: 60_000 });
    const labels = await workbench.treeLabels(VIEW);
    assert.ok(!labels.includes(incidents[0].title), 'the rows of the other server are gone');

    await workbench.runCommand('Forensics: Refresh Incidents');
    const toast = await workbench.notification(/refused the auth token \(401\)/);
    assert.match(await toast.innerText(), /Create a new token .* and connect again/);
    assert.ok(await toast.getByRole('button', { name: 'Connect Sentry' }).isVisible(), 'the error offers Connect Sentry');
    assert.ok(!(await toast.innerText()).includes(sentry.token), 'the token is not echoed');
    await workbench.screenshot('incidents-unauthorized');
  });
});
