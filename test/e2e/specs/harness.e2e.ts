// The harness's own helpers against VS Code's built-in parts, so a feature spec that
// fails points at the feature, not at the harness: tree items (Explorer), quick input
// (Quick Open), commands, and the content of a webview (the Markdown preview).
import { strict as assert } from 'node:assert';
import { Workbench, workspaceFolder } from '../harness';

describe('e2e harness', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open({
      folder: workspaceFolder({ 'NOTES.md': '# Harness check\n\nA paragraph with **bold** text.\n', 'src/app.ts': 'export {};\n' }),
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('finds tree items by label', async () => {
    await workbench.openViewContainer('Explorer');
    await workbench.treeItem('NOTES.md');
    const folderName = workbench.folder.split('/').pop() ?? '';
    const labels = await workbench.treeLabels(folderName);
    assert.deepEqual(labels.sort(), ['NOTES.md', 'src']);
  });

  it('answers quick input and shows a webview whose content it can query', async () => {
    await workbench.page.keyboard.press('Control+P');
    await workbench.typeInQuickInput('NOTES');
    await workbench.pickQuickItem('NOTES.md');
    await workbench.editorTab('NOTES.md').waitFor();
    // The preview command applies to the focused Markdown editor, as it does for a person.
    await workbench.page.locator('.monaco-editor .view-lines').first().click();

    await workbench.runCommand('Markdown: Open Preview');
    const preview = await workbench.webview('Preview NOTES.md');
    assert.equal(await preview.locator('h1').innerText(), 'Harness check');
    assert.equal(await preview.locator('strong').innerText(), 'bold');
    await workbench.screenshot('harness-markdown-preview');
  });
});
