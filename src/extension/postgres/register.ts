// The PostgreSQL feature: "Connect Database" (named connections in SecretStorage), and
// "Show Slow Queries" / "Show Locks and Connections", which open the one panel on a tab.
import * as vscode from 'vscode';
import { createRegistry, connectDatabase } from './connections';
import { PostgresPanel } from './panel';
import { sessionSettings } from './settings';
import { databaseSource } from '../../core/triage/databaseSource';
import type { DatabaseFacts } from '../../core/triage/evidence';

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
    // The investigation asks for database evidence through this; no connection, no evidence
    // (the investigation then offers "Connect a database").
    vscode.commands.registerCommand('forensics.internal.databaseEvidence', async (): Promise<DatabaseFacts | undefined> => {
      const target = await registry.target();
      return target ? databaseSource(target, sessionSettings())() : undefined;
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('forensics.postgres')) PostgresPanel.refreshAll();
    }),
  );
}
