// From a pasted production trace to the failing line in the demo's git workspace: the
// frame quick pick, the highlighted line with the error message, and the Recent Changes
// view with the Tuesday refactor marked as the commit that introduced the line.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eEnvironment, Workbench } from '../harness';
import { buildDemoWorkspace, type DemoWorkspace } from '../../demo/workspace';

const UPDATE = "await pool.query('UPDATE inventory SET stock = stock - $1 WHERE sku = $2', [quantity, sku]);";

describe('Open a frame beside its recent changes', () => {
  let workbench: Workbench;
  let demo: DemoWorkspace;
  let failingLine: number;

  before(async () => {
    demo = buildDemoWorkspace(join(e2eEnvironment().runDir, 'checkout-api'));
    failingLine =
      readFileSync(join(demo.dir, 'src/inventory.js'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(UPDATE)) + 1;
    assert.ok(failingLine > 0);
    workbench = await Workbench.open({ folder: demo.dir });
    await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbench.server.url });
    await workbench.waitForExtensionsActivated();
  });
  after(async () => {
    await workbench?.close();
  });

  it('opens the culprit of a pasted trace at the failing line, highlighted, with the commits that changed it', async () => {
    // As the container logged it: paths under /app, the pg error from node_modules on top.
    const trace = [
      'error: new row for relation "inventory" violates check constraint "inventory_stock_check"',
      '    at /app/node_modules/pg/lib/client.js:545:17',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `    at async reserveStock (/app/src/inventory.js:${failingLine}:3)`,
      '    at async createOrder (/app/src/orders.js:31:3)',
    ].join('\n');
    // Browser code as a string: this tree's tsconfig has no DOM types.
    await workbench.page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(trace)})`);

    await workbench.openForensics();
    await workbench.runCommand('Forensics: Open Stack Trace from Clipboard');
    const items = await workbench.quickItems();
    // Innermost first; library and runtime frames carry a "not application code" detail.
    assert.deepEqual(
      items.map((i) => i.trim()),
      ['<anonymous>', 'not application code', 'process.processTicksAndRejections', 'not application code', 'reserveStock', 'createOrder'],
    );
    await workbench.pickQuickItem(/reserveStock/);

    // The editor shows inventory.js with the cursor on the failing line.
    await workbench.editorTab('inventory.js').waitFor({ timeout: 30_000 });
    const status = workbench.page.locator('.part.statusbar .statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first();
    await status.waitFor();
    assert.match(await status.innerText(), new RegExp(`^Ln ${failingLine}, Col 3`));

    // The decoration after the line says what failed.
    const decorated = workbench.page.locator('.part.editor .view-line', { hasText: 'UPDATE inventory SET stock' }).first();
    await decorated.waitFor();
    // The after-text is either injected text or a CSS ::after of a span, depending on the VS Code
    // version. Read in one step inside the page and polled: Monaco re-renders lines at any time
    // (diagnostics arriving, the hover), so a handle kept between two steps can go stale.
    const decorationText = String(
      await (
        await workbench.page.waitForFunction(
          `(() => {
      for (const line of document.querySelectorAll('.part.editor .view-line')) {
        // Monaco renders spaces as no-break spaces.
        if (!line.textContent.replace(/\u00a0/g, ' ').includes('UPDATE inventory SET stock')) continue;
        const texts = [line.textContent];
        for (const span of line.querySelectorAll('span')) texts.push(getComputedStyle(span, '::after').content);
        const text = texts.join(' ');
        if (/violates check constraint/.test(text)) return text;
      }
      return '';
    })()`,
          undefined,
          { timeout: 30_000 },
        )
      ).jsonValue(),
    );
    assert.match(decorationText, /new row for relation .*inventory.* violates check constraint/);

    // The Recent Changes view lists the Tuesday refactor, marked as the line's origin.
    const pane = await workbench.expandView('Recent Changes');
    const refactorLabel = `${demo.commits.refactor.slice(0, 7)} perf: drop the transaction and row lock from reserveStock`;
    const row = await workbench.treeItem(refactorLabel, { view: 'Recent Changes' });
    const description = await row.locator('.label-description').innerText();
    assert.match(description, /Jordan Blake/);
    assert.match(description, /introduced this line/);
    // Widen the side bar as a person would (drag its edge) so the markers are readable,
    // then hover the failing line to show the error in full.
    const edge = await workbench.page.locator('.part.sidebar').boundingBox();
    if (edge) {
      await workbench.page.mouse.move(edge.x + edge.width + 1, edge.y + 300);
      await workbench.page.mouse.down();
      await workbench.page.mouse.move(edge.x + 600, edge.y + 300, { steps: 8 });
      await workbench.page.mouse.up();
    }
    await decorated.hover();
    const hover = workbench.page.locator('.monaco-hover', { hasText: 'failing line' }).first();
    await hover.waitFor({ timeout: 15_000 });
    // The commits are at the line too, not only in the sidebar: who wrote it, as a link to its diff.
    await hover.filter({ hasText: 'Commits on this line' }).waitFor({ timeout: 15_000 });
    // appendText keeps the subject's spaces as &nbsp; so Markdown leaves them alone: read them as spaces.
    const hoverText = (await hover.innerText()).replace(/\u00a0/g, ' ');
    assert.match(
      hoverText,
      new RegExp(`${demo.commits.refactor.slice(0, 7)}\\s*perf: drop the transaction and row lock from reserveStock — Jordan Blake`),
    );
    assert.match(hoverText, /introduced this line/);
    await workbench.screenshot('frame-and-commits');
    // And after the line, where the eye already is.
    const after = await workbench.page.waitForFunction(
      `(() => {
      for (const line of document.querySelectorAll('.part.editor .view-line')) {
        const texts = [line.textContent];
        for (const span of line.querySelectorAll('span')) texts.push(getComputedStyle(span, '::after').content);
        const m = /introduced by ([0-9a-f]{7}) \\(Jordan Blake/.exec(texts.join(' '));
        if (m) return m[1];
      }
      return '';
    })()`,
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(await after.jsonValue(), demo.commits.refactor.slice(0, 7));
    await workbench.page.keyboard.press('Escape');

    // Selecting it opens that commit's diff of the file.
    await row.click();
    await workbench.editorTab(/inventory\.js \(.*↔.*\)/).waitFor({ timeout: 30_000 });
    // The left side is the file before the refactor: it still takes the row lock.
    const diff = workbench.page.locator('.part.editor .monaco-diff-editor').first();
    await diff.locator('.view-line', { hasText: 'FOR UPDATE' }).first().waitFor({ timeout: 30_000 });
    assert.ok(await pane.isVisible());
    await workbench.screenshot('frame-commit-diff');
  });
});
