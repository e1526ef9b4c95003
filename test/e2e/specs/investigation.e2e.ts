// The demo story's investigation in a real VS Code: the checkout-api loses the stock race
// against a real PostgreSQL, the real @sentry/node SDK reports the 23514 to the local
// Sentry-compatible server, and selecting the incident in the Incidents view walks the
// seven steps to the Tuesday refactor and the atomic UPDATE; the report is exported into
// the workspace. The README's screenshot comes from this spec.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { startCodeServer, Workbench, type CodeServer } from '../harness';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import { buildDemoWorkspace, type DemoWorkspace } from '../../demo/workspace';
import { orderRush, setStock, startCheckoutApi, startDemoDatabase, type CheckoutApi } from '../../demo/env';
import type { TestPostgres } from '../../unit/harness/postgres';
import { makeTempDir } from '../../unit/harness/git';

describe('Investigation of the demo incident', function () {
  let ws: DemoWorkspace;
  let pg: TestPostgres;
  let sentry: SentryServer;
  let api: CheckoutApi;
  let server: CodeServer;
  let workbench: Workbench;

  before(async function () {
    this.timeout(240_000);
    ws = buildDemoWorkspace(join(makeTempDir('forensics-e2e-demo-'), 'checkout-api'), new Date());
    pg = await startDemoDatabase();
    sentry = await startSentryServer({ org: 'acme' });
    api = await startCheckoutApi({ dir: ws.dir, databaseUrl: pg.adminUrl, sentryDsn: sentry.dsn('1') });
    let failures = 0;
    for (let round = 0; round < 8 && failures === 0; round++) {
      await setStock(pg.adminUrl, 'SKU-1001', 5);
      failures = (await orderRush(api.url, { sku: 'SKU-1001', orders: 40 })).statuses[500] ?? 0;
    }
    assert.ok(failures > 0, 'the checkout rush produced no 500');
    await sentry.waitForEvents(1);
    server = await startCodeServer({
      settings: {
        'forensics.sentry.url': sentry.url,
        'forensics.sentry.organization': 'acme',
        'forensics.sentry.refreshIntervalMinutes': 0,
      },
      env: { SENTRY_AUTH_TOKEN: sentry.token },
    });
    workbench = await Workbench.open({ folder: ws.dir, server });
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
    await api?.stop();
    await sentry?.stop();
    await pg?.stop();
  });

  /** Scrolls the Investigation view with the mouse wheel until the row is rendered. */
  async function scrollTo(row: Locator): Promise<void> {
    const body = workbench.view('Investigation').locator('.pane-body');
    for (let i = 0; i < 30 && !(await row.isVisible()); i++) {
      await body.hover();
      await workbench.page.mouse.wheel(0, 120);
      await workbench.page.waitForTimeout(100);
    }
    await row.waitFor({ timeout: 5_000 });
  }

  it('walks from the 23514 incident to the Tuesday refactor, the race and the atomic UPDATE', async function () {
    this.timeout(180_000);
    await workbench.openForensics();
    await workbench.expandView('Incidents');
    const incident = workbench
      .view('Incidents')
      .locator('.monaco-list-row')
      .filter({ hasText: /CheckViolationError|violates check constraint/ })
      .first();
    await incident.waitFor({ timeout: 60_000 });
    await incident.click();

    const view = await workbench.expandView('Investigation');
    const step = (title: string) =>
      view
        .locator('.monaco-list-row')
        .filter({ has: workbench.page.locator('.label-name', { hasText: new RegExp(`^${title}$`) }) })
        .first();
    await step('Failure point').waitFor({ timeout: 90_000 });
    const description = async (title: string) => {
      await scrollTo(step(title));
      return (await step(title).locator('.label-description').first().innerText()).trim();
    };
    assert.match(await description('Failure point'), /src\/inventory\.js:\d+/);
    assert.match(await description('Recent changes'), /perf: drop the transaction and row lock from reserveStock/);
    assert.match(await description('Bug class'), /Race condition/);
    await workbench.screenshot('investigation');
    // The later steps are below the fold (the tree renders only visible rows): scroll the
    // Investigation view as a person would.
    assert.match(await description('Immediate hotfix'), /read-then-write|atomic/i);
    assert.match(await description('Long-term fix and prevention'), /.+/);
    assert.match(await description('Monitoring'), /.+/);
    await workbench.screenshot('investigation-later-steps');
  });

  it('applies the hotfix from its step: the read-then-write becomes one atomic UPDATE', async function () {
    this.timeout(60_000);
    const link = workbench
      .view('Investigation')
      .locator('.monaco-list-row')
      .filter({ has: workbench.page.locator('.label-name', { hasText: /^Apply the fix$/ }) })
      .first();
    await scrollTo(link);
    await link.click();
    await workbench.editorTab('inventory.js').waitFor({ timeout: 30_000 });
    const editorText = workbench.page.locator('.editor-instance .view-lines').first();
    // Monaco renders spaces as no-break spaces, which \s matches.
    await editorText.filter({ hasText: /stock\s>=\s\$1/ }).waitFor({ timeout: 30_000 });
    assert.match(await editorText.innerText(), /stock\s=\sstock\s-\s\$1\sWHERE\ssku\s=\s\$2\sAND\sstock\s>=\s\$1/);
    // The step no longer offers the fix it applied: the finding left the file's diagnostics.
    await link.waitFor({ state: 'detached', timeout: 30_000 });
    const hotfix = workbench
      .view('Investigation')
      .locator('.monaco-list-row')
      .filter({ has: workbench.page.locator('.label-name', { hasText: /^Immediate hotfix$/ }) })
      .first();
    await scrollTo(hotfix);
    assert.match(await hotfix.locator('.label-description').first().innerText(), /^Applied: /);
    await workbench.screenshot('investigation-hotfix-applied');
  });

  it('exports the report where the user says, says where, and opens it when asked', async function () {
    this.timeout(60_000);
    await workbench.runCommand('Forensics: Export Incident Report');
    // The save dialog (VS Code's own, in the browser) proposes incident-reports/<incident>-<minute>.md.
    const input = workbench.quickInput().locator('input');
    await input.waitFor({ timeout: 15_000 });
    // The dialog fills its path in as it resolves the folder: wait for the whole proposal.
    let proposed = '';
    for (let i = 0; i < 100 && !proposed.endsWith('.md'); i++) {
      proposed = await input.inputValue();
      await workbench.page.waitForTimeout(100);
    }
    assert.match(proposed, /incident-reports\/[\w.-]+-\d{12}\.md$/);
    await workbench.page.keyboard.press('Enter');
    const toast = await workbench.notification(/report saved to incident-reports\/.+\.md/);
    await workbench.screenshot('investigation-report-saved');
    const reports = readdirSync(join(ws.dir, 'incident-reports'));
    assert.equal(reports.length, 1);
    assert.ok(proposed.endsWith(reports[0]), `${proposed} was proposed, ${reports[0]} written`);
    const markdown = readFileSync(join(ws.dir, 'incident-reports', reports[0]), 'utf8');
    assert.match(markdown, /^# Incident report: /);
    assert.match(markdown, /stock = stock - \$1 WHERE sku = \$2 AND stock >= \$1/);
    await toast.getByRole('button', { name: 'Open Report' }).click();
    await workbench.page.locator('.tab.active').filter({ hasText: reports[0] }).waitFor({ timeout: 30_000 });
    await workbench.screenshot('investigation-report');
  });

  it('"Investigate Incident…" says it is working, selects the incident and opens the whole investigation beside the editor', async function () {
    this.timeout(120_000);
    await workbench.runCommand('Forensics: Investigate Incident…');
    await workbench.pickQuickItem(/CheckViolationError|violates check constraint/);
    // The detail beside the editor: full titles and every step, where the sidebar cuts them.
    const preview = workbench.editorTab(/Preview .+\.md/);
    await preview.waitFor({ timeout: 90_000 });
    const frame = await workbench.webview(/Preview .+\.md/);
    await frame.locator('h1', { hasText: /Incident report: / }).waitFor({ timeout: 30_000 });
    const body = await frame.locator('body').innerText();
    assert.match(body, /perf: drop the transaction and row lock from reserveStock/);
    assert.match(body, /stock = stock - \$1 WHERE sku = \$2 AND stock >= \$1/);
    // The incident's row is selected in the Investigation view.
    const selected = workbench.view('Investigation').locator('.monaco-list-row.selected');
    assert.match(await selected.first().innerText(), /violates check constraint|CheckViolationError/);
    await workbench.screenshot('investigation-detail');
  });
});
