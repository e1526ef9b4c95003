// Wires the features together; nothing else lives here. Activation is lazy (VS Code
// activates on the first view, command or walkthrough) and does no heavy work.
import * as vscode from 'vscode';
import { registerLog } from './extension/common/log';
import { registerFixes } from './extension/fixes/register';
import { registerGettingStarted } from './extension/gettingStarted/register';
import { registerHeap } from './extension/heap/register';
import { registerInvestigation } from './extension/investigation/register';
import { registerIncidents } from './extension/incidents/register';
import { registerFrames } from './extension/frames/register';
import { registerPostgres } from './extension/postgres/register';

export function activate(context: vscode.ExtensionContext): void {
  registerLog(context);
  registerGettingStarted(context);
  registerIncidents(context);
  registerInvestigation(context);
  registerFixes(context);
  registerFrames(context);
  registerPostgres(context);
  registerHeap(context);
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions and disposed by VS Code.
}
