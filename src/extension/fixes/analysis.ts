// Findings per open document, computed by the core (loaded on first use, so activation
// does not pay for the Babel parser) and cached by document version, so diagnostics and
// code actions read the same findings and offsets.
import * as vscode from 'vscode';
import type { Finding } from '../../core/fixes/types';
import { readFixesSettings } from './settings';

type FixesCore = typeof import('../../core/fixes');

export const FIXES_LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
/** Bigger files are bundles or generated code: analysing them on every keystroke costs seconds. */
export const MAX_CHARS = 200_000;

let core: Promise<FixesCore> | undefined;
export function loadFixesCore(): Promise<FixesCore> {
  core ??= import('../../core/fixes');
  return core;
}

export function isFixable(document: vscode.TextDocument): boolean {
  return FIXES_LANGUAGES.includes(document.languageId) && document.uri.scheme !== 'git' && document.getText().length <= MAX_CHARS;
}

export class FindingsCache {
  private readonly entries = new Map<string, { version: number; findings: Finding[] }>();

  /** Findings for the document as it is now; analyses when the cached version is stale. */
  async findings(document: vscode.TextDocument): Promise<Finding[]> {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version) return cached.findings;
    const settings = readFixesSettings();
    if (!settings.enabled || !isFixable(document)) return [];
    const fixes = await loadFixesCore();
    let findings: Finding[];
    try {
      findings = fixes.analyze(document.getText(), document.fileName, { severities: settings.severities });
    } catch {
      findings = []; // a file the parser cannot read at all yet (mid-edit): nothing to say
    }
    this.entries.set(key, { version: document.version, findings });
    return findings;
  }

  forget(document: vscode.TextDocument): void {
    this.entries.delete(document.uri.toString());
  }

  clear(): void {
    this.entries.clear();
  }
}

export function rangeOfFinding(document: vscode.TextDocument, finding: Finding): vscode.Range {
  return new vscode.Range(document.positionAt(finding.range.startOffset), document.positionAt(finding.range.endOffset));
}

/** The rule id of a Forensics diagnostic (its code), for matching a diagnostic to a finding. */
export function diagnosticRule(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (d.source !== 'Forensics' || code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}
