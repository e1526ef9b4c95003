// The Incidents view's life: refresh on demand and on the configured interval (with the
// view's progress bar), a failed refresh that keeps the last good list marked stale, the
// status-bar count with what is new since the user last looked, and the view's
// "configured" context key that switches its welcome content.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { SentryClient, type SentryClientOptions } from '../../core/sentry/client';
import {
  effectiveFilters,
  describeFilters,
  issueQuery,
  sanitiseRemembered,
  type RememberedFilters,
  type IncidentFilters,
} from '../../core/sentry/incidentFilters';
import { IncidentsStore, newIncidentIds } from '../../core/sentry/incidentsStore';
import { viewMessage, type IncidentNode } from '../../core/sentry/incidentTree';
import { formatCount } from '../../core/stack/format';
import type { IncidentSummary } from '../../core/model/incident';
import type { NormalisedEvent } from '../../core/sentry/normalize';
import { SentryConnection, sentrySettings } from './connection';
import { IncidentsTree } from './tree';
import { log, showErrorWithLog } from '../common/log';
import { errorMessage } from '../../core/common/errors';

export const VIEW_ID = 'forensics.incidents';
const FILTERS_KEY = 'forensics.incidents.filters';
const SEEN_KEY = 'forensics.incidents.seen';

export class IncidentsController extends Disposable {
  readonly store = new IncidentsStore();
  readonly tree: IncidentsTree;
  readonly view: vscode.TreeView<IncidentNode>;
  readonly connection: SentryConnection;
  private readonly status: vscode.StatusBarItem;
  private client?: { key: string; client: SentryClient };
  private timer?: ReturnType<typeof setInterval>;
  private inFlight?: Promise<void>;
  private followUp?: Promise<void>;
  private configured = false;
  /** Set once the user shows the view or runs a command: until then no request leaves (lazy activation). */
  private started = false;

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.connection = new SentryConnection(context.secrets);
    this.tree = this._register(new IncidentsTree(this.store, (incident) => this.latestEvent(incident)));
    this.view = this._register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true }));
    this.status = this._register(vscode.window.createStatusBarItem('forensics.incidents.status', vscode.StatusBarAlignment.Left, 50));
    this.status.name = 'Forensics: Sentry incidents';
    this.status.command = 'forensics.internal.showIncidents';
    this._register(this.connection.watch());
    this._register(
      this.connection.onDidChange(() => {
        if (!this.started) return;
        this.restartTimer();
        void this.refresh(false);
      }),
    );
    this._register(
      this.view.onDidChangeVisibility((e) => {
        if (!e.visible) return;
        void this.start();
        void this.markSeen();
      }),
    );
    this._register({ dispose: () => this.timer && clearInterval(this.timer) });
    if (this.view.visible) void this.start();
  }

  /** The first look at the view (or a command): the first refresh, then the configured interval. */
  start(): Promise<void> {
    if (this.started) return this.inFlight ?? Promise.resolve();
    this.started = true;
    this.restartTimer();
    return this.refresh(false);
  }

  get filters(): IncidentFilters {
    return effectiveFilters(sentrySettings(), this.remembered);
  }

  get remembered(): RememberedFilters {
    return sanitiseRemembered(this.context.workspaceState.get(FILTERS_KEY));
  }

  async remember(filters: RememberedFilters): Promise<void> {
    await this.context.workspaceState.update(FILTERS_KEY, filters);
    await this.refresh(true);
  }

  private restartTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const minutes = sentrySettings().refreshIntervalMinutes;
    if (minutes > 0) this.timer = setInterval(() => void this.refresh(false), minutes * 60_000);
  }

  private clientFor(options: SentryClientOptions): SentryClient {
    // One client per connection, so its project-id cache and rate-limit state carry over.
    const key = JSON.stringify(options);
    if (this.client?.key !== key) {
      // Another server, organization or token: the old list belongs to a different connection.
      if (this.client) this.store.clear();
      this.client = { key, client: new SentryClient(options) };
    }
    return this.client.client;
  }

  /** The client when connected; otherwise undefined (and, when asked by the user, an explanation). */
  async connectedClient(explain: boolean): Promise<SentryClient | undefined> {
    const { check } = await this.connection.check();
    await this.setConfigured(check.ok);
    if (check.ok) {
      try {
        return this.clientFor(check.options);
      } catch (err) {
        if (explain) void showErrorWithLog(errorMessage(err), err);
        else log.warn('Sentry client could not be made', err);
        return undefined;
      }
    }
    if (explain) {
      const pick = await vscode.window.showInformationMessage(check.message, 'Connect Sentry', 'Open Settings');
      if (pick === 'Connect Sentry') await vscode.commands.executeCommand('forensics.connectSentry');
      else if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'forensics.sentry');
    }
    return undefined;
  }

  private async setConfigured(configured: boolean): Promise<void> {
    if (this.configured && !configured) this.store.clear();
    this.configured = configured;
    await vscode.commands.executeCommand('setContext', 'forensics.sentry.configured', configured);
  }

  /**
   * One refresh at a time. A request made while one runs (say, the token changed mid-way)
   * gets one more refresh after it, shared by every request made meanwhile.
   */
  refresh(manual: boolean): Promise<void> {
    if (manual && !this.started) {
      this.started = true;
      this.restartTimer();
    }
    if (!this.inFlight) {
      this.inFlight = this.doRefresh(manual).finally(() => (this.inFlight = undefined));
      return this.inFlight;
    }
    this.followUp ??= this.inFlight.then(() => {
      this.followUp = undefined;
      return this.refresh(manual);
    });
    return this.followUp;
  }

  private async doRefresh(manual: boolean): Promise<void> {
    const client = await this.connectedClient(manual);
    if (!client) {
      this.render();
      return;
    }
    const query = issueQuery(sentrySettings(), this.filters);
    const started = Date.now();
    const ok = await vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: 'Refreshing incidents' }, () =>
      this.store.refresh(client, query),
    );
    const took = `${Date.now() - started} ms`;
    if (ok)
      log.info(
        `Sentry refresh (${manual ? 'manual' : 'automatic'}): ${this.store.data?.incidents.length ?? 0} incidents, ${this.store.growth.size} with new events, ${took}`,
      );
    else if (!manual)
      log.warn(
        `Sentry refresh (${manual ? 'manual' : 'automatic'}) failed after ${took}; the last good list stays: ${this.store.failure?.message ?? 'unknown error'}`,
      );
    this.render();
    if (this.view.visible) await this.markSeen();
    if (!ok && manual && this.store.failure) {
      const { failure } = this.store;
      const actions = failure.needsConnect ? ['Connect Sentry', 'Open Settings'] : ['Retry'];
      void showErrorWithLog(`Forensics: ${failure.message}`, undefined, ...actions).then(async (pick) => {
        if (pick === 'Connect Sentry') await vscode.commands.executeCommand('forensics.connectSentry');
        else if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'forensics.sentry');
        else if (pick === 'Retry') await this.refresh(true);
      });
    }
  }

  async latestEvent(incident: IncidentSummary): Promise<NormalisedEvent> {
    const cached = this.store.cachedEvent(incident);
    if (cached) return cached;
    const client = await this.connectedClient(false);
    if (!client) throw new Error('Sentry is not connected.');
    return this.store.latestEvent(client, incident);
  }

  render(): void {
    this.tree.refresh();
    this.view.message = this.configured ? viewMessage(this.store) : undefined;
    this.view.description = this.configured ? describeFilters(this.filters) : undefined;
    this.updateStatus();
  }

  /** From the status bar: show the view; what it lists now counts as seen. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    await this.markSeen();
  }

  private seen(): string[] {
    return this.context.workspaceState.get<string[]>(SEEN_KEY) ?? [];
  }

  private async markSeen(): Promise<void> {
    const ids = this.store.data?.incidents.map((i) => i.id);
    if (!ids) return;
    await this.context.workspaceState.update(SEEN_KEY, ids);
    this.updateStatus();
  }

  private updateStatus(): void {
    const data = this.store.data;
    if (!this.configured || !data) {
      this.status.hide();
      return;
    }
    const count = `${formatCount(data.incidents.length)}${data.truncated ? '+' : ''}`;
    const fresh = newIncidentIds(data.incidents, this.seen()).length;
    this.status.text = `$(bug) ${count}${fresh ? ` (${fresh} new)` : ''}${this.store.stale ? ' $(warning)' : ''}`;
    this.status.backgroundColor = fresh ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const lines = [`${count} incident${data.incidents.length === 1 ? '' : 's'} (${describeFilters(this.filters)})`];
    if (fresh) lines.push(`${fresh} new since you last looked`);
    if (this.store.stale) lines.push('Stale: the last refresh failed');
    this.status.tooltip = lines.join('\n');
    this.status.show();
  }
}
