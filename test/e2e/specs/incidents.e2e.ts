// The Incidents view in a real VS Code against the local Sentry-compatible server, fed by
// the real @sentry/node SDK: the rows show the incidents with their counts, an incident
// expands to its latest event, exception and frames, and a frame opens in the editor.
// Faults: a 500 on refresh keeps the rows, marked stale; a 401 shows the actionable error,
// whose "Connect Sentry" leads through the connect flow to another server.
import { strict as assert } from 'node:assert';
import type { Locator } from 'playwright-core';
import { startCodeServer, Workbench, workspaceFolder, type CodeServer } from '../harness';
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

  /** Drags the side bar's edge to the right so the rows' descriptions are readable in screenshots. */
  async function widenSideBar(): Promise<void> {
    const box = await workbench.page.locator('.part.sidebar').boundingBox();
    if (!box) return;
    const y = box.y + box.height / 2;
    await workbench.page.mouse.move(box.x + box.width + 1, y);
    await workbench.page.mouse.down();
    await workbench.page.mouse.move(box.x + box.width + 500, y, { steps: 8 });
    await workbench.page.mouse.up();
    await workbench.page.mouse.move(1300, 880);
  }

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

  it('sends nothing to Sentry until the Incidents view is shown, though opening a JS file activated it', async function () {
    this.timeout(120_000);
    // The suite's own before() read the expected incidents through the API: count from here.
    const already = sentry.requests.length;
    const steps: string[] = [];
    const note = (step: string) => steps.push(`${step}: ${sentry.requests.length - already}`);
    note('opened');
    // The extension is installed and known to the workbench (its container is listed).
    await workbench.activityBarItem('Forensics').waitFor({ timeout: 60_000 });
    // Opened from the Explorer, where a fresh workbench starts.
    await workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'orders.js' }).click({ timeout: 60_000 });
    await workbench.editorTab('orders.js').waitFor({ timeout: 30_000 });
    await workbench.waitForExtensionsActivated();
    note('file');
    // A command that needs no Sentry: the extension is surely active once it ran.
    await workbench.runCommand('Forensics: Clear Failing-Line Highlight');
    await workbench.waitForExtensionsActivated();
    await workbench.page.waitForTimeout(3_000);
    note('command');
    await workbench.screenshot('incidents-lazy-activation');
    assert.deepEqual(
      sentry.requests.slice(already).map((r) => r.path),
      [],
      `requests before the view was shown (${steps.join(', ')})`,
    );
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
    assert.match(await description(stockRow), /^3 events · 2 users · .+ · checkout-api@1\.4\.0 · reserveStock\(orders\)$/);

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
    await widenSideBar();
    await workbench.screenshot('incidents-tree');

    const [, line, column] = /:(\d+):(\d+)$/.exec(await description(culprit)) ?? [];
    await culprit.click();
    await workbench.editorTab('orders.js').waitFor({ timeout: 30_000 });
    // The cursor sits on the frame's line and column (the status bar's "Ln, Col").
    await workbench.page.locator('.part.statusbar', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: 15_000 });
    await workbench.screenshot('incidents-frame-opened');
  });

  it('filters and sorts from the title bar, and offers the incident actions on right-click', async function () {
    this.timeout(120_000);
    const stock = incidents.find((i) => i.title.startsWith('CheckViolationError'))!;
    const header = workbench.view(VIEW).locator('.pane-header');
    const titleButton = async (label: string) => {
      await header.hover();
      await header.locator(`.action-label[aria-label="${label}"]`).click();
    };

    await titleButton('Sort Incidents…');
    await workbench.pickQuickItem('Events');
    await header.locator('.description', { hasText: 'by events' }).waitFor();
    // Sentry sorted by event count: the stock incident (3 events) comes first.
    const rows = async () => (await workbench.treeLabels(VIEW)).filter((l) => incidents.some((i) => i.title === l));
    const deadline = Date.now() + 30_000;
    while ((await rows())[0] !== stock.title && Date.now() < deadline) await workbench.page.waitForTimeout(200);
    assert.equal((await rows())[0], stock.title);

    await titleButton('Filter Incidents by Environment…');
    await workbench.pickQuickItem('Other environment…');
    await workbench.answerQuickInput('staging');
    await workbench.treeItem('No incidents match the filters', { view: VIEW });
    assert.match(await header.locator('.description').innerText(), /staging · is:unresolved · by events/);
    await titleButton('Filter Incidents by Environment…');
    await workbench.pickQuickItem('All environments');
    const row = await workbench.treeItem(stock.title, { view: VIEW });

    await row.click({ button: 'right' });
    const menu = workbench.page.locator('.context-view .monaco-menu');
    await menu.waitFor();
    const items = await menu.locator('.action-label').allInnerTexts();
    for (const label of ['Open in Sentry', 'Copy Link', 'Copy Short ID', 'Refresh Incidents'])
      assert.ok(items.includes(label), `menu: ${items.join(' | ')}`);
    await menu.locator('.action-label', { hasText: /^Copy Short ID$/ }).click();
    await workbench.page.locator('.part.statusbar', { hasText: `Copied ${stock.shortId}` }).waitFor({ timeout: 10_000 });
    await workbench.screenshot('incidents-sorted-by-events');
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

  it('explains a refused token (401) with the way out, keeping the rows marked stale', async function () {
    this.timeout(90_000);
    sentry.inject({ kind: 'status', status: 401, times: 5 });
    await workbench.runCommand('Forensics: Refresh Incidents');
    const toast = await workbench.notification(/refused the auth token \(401\)/);
    assert.match(await toast.innerText(), /Create a new token .* and connect again/);
    assert.ok(await toast.getByRole('button', { name: 'Connect Sentry' }).isVisible(), 'the error offers Connect Sentry');
    assert.ok(!(await toast.innerText()).includes(sentry.token), 'the token is not echoed');
    const message = workbench.view(VIEW).locator('.message', { hasText: /Stale: .*refused the auth token \(401\)/ });
    await message.waitFor({ timeout: 30_000 });
    await workbench.treeItem(incidents[0].title, { view: VIEW, timeout: 5_000 });
    await workbench.screenshot('incidents-unauthorized');
    sentry.clearFaults();
  });

  it('connects to another Sentry from the error: token kept out of settings, the old rows replaced', async function () {
    this.timeout(120_000);
    otherSentry = await startSentryServer({ org: 'acme', token: 'another-token-0123', projects: [{ id: '1', slug: 'checkout-api' }] });
    const toast = await workbench.notification(/refused the auth token \(401\)/);
    await toast.getByRole('button', { name: 'Connect Sentry' }).click();
    const step = async (title: string, answer: string) => {
      await workbench.quickInput().locator('.quick-input-title', { hasText: title }).waitFor();
      await workbench.answerQuickInput(answer);
    };
    await step('Connect Sentry (1/4): base URL', otherSentry.url);
    await step('Connect Sentry (2/4): organization slug', 'acme');
    await workbench.quickInput().locator('input[type="password"]').waitFor();
    await step('Connect Sentry (3/4): auth token', 'another-token-0123');
    // The projects the token can see, the configured one already picked: confirm.
    await workbench.quickInput().locator('.quick-input-title', { hasText: 'Connect Sentry (4/4)' }).waitFor();
    await workbench.quickInput().locator('.monaco-list-row', { hasText: 'checkout-api' }).waitFor();
    await workbench.page.keyboard.press('Enter');
    await workbench.notification(/Connected to Sentry organization "acme" \(checkout-api\)/);
    await workbench.treeItem('No incidents match the filters', { view: VIEW, timeout: 60_000 });
    const labels = await workbench.treeLabels(VIEW);
    assert.ok(!labels.includes(incidents[0].title), `the first server's rows are gone: ${labels.join(' | ')}`);
    const settings = JSON.stringify(server.readSettings());
    assert.ok(settings.includes(otherSentry.url), 'the base URL went to the settings');
    assert.ok(!settings.includes('another-token-0123'), 'the token did not');
    await workbench.screenshot('incidents-connected-elsewhere');
  });
  it('signs out: the stored token is deleted, and the environment token the server refuses says so in the tree', async function () {
    this.timeout(90_000);
    await workbench.runCommand('Forensics: Sign Out of Sentry');
    await workbench.notification(/Signed out of Sentry: the stored token was deleted\. SENTRY_AUTH_TOKEN is still set/);
    // The first server's token (from the environment) is not the second server's.
    const notice = await workbench.treeItem('Could not load incidents', { view: VIEW, timeout: 60_000 });
    assert.match(await description(notice), /refused the auth token \(401\)/);
    await workbench.screenshot('incidents-signed-out');
  });
});

describe('Incidents view, not configured', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open({ folder: workspaceFolder({ 'README.md': '# service\n' }) });
  });
  after(async () => {
    await workbench?.close();
  });

  it('says what to configure, and its commands explain instead of failing', async function () {
    this.timeout(90_000);
    await workbench.openForensics();
    await workbench.expandView(VIEW);
    const welcome = workbench.welcome(VIEW);
    await welcome.waitFor();
    assert.match(await welcome.innerText(), /forensics\.sentry\.organization[\s\S]*forensics\.sentry\.url[\s\S]*SecretStorage/);
    assert.ok(await welcome.getByRole('button', { name: 'Connect Sentry' }).isVisible(), 'the welcome offers Connect Sentry');
    await workbench.runCommand('Forensics: Refresh Incidents');
    const toast = await workbench.notification(/Sentry is not connected: set the organization slug/);
    assert.ok(await toast.getByRole('button', { name: 'Connect Sentry' }).isVisible());
    await workbench.screenshot('incidents-not-configured');
  });
});
