// Heap diff in a real VS Code: a recorded series of a real leaking Node process (captured
// through its inspector before the workbench opens, into a snapshot folder outside the
// workspace) is compared from the command palette, the latest series preselected; the
// panel charts application classes first with the leaking one selected, its source open
// beside. Captures ask before a large heap, keep their files out of the workspace, and
// can be deleted again.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workbench, workspaceFolder } from '../harness';
import { e2eEnvironment } from '../harness/environment';
import type { Settings } from '../harness/codeServer';
import { writeSeriesRecord } from '../../../src/core/heap/sessionRecord';
import { ordersApp, startInspected } from '../../unit/heap/nodeProcess';
import { captureOrdersSeries } from '../../unit/heap/snapshots';

describe('Heap diff panel', function () {
  this.timeout(240_000);
  let workbench: Workbench;
  let folder: string;
  let snapshotDir: string;

  /** Workspace settings, written before the workbench opens so the first command sees them. */
  const writeWorkspaceSettings = (settings: Settings): void =>
    writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'forensics.heap.snapshotFolder': snapshotDir, ...settings }));

  /**
   * Picks a process in the capture picker: filter by the pid, as a person would, then click
   * it; a process neither inspected nor in the workspace is behind "Show all".
   */
  async function pickProcess(pid: number, behindShowAll = false): Promise<void> {
    if (behindShowAll) await workbench.pickQuickItem(/Show all Node processes \(\d+ more\)/);
    await workbench.typeInQuickInput(String(pid));
    await workbench.pickQuickItem(new RegExp(`\\b${pid}$`));
  }

  const snapshotsIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));

  before(async () => {
    folder = workspaceFolder({ 'README.md': '# heap snapshots of the orders service\n' });
    snapshotDir = join(e2eEnvironment().runDir, `heap-snapshots-${Date.now()}`);
    mkdirSync(snapshotDir, { recursive: true });
    mkdirSync(join(folder, '.vscode'));
    writeWorkspaceSettings({});
    const files = await captureOrdersSeries(snapshotDir, 'leak', 200, 'orders');
    await writeSeriesRecord(
      snapshotDir,
      'orders',
      files.map((file, i) => ({
        file,
        label: ['baseline', 'target', 'final'][i]!,
        bytes: statSync(file).size,
        target: { id: 'orders', title: 'orders-app' },
      })),
    );
    workbench = await Workbench.open({ folder });
  });

  after(async () => {
    await workbench?.close();
  });

  it('compares the latest series, preselected: application classes lead the chart, the suspect is selected and its source opens', async () => {
    // The Forensics container is there once the extension's contributions are loaded.
    await workbench.openForensics();
    await workbench.waitForExtensionsActivated();
    await workbench.runCommand('Forensics: Compare Heap Snapshots…');
    // The recorded series is checked already: accepting the pick compares it.
    const checked = workbench.page.locator('.quick-input-widget .monaco-list-row[aria-checked="true"] .label-name');
    await checked.first().waitFor();
    assert.deepEqual((await checked.allInnerTexts()).sort(), [
      'orders-baseline.heapsnapshot',
      'orders-final.heapsnapshot',
      'orders-target.heapsnapshot',
    ]);
    await workbench.screenshot('heap-compare-preselected');
    await workbench.page.keyboard.press('Enter');

    const frame = await workbench.webview(/Heap diff: orders-baseline → orders-target → orders-final/);
    const firstRow = frame.locator('#classes tbody tr').first();
    await firstRow.waitFor({ timeout: 120_000 });
    assert.equal(await firstRow.locator('td').first().innerText(), 'RequestContext');
    assert.equal(await firstRow.locator('td').nth(1).innerText(), '+400');
    assert.equal(await frame.locator('#note').count(), 0, 'a recorded series is matched by id');
    assert.notEqual(await firstRow.locator('td').nth(6).innerText(), '0 B', 'new retained memory of the leaking class');

    // Application classes first, V8 and Node folded into one row after them.
    const chart = frame.locator('canvas#growth');
    const label = (): Promise<string> => chart.getAttribute('aria-label').then((l) => l ?? '');
    assert.match(await label(), /^Top growing classes by retained size: RequestContext \+[\d.]+ [kM]B(, [^,]+)*, V8\/Node internals \+/);
    assert.doesNotMatch(await label(), /\(concatenated string\)|\(string\)|\(array\)|system \/ /);
    assert.match((await frame.locator('canvas#series').getAttribute('aria-label')) ?? '', /^Heap size: orders-baseline .*, orders-final /);

    // The leaking class is selected: its retainer path, the culprit in words, and its source beside.
    const details = frame.locator('#details');
    assert.match(await details.innerText(), /^Retainer paths: RequestContext/);
    assert.match(await details.innerText(), /EventEmitter\._events\.inventory-changed -> Array -> closure -> RequestContext/);
    assert.match(await details.innerText(), /EventEmitter listeners: a listener for 'inventory-changed'/);
    await workbench.editorTab('orders-app.js').waitFor({ timeout: 30_000 });
    assert.ok(await frame.locator('#open-location').isVisible(), 'the class has a source location');

    // Themes through the workspace settings file, which the workbench watches (a user-settings write was not seen in time).
    for (const [theme, name] of [
      ['Default Dark Modern', 'heap-diff'],
      ['Default Light Modern', 'heap-diff-light'],
      ['Default High Contrast', 'heap-diff-high-contrast'],
    ] as const) {
      writeWorkspaceSettings({ 'workbench.colorTheme': theme });
      await workbench.page.waitForTimeout(8000); // the theme applies, the chart redraws with its colours
      await workbench.screenshot(name);
    }
    writeWorkspaceSettings({});

    // The internals one by one, on request; still after the application classes.
    await frame.locator('#internals').click();
    assert.match(await label(), /^Top growing classes by retained size: RequestContext /);
    assert.doesNotMatch(await label(), /V8\/Node internals/);
    await frame.locator('#internals').click();

    // Count instead of retained size re-draws the chart.
    await frame.locator('vscode-button[data-metric="count"]').click();
    assert.match(await label(), /^Top growing classes by count: RequestContext \+400/);
    await frame.locator('vscode-button[data-metric="retained"]').click();

    // Sorting by a column header.
    await frame.locator('#classes th[data-key="name"]').click();
    assert.equal(await frame.locator('#classes th[data-key="name"]').getAttribute('aria-sort'), 'ascending');
    await frame.locator('#classes th[data-key="countDelta"]').click();
    assert.equal(await frame.locator('#classes th[data-key="countDelta"]').getAttribute('aria-sort'), 'descending');
    const counts = (await frame.locator('#classes tbody tr td:nth-child(2)').allInnerTexts()).slice(0, 20).map(Number);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
      'sorted by count, largest first',
    );
  });

  it('opening a .heapsnapshot offers to compare it', async () => {
    await workbench.runCommand('Go to File...');
    await workbench.typeInQuickInput(join(snapshotDir, 'orders-target.heapsnapshot'));
    await workbench.pickQuickItem('orders-target.heapsnapshot');
    const toast = await workbench.notification(/Compare orders-target\.heapsnapshot with other heap snapshots/);
    assert.ok(await toast.getByRole('button', { name: 'Compare…' }).isVisible());
  });

  it('asks before capturing a large heap, writes outside the workspace, and deletes on request', async () => {
    const app = await startInspected(ordersApp);
    try {
      await app.command('serve 50');
      writeWorkspaceSettings({ 'forensics.heap.confirmAboveMB': 0 }); // every heap counts as large
      await workbench.page.waitForTimeout(8000); // the workbench reads settings.json when its watcher sees the change
      const before = new Set(snapshotsIn(snapshotDir));
      await workbench.runCommand('Forensics: Capture Heap Snapshot');
      // Inspected processes come first; the others wait behind "Show all".
      assert.ok(
        (await workbench.quickItems()).some((l) => l.endsWith(String(app.child.pid))),
        'the inspected process is offered first',
      );
      await pickProcess(app.child.pid!);
      const dialog = workbench.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      assert.match(await dialog.innerText(), /uses [\d.]+ [kMG]?B of JS heap\. Capture anyway\?/);
      assert.match(
        await dialog.innerText(),
        /snapshot file of up to about [\d.]+ [kMG]?B to .*heap-snapshots-\d+\. The process stops answering/,
      );
      await workbench.screenshot('heap-capture-confirm');
      await dialog.getByRole('button', { name: 'Capture' }).click();
      const toast = await workbench.notification(/Heap snapshot saved: heap-.*\.heapsnapshot \(\d.*\) in .*heap-snapshots-\d+/, 60_000);
      assert.ok(await toast.getByRole('button', { name: 'Compare…' }).isVisible());
      const added = snapshotsIn(snapshotDir).filter((f) => !before.has(f));
      assert.equal(added.length, 1, `one new file: ${added.join(', ')}`);
      assert.match(added[0]!, /^heap-[\dT-]+\.heapsnapshot$/);
      assert.ok(statSync(join(snapshotDir, added[0]!)).size > 100_000);
      assert.deepEqual(readdirSync(folder).sort(), ['.vscode', 'README.md'], 'nothing written into the workspace');
      await workbench.screenshot('heap-captured');
      writeWorkspaceSettings({});

      // Delete it again: the picker lists the stored snapshots with their sizes.
      await workbench.runCommand('Forensics: Delete Heap Snapshots…');
      await workbench.pickQuickItem(added[0]!);
      await workbench.screenshot('heap-delete');
      await workbench.page.keyboard.press('Enter');
      await workbench.page
        .locator('.statusbar-item')
        .filter({ hasText: /deleted 1 heap snapshot, [\d.]+ [kM]B freed/ })
        .waitFor({ timeout: 30_000 });
      assert.equal(existsSync(join(snapshotDir, added[0]!)), false);
      assert.ok(existsSync(join(snapshotDir, 'orders-final.heapsnapshot')), 'the others stay');
    } finally {
      writeWorkspaceSettings({});
      await app.stop();
    }
  });

  it('offers to enable the inspector of a process without one, saying what SIGUSR1 does', async () => {
    // Port 0 for the inspector SIGUSR1 opens, so a run never collides on 9229.
    const app = await startInspected(ordersApp, [], ['--inspect-port=127.0.0.1:0']);
    try {
      const before = new Set(readdirSync(snapshotDir));
      await workbench.runCommand('Forensics: Capture Heap Snapshot');
      await pickProcess(app.child.pid!, true);
      const dialog = workbench.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      assert.match(await dialog.innerText(), new RegExp(`Enable the inspector of process ${app.child.pid}\\?`));
      assert.match(await dialog.innerText(), /Anyone who can reach that port on this machine can run code in the process/);
      await workbench.screenshot('heap-enable-inspector');
      await dialog.getByRole('button', { name: 'Enable Inspector' }).click();
      // The toast of the previous capture may still be up: wait for this capture's file by name.
      const deadline = Date.now() + 60_000;
      let added: string[] = [];
      while (
        (added = readdirSync(snapshotDir).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'))).length === 0 &&
        Date.now() < deadline
      ) {
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
      assert.deepEqual(
        readdirSync(snapshotDir, { withFileTypes: true })
          .map((f) => f.name)
          .filter((f) => !before.has(f)),
        [],
      );
      assert.match(await app.command('serve 1'), /^ok /);
    } finally {
      await app.stop();
    }
  });
});
