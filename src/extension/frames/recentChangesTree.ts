// The "Recent changes" view: the commits that touched the failing line and its file,
// newest first, each with why it matters. Selecting one opens its diff for the file.
import * as vscode from 'vscode';
import { markerLabel, type ChangeEntry, type ChangesReport } from '../../core/git/changes';
import { relativeTime } from '../../core/stack/format';

export type RecentChangeNode =
  { readonly kind: 'commit'; readonly entry: ChangeEntry; readonly file: string } | { readonly kind: 'info'; readonly text: string };

export class RecentChangesTree implements vscode.TreeDataProvider<RecentChangeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: RecentChangeNode[] = [];
  /** Summary for the view's message: where, and what to keep in mind. */
  message: string | undefined;

  showLoading(where: string): void {
    this.nodes = [{ kind: 'info', text: `Reading the history of ${where}…` }];
    this.message = undefined;
    this.changed.fire();
  }

  show(report: ChangesReport, file: string): void {
    if (!report.ok) {
      this.nodes = [{ kind: 'info', text: report.reason }];
      this.message = report.reason;
    } else {
      this.nodes = report.commits.map((entry) => ({ kind: 'commit', entry, file }));
      if (this.nodes.length === 0) this.nodes = [{ kind: 'info', text: `No commits touched ${report.relPath}` }];
      const where = `${report.relPath}:${report.line}`;
      const window = report.window ? ` · window from ${report.window.since.slice(0, 10)}` : '';
      this.message = [`${where}${window}`, ...report.notes].join(' · ');
    }
    this.changed.fire();
  }

  getChildren(node?: RecentChangeNode): RecentChangeNode[] {
    return node ? [] : this.nodes;
  }

  getTreeItem(node: RecentChangeNode): vscode.TreeItem {
    if (node.kind === 'info') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const c = node.entry;
    const item = new vscode.TreeItem(`${c.shortSha} ${c.subject}`);
    const marks = c.markers.map(markerLabel);
    // The markers say why the commit matters, so they come first where a narrow view truncates.
    item.description = [...marks, c.authorName, relativeTime(c.date)].join(' · ');
    const introduced = c.markers.some((m) => m.kind === 'introduced-line');
    item.iconPath = introduced
      ? new vscode.ThemeIcon('git-commit', new vscode.ThemeColor('list.errorForeground'))
      : new vscode.ThemeIcon('git-commit');
    const tip = new vscode.MarkdownString();
    tip.appendText(`${c.subject}\n\n${c.authorName} <${c.authorEmail}> · ${new Date(c.date).toUTCString()}\n\n${c.sha}`);
    if (c.previousPath) tip.appendText(`\n\nrenamed ${c.previousPath} → ${c.path}`);
    if (marks.length) tip.appendText(`\n\n${marks.join('\n')}`);
    item.tooltip = tip;
    item.contextValue = 'forensics.recentChange';
    item.command = {
      command: 'forensics.internal.openCommitDiff',
      title: 'Open the diff of this commit',
      arguments: [c.sha, node.file, c.path, c.previousPath],
    };
    return item;
  }
}
