// The workspace index, built once on first use (never at activation), its folder scans run
// in a worker thread, then kept fresh by a file watcher so every later lookup is a map read.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { scanFiles, WorkspaceIndex } from '../../core/stack/workspaceIndex';

const SLICE = 5_000;

function scanInWorker(workerFile: string, root: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { root } });
    worker.once('message', (m: { ok: boolean; files?: string[]; error?: string }) => {
      void worker.terminate();
      if (m.ok) resolve(m.files ?? []);
      else reject(new Error(m.error));
    });
    worker.once('error', reject);
  });
}

export class WorkspaceIndexService extends Disposable {
  private building: Promise<WorkspaceIndex> | undefined;
  private current: WorkspaceIndex | undefined;
  private readonly workerFile: string;

  constructor(extensionPath: string) {
    super();
    this.workerFile = join(extensionPath, 'dist', 'workers', 'scan.worker.js');
    this._register(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.building = undefined;
        this.current = undefined;
      }),
    );
  }

  /** The index, scanning the workspace the first time (with progress in the status bar). */
  get(): Promise<WorkspaceIndex> {
    if (!this.building) {
      const building = Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Forensics: indexing workspace files' }, () =>
          this.build(),
        ),
      );
      // A failed build is retried on the next request instead of being cached.
      building.catch(() => (this.building = undefined));
      this.building = building;
      return building;
    }
    return this.building;
  }

  private async build(): Promise<WorkspaceIndex> {
    const index = new WorkspaceIndex();
    this.current = index;
    if (!this.watching) this.watch();
    for (const folder of (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file')) {
      const root = folder.uri.fsPath;
      const files = existsSync(this.workerFile) ? await scanInWorker(this.workerFile, root) : await scanFiles(root);
      // Inserted in slices so a 100,000-file workspace never holds the extension host for long.
      const added = index.addRoot({ path: root, name: folder.name }, []);
      for (let at = 0; at < files.length; at += SLICE) {
        index.addFiles(added, files.slice(at, at + SLICE));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return index;
  }

  private watching = false;

  /** One watcher for the window's lifetime, feeding whichever index is current. */
  private watch(): void {
    this.watching = true;
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*', false, true, false));
    this._register(watcher.onDidCreate((uri) => uri.scheme === 'file' && this.current?.add(uri.fsPath)));
    this._register(watcher.onDidDelete((uri) => uri.scheme === 'file' && this.current?.remove(uri.fsPath)));
  }
}
