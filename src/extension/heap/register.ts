// Heap snapshots from the command palette: capture one, capture a baseline/target/final
// series, and compare two or three snapshots in the heap-diff panel. Capture streams to
// disk through the inspector; analysis runs in a worker thread; both can be cancelled.
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { analyseSnapshots } from '../../core/heap/analyse';
import { captureHeapSnapshot, captureSeries, SERIES_LABELS, type CaptureProgress } from '../../core/heap/capture';
import { writeSeriesRecord } from '../../core/heap/sessionRecord';
import { latestSeries, listStoredSnapshots } from '../../core/heap/snapshotStore';
import { confirmLargeCapture, deleteStoredSnapshots, keepWithinRetention, snapshotFolder } from './storage';
import { isAbortError } from '../../core/heap/cancel';
import { formatBytes } from '../../core/heap/format';
import { showHeapDiffPanel, toView } from './panel';
import { pickInspectorAddress } from './pickTarget';
import type { HeapComparison } from '../../core/heap/report';
import { heapFacts } from '../../core/triage/heapFacts';

const SNAPSHOT_FILTER = { 'Heap snapshots': ['heapsnapshot'] };

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

function describe(p: CaptureProgress): string {
  if (p.phase === 'connecting') return 'connecting to the inspector';
  if (p.phase === 'writing') return `writing ${formatBytes(p.bytesWritten)}`;
  return p.total ? `snapshotting ${Math.round((100 * p.done) / p.total)}%` : 'snapshotting';
}

/**
 * A failed capture is an error message; a cancelled one says why the process stays busy a
 * little longer (the snapshot it started is finished and dropped, see HeapCapturer).
 */
function reportCaptureFailure(err: unknown): void {
  if (isAbortError(err))
    vscode.window.setStatusBarMessage('Forensics: capture cancelled, no file kept; the process finishes the snapshot it started', 10_000);
  else void vscode.window.showErrorMessage(`Forensics: ${(err as Error).message}`);
}

/** Cancellable progress in a notification, with an AbortSignal for the core. */
function withCancellableProgress<T>(
  title: string,
  task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return task((message) => progress.report({ message }), controller.signal);
  });
}

/** Labels for the panel: the file names, which say more than base/target once there are many. */
function labelsFor(files: string[]): string[] {
  return files.map((f) => basename(f, '.heapsnapshot'));
}

