// Exporting the investigation's Markdown report. The user picks where it goes (the save
// dialog opens on incident-reports/ in the workspace, the usual place), is told where it
// went, and is offered to open it: nothing lands in the repository without being asked.
import * as vscode from 'vscode';
import type { Investigation } from '../../core/triage/investigation';
import { renderReport } from '../../core/triage/report';
import type { IncidentSummary } from '../../core/model/incident';
import type { UserState } from './model';
import { errorMessage } from '../../core/common/errors';
import { showErrorWithLog, log } from '../common/log';

/** "PROJ-12-202612040455.md": the incident and the minute, so reports never overwrite each other. */
export function reportFileName(incident: Pick<IncidentSummary, 'id' | 'shortId'>, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return `${(incident.shortId || incident.id).replace(/[^\w.-]+/g, '-')}-${stamp}.md`;
}

export async function exportReport(investigation: Investigation, incident: IncidentSummary, user: UserState): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const name = reportFileName(incident, new Date());
  const reports = folder ? vscode.Uri.joinPath(folder.uri, 'incident-reports') : undefined;
  // VS Code's own save dialog (remote, web, code-server) refuses a folder that does not exist,
  // so the proposed folder is made first and taken back if the user saves elsewhere or cancels.
  const madeReports = reports ? await ensureFolder(reports) : false;
  const uri = await vscode.window.showSaveDialog({
    title: `Export the report of ${incident.shortId || incident.id}`,
    defaultUri: reports && vscode.Uri.joinPath(reports, name),
    saveLabel: 'Export Report',
    filters: { Markdown: ['md'] },
  });
  if (madeReports && reports && !(uri && uri.toString().startsWith(`${reports.toString()}/`))) await removeIfEmpty(reports);
  if (!uri) return; // the user closed the dialog: nothing written, nothing to say
  const markdown = renderReport(investigation, { notes: user.notes, done: user.done });
  try {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(markdown, 'utf8'));
  } catch (err) {
    void showErrorWithLog(`Forensics: the report could not be written to ${uri.fsPath}: ${errorMessage(err)}`, err);
    return;
  }
  const where = vscode.workspace.asRelativePath(uri, false);
  log.info(`Report of ${incident.shortId || incident.id} written to ${uri.fsPath}`);
  const choice = await vscode.window.showInformationMessage(`Forensics: report saved to ${where}.`, 'Open Report', 'Reveal in Explorer');
  if (choice === 'Open Report') await vscode.window.showTextDocument(uri, { preview: false });
  else if (choice === 'Reveal in Explorer') await vscode.commands.executeCommand('revealInExplorer', uri);
}

/** Creates the folder when missing; true when this call made it. */
async function ensureFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return false;
  } catch {
    try {
      await vscode.workspace.fs.createDirectory(uri);
      return true;
    } catch (err) {
      log.warn(`Could not create ${uri.fsPath} for the report`, err);
      return false;
    }
  }
}

async function removeIfEmpty(uri: vscode.Uri): Promise<void> {
  try {
    if ((await vscode.workspace.fs.readDirectory(uri)).length === 0) await vscode.workspace.fs.delete(uri, { recursive: false });
  } catch (err) {
    log.warn(`Could not remove the empty ${uri.fsPath}`, err);
  }
}
