// Heap diff in a real VS Code: two snapshots of a real leaking Node process (captured
// through its inspector before the workbench opens) are compared from the command
// palette; the panel charts the growing classes with the leaking one on top and shows
// its retainer path.
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Workbench, workspaceFolder } from '../harness';
import { ordersApp, startInspected } from '../../unit/heap/nodeProcess';
import { captureOrdersSeries } from '../../unit/heap/snapshots';

describe('Heap diff panel', function () {
  this.timeout(240_000);
  let workbench: Workbench;
  let snapshotDir: string;

  /**
   * Picks a process in the capture picker, which lists it by pid among code-server's own
   * Node processes: filter by the pid, as a person would, then click it.
   */
  async function pickProcess(pid: number): Promise<void> {
    await workbench.typeInQuickInput(String(pid));
    await workbench.pickQuickItem(new RegExp(`\\b${pid}$`));
  }

  before(async () => {
    const folder = workspaceFolder({ 'README.md': '# heap snapshots of the orders service\n' });
    const dir = join(folder, 'heap-snapshots');
    mkdirSync(dir, { recursive: true });
    snapshotDir = dir;
    await captureOrdersSeries(dir, 'leak', 200, 'orders');
    workbench = await Workbench.open({ folder });
  });

  after(async () => {
    await workbench?.close();
  });

  it('compares two snapshots: the leaking class tops the chart and the table, with its retainer path', async () => {
    // The Forensics container is there once the extension's contributions are loaded.
    await workbench.openForensics();
    await workbench.waitForExtensionsActivated();
    await workbench.runCommand('Forensics: Compare Heap Snapshots…');
    await workbench.pickQuickItem('orders-baseline.heapsnapshot');
    await workbench.pickQuickItem('orders-final.heapsnapshot');
    await workbench.page.keyboard.press('Enter');

    const frame = await workbench.webview(/Heap diff: orders-baseline → orders-final/);
    const firstRow = frame.locator('#classes tbody tr').first();
    await firstRow.waitFor({ timeout: 120_000 });
    assert.equal(await firstRow.locator('td').first().innerText(), 'RequestContext');
    assert.equal(await firstRow.locator('td').nth(1).innerText(), '+400');

    const chart = frame.locator('canvas#growth');
    assert.match((await chart.getAttribute('aria-label')) ?? '', /^Top growing classes by count: RequestContext \+400/);
    assert.match((await frame.locator('canvas#series').getAttribute('aria-label')) ?? '', /^Heap size: orders-baseline .*, orders-final /);

    // The leaking class is selected: its retainer path and the culprit in words.
    const details = frame.locator('#details');
    assert.match(await details.innerText(), /EventEmitter\._events\.inventory-changed -> Array -> closure -> RequestContext/);
    assert.match(await details.innerText(), /EventEmitter listeners: a listener for 'inventory-changed'/);
    assert.ok(await frame.locator('#open-location').isVisible(), 'the class has a source location');
    // Only visible growth is charted: RequestContext and the engine objects its leak drags along.
    assert.doesNotMatch((await chart.getAttribute('aria-label')) ?? '', /WriteWrap/);

    await workbench.screenshot('heap-diff');

    // Size instead of count re-draws the chart.
    await frame.locator('vscode-button[data-metric="size"]').click();
    assert.match((await chart.getAttribute('aria-label')) ?? '', /^Top growing classes by size: /);
    await frame.locator('vscode-button[data-metric="count"]').click();

    // Sorting by a column header.
    await frame.locator('#classes th[data-key="name"]').click();
    assert.equal(await frame.locator('#classes th[data-key="name"]').getAttribute('aria-sort'), 'ascending');
    await frame.locator('#classes th[data-key="countDelta"]').click();
    assert.equal(await frame.locator('#classes th[data-key="countDelta"]').getAttribute('aria-sort'), 'descending');
    const counts = (await frame.locator('#classes tbody tr td:nth-child(2)').allInnerTexts()).slice(0, 20).map(Number);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'sorted by count, largest first');
    await frame.locator('#classes th[data-key="countDelta"]').click(); // ascending now
    await frame.locator('#classes tbody tr[data-class="RequestContext"]').click();

    // "Open source location" opens the class's script at its line.
    await frame.locator('#open-location').click();
    await workbench.editorTab('orders-app.js').waitFor({ timeout: 30_000 });
  });

  it('opening a .heapsnapshot offers to compare it', async () => {
    await workbench.runCommand('Go to File...');
    await workbench.typeInQuickInput('orders-target.heapsnapshot');
    await workbench.pickQuickItem('orders-target.heapsnapshot');
    const toast = await workbench.notification(/Compare orders-target\.heapsnapshot with other heap snapshots/);
    assert.ok(await toast.getByRole('button', { name: 'Compare…' }).isVisible());
  });

  it('captures a snapshot of a running process from the command palette', async () => {
    const app = await startInspected(ordersApp);
    try {
      await app.command('serve 50');
      const before = new Set(readdirSync(snapshotDir));
      await workbench.runCommand('Forensics: Capture Heap Snapshot');
      await pickProcess(app.child.pid!);
      const toast = await workbench.notification(/Heap snapshot saved: heap-.*\.heapsnapshot \(\d/, 60_000);
      assert.ok(await toast.getByRole('button', { name: 'Compare…' }).isVisible());
      const added = readdirSync(snapshotDir).filter((f) => !before.has(f));
      assert.equal(added.length, 1, `one new file: ${added.join(', ')}`);
      assert.match(added[0]!, /^heap-[\dT-]+\.heapsnapshot$/);
      assert.ok(statSync(join(snapshotDir, added[0]!)).size > 100_000);
      await workbench.screenshot('heap-captured');
    } finally {
      await app.stop();
    }
  });

  it('offers to enable the inspector of a process without one, saying what SIGUSR1 does', async () => {
    // Port 0 for the inspector SIGUSR1 opens, so a run never collides on 9229.
    const app = await startInspected(ordersApp, [], ['--inspect-port=127.0.0.1:0']);
    try {
      const before = new Set(readdirSync(snapshotDir));
      await workbench.runCommand('Forensics: Capture Heap Snapshot');
      await pickProcess(app.child.pid!);
      const dialog = workbench.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      assert.match(await dialog.innerText(), new RegExp(`Enable the inspector of process ${app.child.pid}\\?`));
      assert.match(await dialog.innerText(), /Anyone who can reach that port on this machine can run code in the process/);
      await workbench.screenshot('heap-enable-inspector');
      await dialog.getByRole('button', { name: 'Enable Inspector' }).click();
      // The toast of the previous capture may still be up: wait for this capture's file by name.
      const deadline = Date.now() + 60_000;
      let added: string[] = [];
      while ((added = readdirSync(snapshotDir).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'))).length === 0 && Date.now() < deadline) {
        await workbench.page.waitForTimeout(200);
      }
      assert.equal(added.length, 1, 'the capture wrote one snapshot');
      await workbench.notification(`Heap snapshot saved: ${added[0]}`, 60_000);
    } finally {
      await app.stop();
    }
  });

  it('a capture cancelled from its notification keeps no file, and the process lives on', async () => {
    const app = await startInspected(ordersApp);
    try {
      await app.command('serve 60000'); // a heap that takes seconds to snapshot
      const before = new Set(readdirSync(snapshotDir));
      await workbench.runCommand('Forensics: Capture Heap Snapshot');
      await pickProcess(app.child.pid!);
      const progress = await workbench.notification(/Forensics: heap snapshot of 127\.0\.0\.1:\d+/);
      await progress.getByRole('button', { name: 'Cancel' }).click();
      const status = workbench.page.locator('.statusbar-item').filter({ hasText: 'capture cancelled, no file kept' });
      await status.waitFor({ timeout: 30_000 });
      await workbench.screenshot('heap-capture-cancelled');
      assert.deepEqual(readdirSync(snapshotDir, { withFileTypes: true }).map((f) => f.name).filter((f) => !before.has(f)), []);
      assert.match(await app.command('serve 1'), /^ok /);
    } finally {
      await app.stop();
    }
  });
});
