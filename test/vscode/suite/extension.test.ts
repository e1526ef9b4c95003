// Behaviours only the extension host can show: activation, the contributed commands being
// real, and commands that explain what to configure instead of failing.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'production-forensics.production-forensics';

export function extensionSuite(): void {
  describe('Production Forensics in the extension host', () => {
    let extension: vscode.Extension<unknown>;

    before(async () => {
      const found = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(found, `${EXTENSION_ID} is not loaded`);
      extension = found;
      await extension.activate();
    });

    it('activates and registers every command it contributes', async () => {
      assert.equal(extension.isActive, true);
      const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
        (c) => c.command,
      );
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.filter((id) => !registered.has(id));
      assert.deepEqual(missing, []);
    });

    it('explains what to do when a report is asked for before any investigation', async () => {
      const shown: string[] = [];
      const original = vscode.window.showInformationMessage;
      (vscode.window as { showInformationMessage: unknown }).showInformationMessage = (message: string) => {
        shown.push(message);
        return Promise.resolve(undefined);
      };
      try {
        await vscode.commands.executeCommand('forensics.exportIncidentReport');
      } finally {
        (vscode.window as { showInformationMessage: unknown }).showInformationMessage = original;
      }
      assert.equal(shown.length, 1);
      assert.match(shown[0], /Select an incident/);
    });

    it('investigates an incident handed over by the Incidents view and exports its report', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the fixture folder is open');
      await vscode.commands.executeCommand('forensics.internal.incidentSelected', {
        id: '1',
        shortId: 'FIXTURE-1',
        title: "TypeError: Cannot read properties of undefined (reading 'sku')",
        culprit: 'handler(app)',
        level: 'error',
        count: 12,
        userCount: 4,
        firstSeen: new Date(Date.now() - 3_600_000).toISOString(),
        lastSeen: new Date().toISOString(),
        latestEvent: {
          eventId: 'e1',
          exceptions: [
            {
              type: 'TypeError',
              value: "Cannot read properties of undefined (reading 'sku')",
              frames: [
                {
                  filename: 'app.js',
                  absPath: vscode.Uri.joinPath(folder.uri, 'app.js').fsPath,
                  function: 'handler',
                  lineNo: 2,
                  colNo: 20,
                  inApp: true,
                },
              ],
            },
          ],
        },
      });
      await vscode.commands.executeCommand('forensics.exportIncidentReport');
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'the report opened');
      assert.match(editor.document.uri.path, /incident-reports\/FIXTURE-1-\d+\.md$/);
      const text = editor.document.getText();
      assert.match(text, /^# Incident report: TypeError/);
      assert.match(text, /app\.js:2/);
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, 'incident-reports'), { recursive: true });
    });
  });
}