/** Oldest first: base, target, final. */
function byModifiedTime(files: string[]): string[] {
  return [...files].sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

/**
 * The captured snapshots (newest first, with sizes) and any in the workspace; the latest
 * series (or the two newest captures) comes preselected.
 */
async function pickSnapshotFiles(context: vscode.ExtensionContext): Promise<string[] | undefined> {
  const folder = snapshotFolder(context);
  const stored = await listStoredSnapshots(folder);
  const inWorkspace = (await vscode.workspace.findFiles('**/*.heapsnapshot', '**/node_modules/**', 200))
    .map((u) => u.fsPath)
    .filter((f) => !stored.some((s) => s.file === f));
  const preselected = new Set((await latestSeries(folder)) ?? stored.slice(0, 2).map((s) => s.file));
  const browse = { label: '$(folder-opened) Browse…', browse: true };
  let chosen: string[] = [];
  if (stored.length + inWorkspace.length >= 2) {
    const items = [
      ...stored.map((s) => ({
        label: basename(s.file),
        description: `${formatBytes(s.bytes)} · ${new Date(s.modifiedMs).toLocaleString()}`,
        file: s.file,
        picked: preselected.has(s.file),
      })),
      ...byModifiedTime(inWorkspace)
        .reverse()
        .map((f) => ({ label: basename(f), description: vscode.workspace.asRelativePath(f), file: f, picked: false })),
    ];
    const picked = await vscode.window.showQuickPick([...items, browse], {
      title: 'Compare heap snapshots: pick two (base, target) or three (baseline, target, final)',
      canPickMany: true,
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (!picked.some((p) => 'browse' in p)) chosen = picked.map((p) => (p as { file: string }).file);
  }
  if (chosen.length === 0) {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      filters: SNAPSHOT_FILTER,
      openLabel: 'Compare',
      title: 'Pick two or three heap snapshots',
    });
    if (!uris) return undefined;
    chosen = uris.map((u) => u.fsPath);
  }
  if (chosen.length < 2 || chosen.length > 3) {
    void vscode.window.showWarningMessage(
      `Pick two snapshots (base, target) or three (baseline, target, final); ${chosen.length} were picked.`,
    );
    return undefined;
  }
  return byModifiedTime(chosen);
}

/** A .heapsnapshot opened in an editor (text or a custom viewer) gets an offer to analyse it. */
function offerAnalysisOnOpen(): vscode.Disposable {
  const offered = new Set<string>(); // keyed by file path, once per session
  return vscode.window.tabGroups.onDidChangeTabs((e) => {
    for (const tab of e.opened) {
      const input = tab.input;
      const uri = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
      if (!uri || !uri.fsPath.endsWith('.heapsnapshot') || offered.has(uri.fsPath)) continue;
      offered.add(uri.fsPath);
      void vscode.window
        .showInformationMessage(`Compare ${basename(uri.fsPath)} with other heap snapshots to see what grows?`, 'Compare…')
        .then((action) => {
          if (action) void vscode.commands.executeCommand('forensics.compareHeapSnapshots');
        });
    }
  });
}

export function registerHeap(context: vscode.ExtensionContext): void {
  const workerDir = vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers').fsPath;

  // The latest comparison is the investigation's heap evidence (forensics.internal.heapEvidence).
  let latest: HeapComparison | undefined;
  const compare = async (files: string[]): Promise<void> => {
    try {
      const report = (latest = await withCancellableProgress('Forensics: analysing heap snapshots', (report, signal) =>
        analyseSnapshots(
          { files, labels: labelsFor(files) },
          {
            workerDir,
            signal,
            onProgress: (p) =>
              report(
                `${p.stage === 'parse' ? 'reading' : 'analysing'} ${basename(p.file)} ${p.stage === 'parse' ? `${Math.round(p.fraction * 100)}%` : ''}`,
              ),
          },
        ),
      ));
      showHeapDiffPanel(context, toView(report, `Heap diff: ${files.map((f) => basename(f, '.heapsnapshot')).join(' → ')}`));
    } catch (err) {
      if (!isAbortError(err)) void vscode.window.showErrorMessage(`Forensics: ${(err as Error).message}`);
    }
  };

  context.subscriptions.push(
    offerAnalysisOnOpen(),
    vscode.commands.registerCommand('forensics.internal.heapEvidence', () => (latest ? heapFacts(latest) : undefined)),
    vscode.commands.registerCommand('forensics.captureHeapSnapshot', async () => {
      const address = await pickInspectorAddress().then(
        undefined,
        (err: Error) => void vscode.window.showErrorMessage(`Forensics: ${err.message}`),
      );
      if (!address || !(await confirmLargeCapture(context, address))) return;
      const outFile = join(snapshotFolder(context), `heap-${stamp()}.heapsnapshot`);
      try {
        const result = await withCancellableProgress(`Forensics: heap snapshot of ${address}`, (report, signal) =>
          captureHeapSnapshot({ address, outFile, signal, onProgress: (p) => report(describe(p)) }),
        );
        await keepWithinRetention(context, [result.file]);
        const action = await vscode.window.showInformationMessage(
          `Heap snapshot saved: ${basename(result.file)} (${formatBytes(result.bytes)}) in ${dirname(result.file)}.`,
          'Compare…',
          'Delete Snapshots…',
        );
        if (action === 'Compare…') await vscode.commands.executeCommand('forensics.compareHeapSnapshots');
        else if (action === 'Delete Snapshots…') await deleteStoredSnapshots(context);
      } catch (err) {
        reportCaptureFailure(err);
      }
    }),
    vscode.commands.registerCommand('forensics.captureHeapSnapshotSeries', async () => {
      const address = await pickInspectorAddress().then(
        undefined,
        (err: Error) => void vscode.window.showErrorMessage(`Forensics: ${err.message}`),
      );
      if (!address) return;
      const interval = await vscode.window.showInputBox({
        title: 'Seconds between snapshots',
        value: '30',
        prompt: 'Baseline now, target after this many seconds, final after as many again. Keep the load running meanwhile.',
        validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? undefined : 'a whole number of seconds'),
      });
      if (!interval || !(await confirmLargeCapture(context, address, 3))) return;
      const outDir = snapshotFolder(context);
      const prefix = `heap-${stamp()}`;
      try {
        const results = await withCancellableProgress(`Forensics: heap snapshot series of ${address}`, (report, signal) =>
          captureSeries({
            address,
            signal,
            outDir,
            prefix,
            intervalMs: Number(interval) * 1000,
            onProgress: (label, index, p) => report(`${index + 1}/3 ${label}: ${describe(p)}`),
            onWait: (label, ms) => report(`${label} in ${Math.ceil(ms / 1000)} s`),
          }),
        );
        // One session, recorded: the comparison may then match objects by id (see sessionRecord.ts).
        await writeSeriesRecord(
          outDir,
          prefix,
          results.map((r, i) => ({ ...r, label: SERIES_LABELS[i]! })),
        );
        await keepWithinRetention(
          context,
          results.map((r) => r.file),
        );
        const action = await vscode.window.showInformationMessage(
          `Captured baseline, target and final (${results.map((r) => formatBytes(r.bytes)).join(', ')}) in ${outDir}.`,
          'Compare',
        );
        if (action === 'Compare') await compare(results.map((r) => r.file));
      } catch (err) {
        reportCaptureFailure(err);
      }
    }),
    vscode.commands.registerCommand('forensics.deleteHeapSnapshots', () => deleteStoredSnapshots(context)),
    vscode.commands.registerCommand('forensics.compareHeapSnapshots', async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
      // From the explorer: the clicked file and the multi-selection.
      const fromExplorer = (uris?.length ? uris : uri ? [uri] : []).map((u) => u.fsPath).filter((f) => f.endsWith('.heapsnapshot'));
      const files = fromExplorer.length >= 2 ? byModifiedTime(fromExplorer) : await pickSnapshotFiles(context);
      if (files) await compare(files);
    }),
  );
}
