// The fixes settings: on/off for the whole feature and a severity (or off) per rule.
import * as vscode from 'vscode';
import type { RuleId, Severity } from '../../core/fixes/types';

export interface FixesSettings {
  readonly enabled: boolean;
  readonly severities: Partial<Record<RuleId, Severity | 'off'>>;
}

const LEVELS = new Set(['error', 'warning', 'info', 'hint', 'off']);

export function readFixesSettings(): FixesSettings {
  const config = vscode.workspace.getConfiguration('forensics.fixes');
  const rules = config.get<Record<string, string>>('rules') ?? {};
  const severities: Record<string, Severity | 'off'> = {};
  for (const [rule, level] of Object.entries(rules)) if (LEVELS.has(level)) severities[rule] = level as Severity | 'off';
  return { enabled: config.get<boolean>('enabled', true), severities };
}

export function toDiagnosticSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}
