// The PostgreSQL panel in a real VS Code on a real PostgreSQL with real slow statements
// and a real blocking pair: unconfigured it says what to configure; connected through
// "Forensics: Connect Database" (typed in, URL to SecretStorage) it charts and lists the
// statements, plans one, finds it in the workspace, and shows who blocks whom.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { demoOrTempWorkspace, startCodeServer, Workbench, type CodeServer } from '../harness';
import { startPostgres, type TestPostgres } from '../../unit/harness/postgres';

const LOOKUP = 'SELECT id, total FROM orders WHERE customer_id = $1';
const STOCK = 'SELECT stock FROM inventory WHERE sku = $1';

describe('PostgreSQL panel', function () {
  this.timeout(180_000);
  let pg: TestPostgres;
  let workbench: Workbench;
  let server: CodeServer;
  const clients: Client[] = [];
  const pending: Promise<unknown>[] = [];
  const pids: Record<string, number> = {};
  let steadyLoad: NodeJS.Timeout | undefined;

  async function session(application: string): Promise<Client> {
    const c = new Client({ connectionString: pg.urlFor('app', 'app-pw'), application_name: application });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    pids[application] = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return c;
  }

  before(async () => {
    pg = await startPostgres({ database: 'checkout' });
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD 'app-pw';
      CREATE ROLE forensics_reader LOGIN PASSWORD 'reader-pw' IN ROLE pg_read_all_stats;
      CREATE ROLE looker LOGIN PASSWORD 'looker-pw';
      CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, total int NOT NULL);
      INSERT INTO orders (customer_id, total) SELECT g % 4000, g % 90 FROM generate_series(1, 40000) g;
      CREATE TABLE inventory (sku text PRIMARY KEY, name text NOT NULL, stock int NOT NULL CHECK (stock >= 0));
      INSERT INTO inventory SELECT 'SKU-' || g, 'item ' || g, 50 FROM generate_series(1000, 1100) g;
      GRANT SELECT, UPDATE ON orders, inventory TO app; GRANT SELECT ON orders, inventory TO forensics_reader`);
    // Outside the setup's implicit transaction, so the statistics count the rows just loaded.
    await admin.query('ANALYZE');
    await admin.query('SELECT pg_stat_statements_reset()');
    await admin.end();
    const api = await session('checkout-api');
    // A missing index, an N+1 loop and a slow call: the statements the panel should rank.
    for (let i = 0; i < 20; i++) await api.query(LOOKUP, [i]);
    for (let i = 0; i < 150; i++) await api.query(STOCK, [`SKU-${1000 + (i % 100)}`]);
    for (let i = 0; i < 2; i++) await api.query('SELECT pg_sleep(0.3)');
    // The blocking pair: a worker holds a row lock in an open transaction; checkout waits.
    const worker = await session('stock-worker');
    await worker.query('BEGIN');
    await worker.query("UPDATE inventory SET stock = stock - 1 WHERE sku = 'SKU-1001'");
    const waiter = await session('checkout-waiter');
    pending.push(waiter.query("UPDATE inventory SET stock = stock - 2 WHERE sku = 'SKU-1001'").catch(() => undefined));
    // A server of its own: no database URL in its environment, and a short sampling interval.
    server = await startCodeServer({
      settings: { 'forensics.postgres.sampleIntervalSeconds': 2 },
      env: { FORENSICS_DATABASE_URL: '', DATABASE_URL: '' },
    });
    workbench = await Workbench.open({ folder: demoOrTempWorkspace(), server });
  });

  after(async () => {
    clearInterval(steadyLoad);
    await workbench?.close();
    await server?.stop();
    for (const c of clients) await c.end().catch(() => undefined);
    await Promise.all(pending);
    await pg?.stop();
  });

  it('explains what to configure when no database is connected', async () => {
    // The extension's commands are listed once its manifest is read (the container shows then).
    await workbench.activityBarItem('Forensics').waitFor({ timeout: 60_000 });
    await workbench.waitForExtensionsActivated();
    await workbench.runCommand('Forensics: Show Slow Queries');
    const frame = await workbench.webview('PostgreSQL');
    const empty = frame.locator('#unconfigured');
    await empty.waitFor({ timeout: 30_000 });
    assert.match(await empty.innerText(), /No database is connected\. Run "Forensics: Connect Database".*FORENSICS_DATABASE_URL/s);
    await workbench.screenshot('postgres-unconfigured');
  });

  it('connects by name and URL, then charts and lists the slow statements', async () => {
    // Steady traffic while the panel samples, so the rates chart has something to show.
    const steady = await session('checkout-steady');
    let busy = false;
    steadyLoad = setInterval(() => {
      if (busy) return;
      busy = true;
      void steady
        .query('SELECT count(*) FROM orders WHERE total = $1', [7])
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, 100);
    // The panel's own button runs "Forensics: Connect Database".
    const unconfigured = await workbench.webview('PostgreSQL');
    await unconfigured.locator('#unconfigured vscode-button', { hasText: 'Connect Database' }).click();
    await workbench.answerQuickInput('replica');
    // The second box replaces the first; answer it only once it is there.
    await workbench.page.locator('.quick-input-widget', { hasText: 'URL of "replica"' }).waitFor();
    await workbench.answerQuickInput(pg.urlFor('forensics_reader', 'reader-pw', 'checkout'));
    await workbench.notification(/Connected "replica" \(forensics_reader@127\.0\.0\.1:\d+\/checkout\) as role forensics_reader/);
    const frame = await workbench.webview('PostgreSQL');
    await frame.locator('#connection-label', { hasText: 'replica · forensics_reader@' }).waitFor({ timeout: 30_000 });
    const row = frame.locator('#statements-table tbody tr', { hasText: LOOKUP });
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /\b20\b/, 'the lookup ran 20 times');
    const stock = frame.locator('#statements-table tbody tr', { hasText: STOCK });
    assert.match(await stock.innerText(), /\b150\b/);
    // Sorting by calls puts the N+1 statement first.
    await frame.locator('#statements-table th', { hasText: 'Calls' }).click();
    assert.match(await frame.locator('#statements-table tbody tr').first().innerText(), /SELECT stock FROM inventory/);
    // The charts were drawn on their canvases, and rates arrive after the second sample.
    for (const id of ['#chart-top', '#chart-scatter', '#chart-rates']) {
      const box = await frame.locator(id).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} is drawn (${JSON.stringify(box)})`);
    }
    await frame.locator('text=/\\([2-9]\\d* samples, every 2 s\\)/').waitFor({ timeout: 30_000 });
    assert.ok(Number(await frame.locator('#chart-rates').getAttribute('data-series')) >= 1, 'the steady lookups have a rate');
    await row.click();
    const detail = frame.locator('#statement-detail');
    assert.equal(await detail.locator('pre.sql').innerText(), LOOKUP, 'the statement is shown as text');
    await detail.locator('vscode-button', { hasText: 'Explain plan' }).click();
    const plan = frame.locator('#plan-view');
    await plan.locator('text=CREATE INDEX CONCURRENTLY ON public.orders (customer_id);').waitFor({ timeout: 30_000 });
    assert.match(await plan.innerText(), /Generic plan \(parameters left as \$n\)/);
    assert.match(await plan.innerText(), /Seq Scan on public\.orders/);
    await frame.locator('#chart-top').scrollIntoViewIfNeeded();
    await workbench.screenshot('postgres-panel');
    await plan.scrollIntoViewIfNeeded();
    await workbench.screenshot('postgres-plan');
  });

  it('finds a statement in the workspace and opens the file that sends it', async () => {
    assert.match(workbench.folder, /demo[\\/]app$/, 'the demo service is the workspace');
    const frame = await workbench.webview('PostgreSQL');
    await frame.locator('#statements-table tbody tr', { hasText: STOCK }).click();
    await frame.locator('#statement-detail vscode-button', { hasText: 'Find in workspace' }).click();
    await workbench.editorTab('inventory.js').waitFor({ timeout: 30_000 });
    assert.match(await workbench.page.locator('.part.statusbar').innerText(), /Ln 12, Col 1/);
  });

  it('shows who blocks whom on the Locks tab, and connections on the Activity tab', async () => {
    await workbench.runCommand('Forensics: Show Locks and Connections');
    const frame = await workbench.webview('PostgreSQL');
    const edge = frame.locator(`#lock-edges .edge[data-blocker="${pids['stock-worker']}"][data-waiter="${pids['checkout-waiter']}"]`);
    await edge.waitFor({ timeout: 30_000 });
    const text = await edge.innerText();
    assert.match(text, new RegExp(`Blocker: pid ${pids['stock-worker']} \\(stock-worker\\)`));
    assert.match(text, /idle in transaction/);
    assert.match(text, /UPDATE inventory SET stock = stock - 1 WHERE sku = 'SKU-1001'/);
    assert.match(text, /Waiting: pid \d+ \(checkout-waiter\)/);
    assert.match(text, /for ShareLock \(transactionid\) on public\.inventory/);
    assert.match(
      await frame.locator('#locks').innerText(),
      new RegExp(`Start with the root blocker\\(s\\): pid ${pids['stock-worker']} \\(stock-worker\\)`),
    );
    await workbench.screenshot('postgres-locks');
    await frame.locator('vscode-tab-header[data-tab="activity"]').click();
    const activity = frame.locator('#activity');
    await activity.locator('text=Idle in transaction').first().waitFor({ timeout: 30_000 });
    assert.match(await activity.innerText(), /connections in use/);
    assert.match(await activity.innerText(), /stock-worker/);
    await workbench.screenshot('postgres-activity');
    // The header's button lists the named connections and offers to add or remove one.
    await frame.locator('header vscode-button', { hasText: 'Connections…' }).click();
    const items = await workbench.quickItems();
    assert.ok(items.includes('replica'), items.join(' | '));
    assert.ok(
      items.some((i) => /Add a connection…/.test(i)),
      items.join(' | '),
    );
    assert.ok(
      items.some((i) => /Remove "replica"/.test(i)),
      items.join(' | '),
    );
    await workbench.page.keyboard.press('Escape');
  });

  it('reads every tab in one sample on the one Refresh, and the lock warning links to the chain', async () => {
    const frame = await workbench.webview('PostgreSQL');
    assert.equal(await frame.locator('vscode-button', { hasText: 'Refresh' }).count(), 1, 'the panel has one Refresh');
    // A second blocking pair starts after the panel's last sample, while the Activity tab is in front.
    const worker = await session('refund-worker');
    await worker.query('BEGIN');
    await worker.query("UPDATE inventory SET stock = stock + 1 WHERE sku = 'SKU-1050'");
    const waiter = await session('refund-waiter');
    pending.push(waiter.query("UPDATE inventory SET stock = stock + 2 WHERE sku = 'SKU-1050'").catch(() => undefined));
    for (let i = 0; ; i++) {
      const { rows } = await worker.query('SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted', [pids['refund-waiter']]);
      if (rows.length) break;
      assert.ok(i < 100, 'the refund waiter waits for the row lock');
      await new Promise((r) => setTimeout(r, 50));
    }
    await frame.locator('header #refresh').click();
    const warning = frame.locator('#activity #lock-wait-signal');
    await warning.filter({ hasText: '2 session(s) are waiting for a lock' }).waitFor({ timeout: 30_000 });
    // Every tab shows the same sample, stamped with the same time.
    const stamps = await frame
      .locator('#sample-time .sample-time, #statements .sample-time, #activity .sample-time, #locks .sample-time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-taken-at')));
    assert.equal(stamps.length, 4, `a stamp in the header and on each tab: ${stamps.join(', ')}`);
    assert.equal(new Set(stamps).size, 1, `one sample time: ${stamps.join(', ')}`);
    await workbench.screenshot('postgres-activity-lock-warning');
    await warning.locator('#show-blocking-chains').click();
    const edge = frame.locator(`#lock-edges .edge[data-blocker="${pids['refund-worker']}"][data-waiter="${pids['refund-waiter']}"]`);
    await edge.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await frame.locator('#locks').innerText(), /2 blocked wait\(s\)/);
    await workbench.screenshot('postgres-locks-from-warning');
    await worker.query('ROLLBACK');
  });

  it("draws every chart with the theme's colours in a light, a dark and a high-contrast theme", async () => {
    const frame = await workbench.webview('PostgreSQL');
    for (const [theme, name] of [
      ['Light Modern', 'light'],
      ['Dark Modern', 'dark'],
      ['Dark High Contrast', 'high-contrast'],
    ] as const) {
      // Chosen as a person does, through the theme picker (it writes the user settings itself).
      await workbench.runCommand('Preferences: Color Theme');
      await workbench.typeInQuickInput(theme);
      await workbench.pickQuickItem(new RegExp(`^${theme}$`));
      await workbench.page.waitForTimeout(3000); // the webview gets the new variables and the charts redraw
      await frame.locator('vscode-tab-header[data-tab="statements"]').click();
      await frame.locator('#chart-top').scrollIntoViewIfNeeded();
      for (const id of ['#chart-top', '#chart-scatter', '#chart-rates']) {
        const box = await frame.locator(id).boundingBox();
        assert.ok(box && box.height >= 150, `${id} keeps its height in ${theme} (${JSON.stringify(box)})`);
      }
      await workbench.screenshot(`postgres-charts-${name}`);
      await frame.locator('vscode-tab-header[data-tab="activity"]').click();
      await frame.locator('#chart-states').scrollIntoViewIfNeeded();
      await workbench.screenshot(`postgres-activity-${name}`);
    }
    await workbench.runCommand('Preferences: Color Theme');
    await workbench.typeInQuickInput('Dark Modern');
    await workbench.pickQuickItem(/^Dark Modern$/);
  });

  it('says what a role without pg_read_all_stats cannot see, and the grant, instead of "no lock waits"', async () => {
    const frame = await workbench.webview('PostgreSQL');
    await frame.locator('header vscode-button', { hasText: 'Connections…' }).click();
    await workbench.pickQuickItem(/Add a connection…/);
    await workbench.answerQuickInput('limited');
    await workbench.page.locator('.quick-input-widget', { hasText: 'URL of "limited"' }).waitFor();
    await workbench.answerQuickInput(pg.urlFor('looker', 'looker-pw', 'checkout'));
    await frame.locator('#connection-label', { hasText: 'limited · looker@' }).waitFor({ timeout: 30_000 });
    await frame.locator('vscode-tab-header[data-tab="locks"]').click();
    const note = frame.locator('#hidden-lock-sessions');
    await note.waitFor({ timeout: 30_000 });
    assert.match(
      await note.innerText(),
      /2 of these sessions belong to other roles; their statements are hidden from role looker\. GRANT pg_read_all_stats TO looker;/,
    );
    assert.doesNotMatch(await frame.locator('#locks').innerText(), /No session is waiting/);
    assert.ok(
      (await frame
        .locator(`#lock-edges .edge[data-blocker="${pids['stock-worker']}"][data-waiter="${pids['checkout-waiter']}"]`)
        .count()) === 1,
    );
    await workbench.screenshot('postgres-locks-unprivileged');
    await frame.locator('vscode-tab-header[data-tab="statements"]').click();
    const hidden = frame.locator('#hidden-statements');
    await hidden.waitFor({ timeout: 30_000 });
    assert.match(
      await hidden.innerText(),
      /statement\(s\) of other roles are listed without their text or query id: role looker lacks pg_read_all_stats.* GRANT pg_read_all_stats TO looker;/,
    );
    await workbench.screenshot('postgres-statements-unprivileged');
  });
});
