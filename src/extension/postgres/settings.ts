// The forensics.postgres.* settings: session limits and how the panel samples.
import * as vscode from 'vscode';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from '../../core/postgres/session';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('forensics.postgres');
}

export function sessionSettings(): SessionSettings {
  const s = section();
  return {
    statementTimeoutMs: s.get('statementTimeoutMs', DEFAULT_SESSION_SETTINGS.statementTimeoutMs),
    lockTimeoutMs: s.get('lockTimeoutMs', DEFAULT_SESSION_SETTINGS.lockTimeoutMs),
    connectTimeoutMs: s.get('connectTimeoutMs', DEFAULT_SESSION_SETTINGS.connectTimeoutMs),
  };
}

export function sampleIntervalSeconds(): number {
  return Math.max(1, section().get('sampleIntervalSeconds', 5));
}

export function topStatements(): number {
  return Math.max(1, section().get('topStatements', 20));
}
