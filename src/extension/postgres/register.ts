// The PostgreSQL feature: "Connect Database" (named connections in SecretStorage), and
// "Show Slow Queries" / "Show Locks and Connections", which open the one panel on a tab.
import * as vscode from 'vscode';
import { createRegistry, connectDatabase } from './connections';
import { PostgresPanel } from './panel';

export function registerPostgres(context: vscode.ExtensionContext): void {
  const registry = createRegistry(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('forensics.connectDatabase', async () => {
      if (await connectDatabase(registry)) PostgresPanel.refreshAll();
    }),
    vscode.commands.registerCommand('forensics.showSlowQueries', () => {
      PostgresPanel.show(context, registry, 'statements');
    }),
    vscode.commands.registerCommand('forensics.showLocksAndConnections', () => {
      PostgresPanel.show(context, registry, 'locks');
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('forensics.postgres')) PostgresPanel.refreshAll();
    }),
  );
}
