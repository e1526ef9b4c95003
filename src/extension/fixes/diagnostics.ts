// The Forensics diagnostics: one per finding, with the rule id (linking to its
// explanation) and the message, refreshed when a file opens, is saved, or changes
// (debounced, so typing is never slowed by analysis).
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { FindingsCache, isFixable, rangeOfFinding } from './analysis';
import { readFixesSettings, toDiagnosticSeverity } from './settings';

const DEBOUNCE_MS = 400;

export class FixesDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('Forensics'));
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly cache: FindingsCache, private readonly docsUri: vscode.Uri) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => {
      this.cancel(d);
      this.cache.forget(d);
      this.collection.delete(d.uri);
    }));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('forensics.fixes')) return;
      this.cache.clear();
      this.refreshAll();
    }));
    this._register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
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
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.update(document);
    }, delay));
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    if (this.isDisposed || document.isClosed) return;
    if (!readFixesSettings().enabled) {
      this.collection.delete(document.uri);
      return;
    }
    const findings = await this.cache.findings(document);
    this.collection.set(document.uri, findings.map((f) => {
      const d = new vscode.Diagnostic(rangeOfFinding(document, f), f.message, toDiagnosticSeverity(f.severity));
      d.source = 'Forensics';
      d.code = { value: f.ruleId, target: this.docsUri.with({ fragment: f.docsAnchor }) };
      return d;
    }));
  }
}
