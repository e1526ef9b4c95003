// The Incidents tree provider: maps the core's nodes (src/core/sentry/incidentTree.ts)
// onto TreeItems. The only work here is loading an incident's latest event on expand.
import * as vscode from 'vscode';
import type { ExceptionInfo } from '../../core/model/frame';
import { childNodes, rootNodes, viewOf, type IncidentNode } from '../../core/sentry/incidentTree';
import type { IncidentsStore } from '../../core/sentry/incidentsStore';
import type { IncidentSummary } from '../../core/model/incident';
import type { NormalisedEvent } from '../../core/sentry/normalize';

const COLLAPSE: Record<'none' | 'collapsed' | 'expanded', vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class IncidentsTree implements vscode.TreeDataProvider<IncidentNode> {
  private readonly changed = new vscode.EventEmitter<IncidentNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  trace?: { title: string; exceptions: ExceptionInfo[] };

  constructor(
    private readonly store: IncidentsStore,
    private readonly loadEvent: (incident: IncidentSummary) => Promise<NormalisedEvent>,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  getTreeItem(node: IncidentNode): vscode.TreeItem {
    const view = viewOf(node);
    const item = new vscode.TreeItem(view.label, COLLAPSE[view.collapsible]);
    item.id = view.id;
    item.description = view.description;
    if (view.tooltip) item.tooltip = new vscode.MarkdownString(view.tooltip);
    if (view.icon) item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
    item.contextValue = view.contextValue;
    if (node.kind === 'frame') {
      item.command = { command: 'forensics.internal.openIncidentFrame', title: 'Open Frame', arguments: [node.frame, node.context] };
    } else if (node.kind === 'notice' && node.action) {
      item.command =
        node.action === 'connect'
          ? { command: 'forensics.connectSentry', title: 'Connect Sentry' }
          : { command: 'forensics.refreshIncidents', title: 'Refresh' };
    }
    return item;
  }

  async getChildren(node?: IncidentNode): Promise<IncidentNode[]> {
    if (!node) return rootNodes(this.store, this.trace);
    if (node.kind !== 'incident') return childNodes(node);
    try {
      return [{ kind: 'event', incident: node.incident, event: await this.loadEvent(node.incident) }];
    } catch (err) {
      return [
        { kind: 'notice', severity: 'error', text: 'Could not load the latest event', detail: (err as Error).message, action: 'refresh' },
      ];
    }
  }
}
