// Quick fixes in the editor: Forensics diagnostics on JS/TS files, code actions that
// apply the rules' fixes, and `forensics.applyFixAtLine(uri, line)` for the
// investigation's "apply the fix" link. The rules engine loads on first use.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { FIXES_LANGUAGES, FindingsCache } from './analysis';
import { FixesCodeActions, workspaceEditFor } from './codeActions';
import { FixesDiagnostics } from './diagnostics';
import { WorkspaceScan } from './workspaceScan';
import type { Finding, Fix } from '../../core/fixes/types';

class FixesFeature extends Disposable {
  private readonly cache = new FindingsCache();

  constructor(context: vscode.ExtensionContext) {
    super();
    const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'bug-classes.md');
    const diagnostics = this._register(new FixesDiagnostics(this.cache, docs));
    this._register(
      vscode.languages.registerCodeActionsProvider(
        FIXES_LANGUAGES.map((language) => ({ language })),
        new FixesCodeActions(this.cache, docs),
        { providedCodeActionKinds: FixesCodeActions.kinds },
      ),
    );
    this._register(
      vscode.commands.registerCommand('forensics.applyFixAtLine', (uri?: vscode.Uri | string, line?: number) => {
        // From the palette: the active editor at the cursor.
        const editor = vscode.window.activeTextEditor;
        if (uri === undefined || line === undefined) {
          if (!editor)
            return vscode.window
              .showInformationMessage('Open a JavaScript or TypeScript file to apply a Forensics quick fix.')
              .then(() => false);
          return this.applyFixAtLine(editor.document.uri, editor.selection.active.line + 1);
        }
        return this.applyFixAtLine(uri, line);
      }),
    );
    // Analyse what is already open once activation has returned, so it stays quick; then
    // the files nobody opened, in a worker.
    const timer = setTimeout(() => diagnostics.refreshAll(), 0);
    this._register({ dispose: () => clearTimeout(timer) });
    this._register(new WorkspaceScan(context.extensionPath, diagnostics)).scheduleFull();
  }

  /** Applies the fix of the finding on `line` (1-based); asks which when there is more than one. */
  private async applyFixAtLine(target: vscode.Uri | string, line: number): Promise<boolean> {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
    const document = await vscode.workspace.openTextDocument(uri);
    const findings = (await this.cache.findings(document)).filter(
      (f) => f.range.startLine <= line && line <= f.range.endLine && f.fixes.length > 0,
    );
    const choices = findings.flatMap((f) => f.fixes.map((fix) => ({ finding: f, fix })));
    if (choices.length === 0) {
      void vscode.window.showInformationMessage(
        `No Forensics quick fix applies to line ${line} of ${vscode.workspace.asRelativePath(uri)}.`,
      );
      return false;
    }
    const onLine = choices.filter((c) => c.finding.range.startLine === line);
    const pool = onLine.length ? onLine : choices;
    // The user asked for the fix on this line: one candidate is applied as asked (the edit
    // shows in the editor and undoes in one step); several are offered to choose from.
    const chosen = pool.length === 1 ? pool[0] : await pick(pool);
    if (!chosen) return false;
    const applied = await vscode.workspace.applyEdit(workspaceEditFor(document, chosen.fix));
    if (applied) await vscode.window.showTextDocument(document, { preview: false });
    return applied;
  }
}

async function pick(choices: { finding: Finding; fix: Fix }[]): Promise<{ finding: Finding; fix: Fix } | undefined> {
  const item = await vscode.window.showQuickPick(
    choices.map((c) => ({
      label: c.fix.title,
      description: c.finding.ruleId,
      detail: c.fix.isPreferred ? 'preferred' : undefined,
      choice: c,
    })),
    { title: 'Apply which fix?' },
  );
  return item?.choice;
}

export function registerFixes(context: vscode.ExtensionContext): void {
  context.subscriptions.push(new FixesFeature(context));
}
