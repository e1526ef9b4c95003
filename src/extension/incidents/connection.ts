// Where the Sentry connection comes from: `forensics.sentry.*` settings, the token in
// SecretStorage (SENTRY_AUTH_TOKEN as the fallback), and the two commands that change
// them. "Connect Sentry" checks the token against Sentry before keeping anything.
import * as vscode from 'vscode';
import { SentryClient } from '../../core/sentry/client';
import { SentryApiError } from '../../core/sentry/errors';
import { normaliseBaseUrl } from '../../core/sentry/http';
import {
  checkConnection,
  parseProjectList,
  pickToken,
  readSentrySettings,
  type ConnectionCheck,
  type SentrySettings,
} from '../../core/sentry/settings';

const SECRET_KEY = 'forensics.sentry.authToken';

export function sentrySettings(): SentrySettings {
  const config = vscode.workspace.getConfiguration('forensics.sentry');
  return readSentrySettings((key) => config.get(key));
}

export class SentryConnection {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Settings or the stored token changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  watch(): vscode.Disposable {
    return vscode.Disposable.from(
      this.changed,
      this.secrets.onDidChange((e) => e.key === SECRET_KEY && this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('forensics.sentry') && this.changed.fire()),
    );
  }

  async check(): Promise<{ settings: SentrySettings; check: ConnectionCheck }> {
    const settings = sentrySettings();
    return { settings, check: checkConnection(settings, pickToken(await this.secrets.get(SECRET_KEY), process.env)) };
  }

  /** Asks for base URL, organization, token and projects; validates the token by listing the projects. */
  async connect(): Promise<boolean> {
    const current = sentrySettings();
    const url = await vscode.window.showInputBox({
      title: 'Connect Sentry (1/4): base URL',
      prompt: 'https://sentry.io, a regional host such as https://de.sentry.io, or your self-hosted Sentry',
      value: current.url,
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          normaliseBaseUrl(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (url === undefined) return false;
    const organization = await vscode.window.showInputBox({
      title: 'Connect Sentry (2/4): organization slug',
      prompt: 'As in https://sentry.io/organizations/<slug>/',
      value: current.organization,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'The organization slug is required.'),
    });
    if (organization === undefined) return false;
    const token = await vscode.window.showInputBox({
      title: 'Connect Sentry (3/4): auth token',
      prompt: 'A token with org:read, project:read and event:read (Settings → Auth Tokens). Kept in SecretStorage, never in settings.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Paste the auth token.'),
    });
    if (token === undefined) return false;

    const client = new SentryClient({ baseUrl: url, org: organization.trim(), token: token.trim(), maxRetries: 1 });
    let projects: string[];
    try {
      projects = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Checking the Sentry token…' },
        async () => (await client.listProjects()).map((p) => p.slug),
      );
    } catch (err) {
      const message = err instanceof SentryApiError ? err.message : String(err);
      const again = await vscode.window.showErrorMessage(`Sentry did not accept the connection: ${message}`, 'Try Again');
      return again ? this.connect() : false;
    }
    let chosen = current.projects.filter((p) => projects.includes(p));
    if (projects.length) {
      const picked = await vscode.window.showQuickPick(
        projects.map((slug) => ({ label: slug, picked: chosen.includes(slug) })),
        { title: 'Connect Sentry (4/4): projects to watch (none picked: all)', canPickMany: true, ignoreFocusOut: true },
      );
      if (picked === undefined) return false;
      chosen = parseProjectList(picked.map((p) => p.label));
    }
    const config = vscode.workspace.getConfiguration('forensics.sentry');
    await config.update('url', normaliseBaseUrl(url), vscode.ConfigurationTarget.Global);
    await config.update('organization', organization.trim(), vscode.ConfigurationTarget.Global);
    await config.update('projects', chosen, vscode.ConfigurationTarget.Global);
    await this.secrets.store(SECRET_KEY, token.trim());
    void vscode.window.showInformationMessage(
      `Connected to Sentry organization "${organization.trim()}"${chosen.length ? ` (${chosen.join(', ')})` : ' (all projects)'}.`,
    );
    return true;
  }

  async signOut(): Promise<void> {
    const had = await this.secrets.get(SECRET_KEY);
    await this.secrets.delete(SECRET_KEY);
    const envNote = process.env.SENTRY_AUTH_TOKEN
      ? ' SENTRY_AUTH_TOKEN is still set in the environment of VS Code, so it is used until you unset it.'
      : '';
    void vscode.window.showInformationMessage(
      had ? `Signed out of Sentry: the stored token was deleted.${envNote}` : `No Sentry token was stored.${envNote}`,
    );
  }
}
