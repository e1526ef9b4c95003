// The Investigation view: the seven steps as a checklist for the selected incident. Each
// step shows what was found, links to the evidence, and what is still missing with the
// one action that gets it.
import * as vscode from 'vscode';
import type { Investigation, InvestigationStep, StepLink, ActionId } from '../../core/triage/investigation';
import type { UserState } from './model';
import { counted } from '../../core/stack/format';

export type InvestigationNode =
  | { kind: 'header'; investigation: Investigation }
  | { kind: 'step'; step: InvestigationStep; incidentId: string }
  | { kind: 'detail'; text: string; note?: boolean }
  | { kind: 'link'; link: StepLink }
  | { kind: 'action'; label: string; what: string; action: ActionId };

/** The command behind each "get the missing evidence" action. */
export const ACTION_COMMANDS: Record<ActionId, { command: string; args?: unknown[] }> = {
  'connect-sentry': { command: 'forensics.connectSentry' },
  'connect-database': { command: 'forensics.connectDatabase' },
  'capture-heap-series': { command: 'forensics.captureHeapSnapshotSeries' },
  'scan-workspace': { command: 'workbench.actions.view.problems' },
  'open-workspace': { command: 'workbench.action.files.openFolder' },
};

const STATUS_ICON: Record<InvestigationStep['status'], vscode.ThemeIcon> = {
  found: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  partial: new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('editorWarning.foreground')),
  missing: new vscode.ThemeIcon('question', new vscode.ThemeColor('editorWarning.foreground')),
};

export class InvestigationTree implements vscode.TreeDataProvider<InvestigationNode> {
  private readonly changed = new vscode.EventEmitter<InvestigationNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private current?: { investigation: Investigation; user: UserState };
  private loading?: string;

  show(investigation: Investigation, user: UserState): void {
    this.current = { investigation, user };
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  setLoading(title: string | undefined): void {
    this.loading = title;
    this.changed.fire(undefined);
  }

  get investigation(): Investigation | undefined {
    return this.current?.investigation;
  }

  get userState(): UserState | undefined {
    return this.current?.user;
  }

  getTreeItem(node: InvestigationNode): vscode.TreeItem {
    switch (node.kind) {
      case 'header': {
        const inc = node.investigation.evidence.incident;
        const item = new vscode.TreeItem(inc.title, vscode.TreeItemCollapsibleState.None);
        item.description = `${inc.shortId ?? inc.id} · ${counted(inc.count, 'event')}`;
        item.iconPath = new vscode.ThemeIcon('flame', new vscode.ThemeColor('errorForeground'));
        item.tooltip = `${inc.title}\n${inc.culprit ?? ''}\n\nClick for the whole investigation beside the editor.`;
        item.command = { command: 'forensics.showInvestigationDetails', title: 'Show the investigation beside the editor' };
        return item;
      }
      case 'step': {
        const done = this.current?.user.done.includes(node.step.id) ?? false;
        const item = new vscode.TreeItem(node.step.title, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `step:${node.incidentId}:${node.step.id}`;
        item.description = node.step.summary;
        item.tooltip = new vscode.MarkdownString(`**${node.step.title}** (${node.step.status})\n\n${node.step.summary}`);
        item.iconPath = STATUS_ICON[node.step.status];
        item.checkboxState = done ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
        item.contextValue = 'forensics.investigationStep';
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.text;
        item.iconPath = new vscode.ThemeIcon(node.note ? 'note' : 'info');
        return item;
      }
      case 'link': {
        const item = new vscode.TreeItem(node.link.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(
          node.link.kind === 'apply-fix' ? 'lightbulb-autofix' : node.link.kind === 'open-commit' ? 'git-commit' : 'go-to-file',
        );
        item.tooltip = node.link.label;
        item.command = { command: 'forensics.internal.followInvestigationLink', title: node.link.label, arguments: [node.link] };
        return item;
      }
      case 'action': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = `missing: ${node.what}`;
        item.tooltip = `${node.label}: ${node.what} is missing`;
        item.iconPath = new vscode.ThemeIcon('arrow-right');
        const { command, args } = ACTION_COMMANDS[node.action];
        item.command = { command, title: node.label, arguments: args };
        return item;
      }
    }
  }

  private rootCache?: { investigation: Investigation; nodes: InvestigationNode[] };

  /** The same objects for the same investigation, so the view can reveal them. */
  private roots(investigation: Investigation): InvestigationNode[] {
    if (this.rootCache?.investigation !== investigation) {
      const id = investigation.evidence.incident.id;
      const nodes: InvestigationNode[] = [
        { kind: 'header', investigation },
        ...investigation.steps.map((step) => ({ kind: 'step' as const, step, incidentId: id })),
      ];
      this.rootCache = { investigation, nodes };
    }
    return this.rootCache.nodes;
  }

  /** The incident's row, for revealing it (only root rows are revealed, so no parents are kept). */
  header(): InvestigationNode | undefined {
    return this.current && this.getChildren()[0];
  }

  getParent(): InvestigationNode | undefined {
    return undefined;
  }

  getChildren(node?: InvestigationNode): InvestigationNode[] {
    if (!node && this.loading) return [{ kind: 'detail', text: `Gathering evidence for ${this.loading}…` }];
    if (!this.current) return [];
    const { investigation, user } = this.current;
    if (!node) return this.roots(investigation);
    if (node.kind !== 'step') return [];
    const children: InvestigationNode[] = [
      ...node.step.details.map((text) => ({ kind: 'detail' as const, text })),
      ...node.step.links.map((link) => ({ kind: 'link' as const, link })),
    ];
    if (node.step.missing)
      children.push({
        kind: 'action',
        label: node.step.missing.actionLabel,
        what: node.step.missing.what,
        action: node.step.missing.action,
      });
    const note = user.notes[node.step.id];
    if (note) children.push({ kind: 'detail', text: `Note: ${note}`, note: true });
    return children;
  }
}
