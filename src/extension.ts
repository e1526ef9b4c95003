// Wires the features together; nothing else lives here. Activation is lazy (VS Code
// activates on the first view, command or walkthrough) and does no heavy work.
import * as vscode from 'vscode';
import { registerGettingStarted } from './extension/gettingStarted/register';
import { registerHeap } from './extension/heap/register';
import { registerInvestigation } from './extension/investigation/register';
import { EmptyTree } from './extension/views/emptyTree';

export function activate(context: vscode.ExtensionContext): void {
  registerGettingStarted(context);
  context.subscriptions.push(vscode.window.createTreeView('forensics.incidents', { treeDataProvider: new EmptyTree() }));
  registerInvestigation(context);
  registerHeap(context);
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions and disposed by VS Code.
}
