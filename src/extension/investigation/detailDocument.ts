// The investigation's detail beside the editor: the live report as a read-only Markdown
// document (forensics-investigation:), shown in VS Code's Markdown preview. The sidebar keeps
// short labels; full titles, commit subjects and every step's details read here, at the
// width of an editor, and follow the user's checks and notes as they change.
import * as vscode from 'vscode';
import type { Investigation } from '../../core/triage/investigation';
import { renderReport } from '../../core/triage/report';
import type { IncidentSummary } from '../../core/model/incident';
import type { UserState } from './model';
import { Disposable } from '../common/disposable';

export const DETAIL_SCHEME = 'forensics-investigation';

export class InvestigationDetail extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly documents = new Map<string, string>();

  constructor() {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(DETAIL_SCHEME, this));
  }

  /** One document per incident: re-investigating it updates the open preview in place. */
  uriFor(incident: Pick<IncidentSummary, 'id' | 'shortId'>): vscode.Uri {
    const name = (incident.shortId || incident.id).replace(/[^\w.-]+/g, '-');
    return vscode.Uri.from({ scheme: DETAIL_SCHEME, path: `/${name}.md` });
  }

  update(incident: IncidentSummary, investigation: Investigation, user: UserState): vscode.Uri {
    const uri = this.uriFor(incident);
    this.documents.set(uri.toString(), renderReport(investigation, { notes: user.notes, done: user.done }));
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.documents.get(uri.toString()) ??
      'This investigation is no longer in memory: select its incident in the Incidents view to investigate it again.'
    );
  }

  /** Opens the preview beside the active editor, keeping the focus where the user is. */
  async reveal(uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  }
}
