// Opening a frame of an incident. The stack feature owns `forensics.openFrame` (source
// maps, line drift, blame); when it is not there, the frame's file is found in the
// workspace as well as the path allows, and the user is told what was not possible.
import * as vscode from 'vscode';
import type { StackFrame } from '../../core/model/frame';
import type { FrameContext } from '../../core/sentry/incidentTree';
import { resolveFramePath, stripPathPrefixes } from '../../core/stack/pathResolve';
import { WorkspaceIndex } from '../../core/stack/workspaceIndex';

export async function openIncidentFrame(frame: StackFrame, context: FrameContext): Promise<void> {
  if ((await vscode.commands.getCommands(true)).includes('forensics.openFrame')) {
    await vscode.commands.executeCommand('forensics.openFrame', frame, context);
    return;
  }
  const folders = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: f.uri.fsPath }));
  const reported = frame.absPath ?? frame.filename;
  if (!reported) {
    void vscode.window.showWarningMessage(`The frame ${frame.function ?? '<anonymous>'} has no file path, so there is nothing to open.`);
    return;
  }
  // A small index of just the files named like the frame's, found by VS Code's own search.
  const name = stripPathPrefixes(reported).replace(/\\/g, '/').split('/').pop() ?? '';
  const index = new WorkspaceIndex();
  if (name && folders.length) {
    const found = await vscode.workspace.findFiles(`**/${name.replace(/[[\]{}*?]/g, '?')}`, '**/node_modules/**', 50);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const rel = found
        .filter((u) => vscode.workspace.getWorkspaceFolder(u) === folder)
        .map((u) => vscode.workspace.asRelativePath(u, false));
      if (rel.length) index.addRoot({ name: folder.name, path: folder.uri.fsPath }, rel);
    }
  }
  const resolution = resolveFramePath(frame, { folders, index });
  if (!resolution.ok) {
    // A path refused for leading out of the workspace is not a missing feature's fault.
    const hint = resolution.refused
      ? ''
      : ' (Frame navigation with source maps and history comes from the stack feature, which is not available.)';
    void vscode.window.showWarningMessage(`Cannot open ${reported}: ${resolution.reason}.${hint}`);
    return;
  }
  const line = Math.max(0, (frame.lineNo ?? 1) - 1);
  const column = Math.max(0, (frame.colNo ?? 1) - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(resolution.file), {
    selection: new vscode.Range(line, column, line, column),
    preview: true,
  });
  void vscode.window.setStatusBarMessage(
    `Opened ${vscode.workspace.asRelativePath(resolution.file)}:${line + 1} (best effort: the stack feature's frame navigation is not available)`,
    8000,
  );
}
