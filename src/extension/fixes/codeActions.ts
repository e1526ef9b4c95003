// Quick fixes for the findings under the cursor: one CodeAction per fix (QuickFix kind,
// preferred where the rule says one fix is clearly right) and an "explain" action that
// opens the description of the bug class.
import * as vscode from 'vscode';
import type { Finding, Fix } from '../../core/fixes/types';
import { FindingsCache, diagnosticRule, rangeOfFinding } from './analysis';

export function workspaceEditFor(document: vscode.TextDocument, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits)
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
  return edit;
}

export class FixesCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly cache: FindingsCache,
    private readonly docsUri: vscode.Uri,
  ) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(context.only))
      return [];
    const findings = (await this.cache.findings(document)).filter((f) =>
      rangeOfFinding(document, f).intersection(fullLines(document, range)),
    );
    return findings.flatMap((f) => this.actionsFor(document, f, context));
  }

  private actionsFor(document: vscode.TextDocument, finding: Finding, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const diagnostic = context.diagnostics.find((d) => d.source === 'Forensics' && diagnosticRule(d) === finding.ruleId);
    const actions = finding.fixes.map((fix) => {
      const action = new vscode.CodeAction(`${fix.title} (${finding.ruleId})`, vscode.CodeActionKind.QuickFix);
      action.edit = workspaceEditFor(document, fix);
      action.isPreferred = fix.isPreferred;
      if (diagnostic) action.diagnostics = [diagnostic];
      return action;
    });
    const explain = new vscode.CodeAction(`Explain ${finding.ruleId}: why it breaks in production`, vscode.CodeActionKind.QuickFix);
    explain.command = { command: 'vscode.open', title: 'Explain', arguments: [this.docsUri.with({ fragment: finding.docsAnchor })] };
    return [...actions, explain];
  }
}

function fullLines(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  return new vscode.Range(range.start.line, 0, range.end.line, document.lineAt(range.end.line).text.length);
}
