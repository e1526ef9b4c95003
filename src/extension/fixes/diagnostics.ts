// The Forensics diagnostics: one per finding, with the rule id (linking to its
// explanation) and the message, refreshed when a file opens, is saved, or changes
// (debounced, so typing is never slowed by analysis). Files that are not open show what
// the workspace scan found on disk (workspaceScan.ts); an open file shows its live text.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { Finding } from '../../core/fixes/types';
import { FindingsCache, isFixable, rangeOfFinding } from './analysis';
import { readFixesSettings, toDiagnosticSeverity } from './settings';

const DEBOUNCE_MS = 400;

export class FixesDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('Forensics'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What the workspace scan last found on disk, per file (shown while the file is closed). */
  private readonly onDisk = new Map<string, Finding[]>();

  constructor(
    private readonly cache: FindingsCache,
    private readonly docsUri: vscode.Uri,
  ) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d);
        this.cache.forget(d);
        // Closed without saving: the disk's findings again (a save already rescanned them).
        this.showOnDisk(d.uri);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('forensics.fixes')) return;
        this.cache.clear();
        this.refreshAll();
      }),
    );
    this._register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
  }

  /** The scan's findings for a file on disk; shown unless the file is open (its live text wins). */
  setOnDisk(uri: vscode.Uri, findings: Finding[] | undefined): void {
    const key = uri.toString();
    if (findings?.length) this.onDisk.set(key, findings);
    else this.onDisk.delete(key);
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key && !d.isClosed)) this.showOnDisk(uri);
  }

  private showOnDisk(uri: vscode.Uri): void {
    const findings = this.onDisk.get(uri.toString());
    if (!findings || !readFixesSettings().enabled) return void this.collection.delete(uri);
    // Lines and columns are 1-based in the core, 0-based in VS Code.
    this.collection.set(
      uri,
      findings.map((f) =>
        this.diagnostic(new vscode.Range(f.range.startLine - 1, f.range.startColumn - 1, f.range.endLine - 1, f.range.endColumn - 1), f),
      ),
    );
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private cancel(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isFixable(document)) return;
    this.cancel(document);
    const key = document.uri.toString();
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document);
      }, delay),
    );
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    if (this.isDisposed || document.isClosed) return;
    if (!readFixesSettings().enabled) {
      this.collection.delete(document.uri);
      return;
    }
    const findings = await this.cache.findings(document);
    if (document.isClosed) return;
    this.collection.set(
      document.uri,
      findings.map((f) => this.diagnostic(rangeOfFinding(document, f), f)),
    );
  }

  private diagnostic(range: vscode.Range, f: Finding): vscode.Diagnostic {
    const d = new vscode.Diagnostic(range, f.message, toDiagnosticSeverity(f.severity));
    d.source = 'Forensics';
    d.code = { value: f.ruleId, target: this.docsUri.with({ fragment: f.docsAnchor }) };
    return d;
  }
}
