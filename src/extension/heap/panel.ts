// Hosts the heap-diff panel: the comparison is reduced to what the panel draws (top
// classes with their paths, per-snapshot totals) and "open source location" opens the
// script at the line the snapshot recorded.
import * as vscode from 'vscode';
import type { HeapComparison } from '../../core/heap/report';
import type { HeapDiffProtocol, HeapDiffView, SourceLocationView } from '../../../webview/heapDiff/protocol';
import { PanelHost } from '../common/panelHost';
import { topSuspect } from '../../core/heap/suspects';

const MAX_CLASSES = 200;

export function toView(report: HeapComparison, title: string): HeapDiffView {
  const suspect = topSuspect(
    report.idsOverlap ? report.classes : report.classes.map((c) => ({ ...c, addedRetainedSize: undefined })),
    report.leaks?.classes,
  );
  const paths = (list: { path: string; count: number; retainedSize: number; culprits: string[] }[]) =>
    list.map(({ path, count, retainedSize, culprits }) => ({ path, count, retainedSize, culprits }));
  return {
    title,
    snapshots: report.snapshots.map(({ label, file, totalSize, nodeCount }) => ({ label, file, totalSize, nodeCount })),
    idsOverlap: report.idsOverlap,
    note: report.note,
    totals: report.totals,
    classes: report.classes.slice(0, MAX_CLASSES).map((c) => ({
      name: c.name,
      internal: c.internal,
      targetCount: c.targetCount,
      targetSelfSize: c.targetSelfSize,
      countDelta: c.countDelta,
      selfSizeDelta: c.selfSizeDelta,
      retainedSizeDelta: c.retainedSizeDelta,
      added: c.added,
      removed: c.removed,
      addedRetainedSize: c.addedRetainedSize,
      paths: paths(c.paths),
      location: c.location,
    })),
    leaks: report.leaks && {
      classes: report.leaks.classes.slice(0, MAX_CLASSES).map((c) => ({
        name: c.name,
        internal: c.internal,
        count: c.count,
        selfSize: c.selfSize,
        retainedSize: c.retainedSize,
        paths: paths(c.paths),
        location: c.location,
      })),
      paths: paths(report.leaks.paths),
      culprits: report.leaks.culprits,
      retainedSize: report.leaks.retainedSize,
    },
    suspect,
  };
}

/** Where the suspect is defined, if the snapshot recorded it. */
export function suspectLocation(view: HeapDiffView): SourceLocationView | undefined {
  if (!view.suspect) return undefined;
  return view.leaks?.classes.find((c) => c.name === view.suspect)?.location ?? view.classes.find((c) => c.name === view.suspect)?.location;
}

/** Script URLs in snapshots are file paths, file:// URLs or Node built-ins (node:events), which have no file. */
function locationUri(loc: SourceLocationView): vscode.Uri | undefined {
  if (loc.url.startsWith('file://')) return vscode.Uri.parse(loc.url);
  if (loc.url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(loc.url)) return vscode.Uri.file(loc.url);
  return undefined;
}

export async function openLocation(loc: SourceLocationView, beside = false): Promise<void> {
  const uri = locationUri(loc);
  if (!uri) {
    if (beside) return; // opened on its own: a built-in has no file to show, and no message is wanted
    void vscode.window.showInformationMessage(
      `${loc.url}:${loc.line} is not a file in this workspace (a Node built-in or an evaluated script).`,
    );
    return;
  }
  const position = new vscode.Position(Math.max(0, loc.line - 1), Math.max(0, loc.column - 1));
  await vscode.window.showTextDocument(uri, {
    selection: new vscode.Range(position, position),
    preview: false,
    ...(beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : {}),
  });
}

export function showHeapDiffPanel(context: vscode.ExtensionContext, view: HeapDiffView): PanelHost<HeapDiffProtocol> {
  const host = new PanelHost<HeapDiffProtocol>({
    viewType: 'forensics.heapDiff',
    title: view.title,
    extensionUri: context.extensionUri,
    bundle: 'heapDiff',
    requests: { model: () => view },
    commands: { openLocation: (loc) => openLocation(loc) },
  });
  context.subscriptions.push(host);
  // The top suspect's source opens beside the panel, so the leak reads next to its code.
  const source = suspectLocation(view);
  if (source) void openLocation(source, true).then(undefined, () => undefined);
  return host;
}
