// CodeLens over functions that appear in incidents: "2 incidents · 1,204 events · last 5
// minutes ago", opening the incident. Incidents come from the Incidents view's snapshot
// (when Sentry is connected); nothing is shown without it.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { IncidentSummary } from '../../core/model/incident';
import { findFunctionLine, functionsInIncidents, lensTitle } from '../../core/stack/incidentLenses';
import { parsePathMappings } from '../../core/stack/pathResolve';
import type { WorkspaceIndexService } from './indexService';
import { counted } from '../../core/stack/format';

const REFRESH_MS = 60_000;

async function incidentsSnapshot(): Promise<IncidentSummary[]> {
  if (!(await vscode.commands.getCommands(true)).includes('forensics.internal.incidentsSnapshot')) return [];
  return (await vscode.commands.executeCommand<IncidentSummary[]>('forensics.internal.incidentsSnapshot')) ?? [];
}

export class IncidentLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly index: WorkspaceIndexService) {
    super();
    // New incidents and "last … ago" change with time.
    const timer = setInterval(() => this.changed.fire(), REFRESH_MS);
    this._register({ dispose: () => clearInterval(timer) });
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (document.uri.scheme !== 'file') return [];
    const incidents = await incidentsSnapshot();
    if (incidents.length === 0 || token.isCancellationRequested) return [];
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath }));
    const mappings = parsePathMappings(vscode.workspace.getConfiguration('forensics').get('pathMappings'));
    const functions = functionsInIncidents(incidents, { index: await this.index.get(), folders, mappings }).filter(
      (f) => f.file === document.uri.fsPath,
    );
    const text = document.getText();
    const lenses: vscode.CodeLens[] = [];
    for (const f of functions) {
      const line = findFunctionLine(text, f.name, f.frameLine) ?? f.frameLine;
      const range = document.lineAt(Math.min(line, document.lineCount) - 1).range;
      lenses.push(
        new vscode.CodeLens(range, {
          title: lensTitle(f),
          command: 'forensics.internal.openIncidentFromLens',
          arguments: [f.incidents],
          tooltip: `${f.name} appears in ${f.incidents.map((i) => i.shortId).join(', ')}`,
        }),
      );
    }
    return lenses;
  }
}

/** One incident opens directly; several ask which. */
export async function openIncidentFromLens(incidents: readonly IncidentSummary[]): Promise<void> {
  let chosen: IncidentSummary | undefined = incidents[0];
  if (incidents.length > 1) {
    const pick = await vscode.window.showQuickPick(
      incidents.map((i) => ({ label: i.title, description: `${i.shortId} · ${counted(i.count, 'event')}`, incident: i })),
      { title: 'Open which incident?' },
    );
    chosen = pick?.incident;
  }
  if (chosen) await vscode.commands.executeCommand('forensics.investigateIncident', chosen);
}
