// Findings for the files nobody opened: the workspace folders are scanned in a worker
// thread (core/fixes/workspaceScan.ts, the CLI's walk: .gitignore, size and file bounds),
// cancelled when a newer scan supersedes it or the window closes, and kept fresh by a file
// watcher: a changed file is re-read, a deleted one forgotten, new files rescan the folder.
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import { isAbortError } from '../../core/heap/cancel';
import { runWorker } from '../../core/heap/workers';
import { isAnalyzableFile } from '../../core/fixes/files';
import type { WorkspaceScanRequest, WorkspaceScanResult } from '../../core/fixes/workspaceScan';
import { Disposable } from '../common/disposable';
import { log } from '../common/log';
import { MAX_CHARS } from './analysis';
import type { FixesDiagnostics } from './diagnostics';
import { readFixesSettings } from './settings';

/** Saves and checkouts come in bursts: one scan per burst. */
const SETTLE_MS = 500;

export class WorkspaceScan extends Disposable {
  private readonly workerFile: string | undefined;
  /** Per folder root: the files the last scan read (real paths). */
  private readonly known = new Map<string, Set<string>>();
  private readonly changed = new Set<string>();
  private fullRescan = false;
  private timer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;

  constructor(
    extensionPath: string,
    private readonly diagnostics: FixesDiagnostics,
  ) {
    super();
    const file = join(extensionPath, 'dist', 'workers', 'fixesScan.worker.js');
    this.workerFile = existsSync(file) ? file : undefined;
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*'));
    this._register(watcher.onDidChange((uri) => this.onChanged(uri, false)));
    this._register(watcher.onDidCreate((uri) => this.onChanged(uri, true)));
    this._register(watcher.onDidDelete((uri) => this.onDeleted(uri)));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleFull()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('forensics.fixes') && this.scheduleFull()));
    this._register({
      dispose: () => {
        clearTimeout(this.timer);
        this.running?.abort();
      },
    });
  }

  /** Scans every folder of the window (after `delay`, so activation stays quick). */
  scheduleFull(delay = SETTLE_MS): void {
    this.fullRescan = true;
    this.schedule(delay);
  }

  private onChanged(uri: vscode.Uri, created: boolean): void {
    if (uri.scheme !== 'file' || !isAnalyzableFile(uri.fsPath) || uri.fsPath.split(sep).includes('node_modules')) return;
    // A new file may be ignored: only a walk of its folder says, so the folder is rescanned.
    if (created && !this.isKnown(uri.fsPath)) this.fullRescan = true;
    else if (this.isKnown(uri.fsPath)) this.changed.add(uri.fsPath);
    else return;
    this.schedule(SETTLE_MS);
  }

  private onDeleted(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    // A folder's deletion comes as one event: everything under it goes.
    const gone = uri.fsPath;
    for (const files of this.known.values()) {
      for (const file of [...files]) {
        if (file !== gone && !file.startsWith(gone + sep)) continue;
        files.delete(file);
        this.diagnostics.setOnDisk(vscode.Uri.file(file), undefined);
      }
    }
  }

  private isKnown(path: string): boolean {
    return [...this.known.values()].some((files) => files.has(path));
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    if (this.isDisposed) return;
    const settings = readFixesSettings();
    if (!settings.enabled) {
      // Turned off: every file's closed-file findings go, and nothing is read.
      this.running?.abort();
      for (const [root, files] of this.known) this.apply(root, undefined, { files: [], scanned: [...files], leftOut: 0 });
      return;
    }
    // A newer scan supersedes the one in flight: stop it rather than wait for it.
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const full = this.fullRescan;
    const changed = [...this.changed];
    this.fullRescan = false;
    this.changed.clear();
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Forensics: scanning for bug patterns' },
        async () => {
          for (const folder of folders) {
            const root = folder.uri.fsPath;
            const known = this.known.get(root);
            const files = full || !known ? undefined : changed.filter((f) => known.has(f));
            if (files && files.length === 0) continue;
            // The open-file limit too (bytes ≥ characters): a file too big to analyse when
            // opened must not keep a closed-file finding nobody can refresh.
            const request: WorkspaceScanRequest = { root, files, severities: settings.severities, maxBytes: MAX_CHARS };
            const result = await this.scanFolder(request, controller.signal);
            if (controller.signal.aborted) return;
            this.apply(root, files, result);
            if (result.leftOut)
              log.info(
                `Forensics fixes: ${folder.name} has more source files than the scan reads; ${result.leftOut} were left out (open them to analyse them).`,
              );
          }
        },
      );
    } catch (err) {
      if (isAbortError(err)) {
        // Superseded: what it was asked for is asked again by the scan that replaced it.
        if (full) this.fullRescan = true;
        changed.forEach((f) => this.changed.add(f));
        return;
      }
      log.warn(`Forensics fixes: the workspace scan failed: ${(err as Error).message}`);
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }

  private async scanFolder(request: WorkspaceScanRequest, signal: AbortSignal): Promise<WorkspaceScanResult> {
    if (this.workerFile) return runWorker<never, WorkspaceScanResult>(this.workerFile, request, undefined, signal);
    // Running from source (no bundle): the same scan in this thread.
    const { scanWorkspaceFolder } = await import('../../core/fixes/workspaceScan');
    return scanWorkspaceFolder(request);
  }

  /** Publishes a folder's (or some files') findings and forgets files that have none now. */
  private apply(root: string, rescanned: readonly string[] | undefined, result: WorkspaceScanResult): void {
    const previous = this.known.get(root) ?? new Set<string>();
    const withFindings = new Map(result.files.map((f) => [f.path, f.findings]));
    const affected = rescanned ? new Set(rescanned) : new Set([...previous, ...result.scanned]);
    for (const file of affected) this.diagnostics.setOnDisk(vscode.Uri.file(file), withFindings.get(file));
    if (rescanned) result.scanned.forEach((f) => previous.add(f));
    this.known.set(root, rescanned ? previous : new Set(result.scanned));
  }
}
