// The named connections in VS Code: URLs in SecretStorage, names and labels in
// globalState, FORENSICS_DATABASE_URL / DATABASE_URL of the extension host as a fallback;
// and "Forensics: Connect Database", which adds, switches or removes one.
import * as vscode from 'vscode';
import { ConnectionRegistry, validateConnectionName, type ConnectionStorage } from '../../core/postgres/connections';
import { parseTarget } from '../../core/postgres/target';
import { withSession } from '../../core/postgres/session';
import { readPrivileges } from '../../core/postgres/privileges';
import { sessionSettings } from './settings';
import { errorMessage } from '../../core/common/errors';

export function createRegistry(context: vscode.ExtensionContext): ConnectionRegistry {
  const storage: ConnectionStorage = {
    getSecret: async (key) => context.secrets.get(key),
    storeSecret: async (key, value) => context.secrets.store(key, value),
    deleteSecret: async (key) => context.secrets.delete(key),
    getState: (key) => context.globalState.get(key),
    setState: async (key, value) => context.globalState.update(key, value),
  };
  return new ConnectionRegistry(storage, process.env);
}

async function addConnection(registry: ConnectionRegistry): Promise<boolean> {
  const name = await vscode.window.showInputBox({
    title: 'Connect Database (1/2): name',
    prompt: 'A short name for this connection, e.g. replica or staging',
    value: registry.list().length ? '' : 'default',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        validateConnectionName(v);
        return undefined;
      } catch (err) {
        return errorMessage(err);
      }
    },
  });
  if (name === undefined) return false;
  const url = await vscode.window.showInputBox({
    title: `Connect Database (2/2): URL of "${name}"`,
    prompt: 'postgres://user:password@host:5432/database (kept in SecretStorage; a read-only role on a replica is best)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        parseTarget(v);
        return undefined;
      } catch (err) {
        return errorMessage(err);
      }
    },
  });
  if (url === undefined) return false;
  const target = parseTarget(url, validateConnectionName(name));
  try {
    const privileges = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Connecting to ${target.label}…` },
      () => withSession(target, sessionSettings(), readPrivileges),
    );
    const missing = privileges.checks.filter((c) => !c.granted && c.name === 'pg_read_all_stats');
    await registry.add(name, url);
    void vscode.window.showInformationMessage(
      `Connected "${validateConnectionName(name)}" (${target.label}) as role ${privileges.role}.${missing.length ? ` Without pg_read_all_stats, ${missing[0].hides}` : ''}`,
    );
    return true;
  } catch (err) {
    const choice = await vscode.window.showErrorMessage(`Forensics: ${errorMessage(err)}`, 'Save Anyway', 'Cancel');
    if (choice !== 'Save Anyway') return false;
    await registry.add(name, url);
    return true;
  }
}

/** Adds, switches to or removes a connection. Resolves true when the active one changed. */
export async function connectDatabase(registry: ConnectionRegistry): Promise<boolean> {
  const existing = registry.list();
  if (existing.length === 0) return addConnection(registry);
  type Item = vscode.QuickPickItem & { action: 'add' | 'use' | 'remove'; name?: string };
  const items: Item[] = [
    ...existing.map((e): Item => ({
      label: e.name,
      description: e.label,
      detail: e.source === 'environment' ? 'from FORENSICS_DATABASE_URL / DATABASE_URL' : undefined,
      picked: e.active,
      action: 'use',
      name: e.name,
    })),
    { label: '$(add) Add a connection…', action: 'add' },
    ...existing
      .filter((e) => e.source === 'stored')
      .map((e): Item => ({ label: `$(trash) Remove "${e.name}"`, action: 'remove', name: e.name })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Connect Database',
    placeHolder: `Active: ${registry.activeName() ?? 'none'}. Pick a connection to use, or add one.`,
  });
  if (!pick) return false;
  if (pick.action === 'add') return addConnection(registry);
  if (pick.action === 'remove' && pick.name) {
    await registry.remove(pick.name);
    return true;
  }
  if (pick.name) await registry.setActive(pick.name);
  return true;
}
