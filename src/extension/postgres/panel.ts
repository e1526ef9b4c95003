// The one PostgreSQL panel: answers the webview's requests with read-only sessions on the
// active connection (one sample of statements, activity and locks for all tabs), and
// samples pg_stat_statements on an interval while it is visible so the rates chart shows
// what is slow now.
import * as vscode from 'vscode';
import { PanelHost } from '../common/panelHost';
import { Disposable } from '../common/disposable';
import type { ConnectionRegistry } from '../../core/postgres/connections';
import { withSession, type ReadOnlySession } from '../../core/postgres/session';
import { findStatementsExtension, sampleStatements, type StatementsExtension } from '../../core/postgres/statements';
import { readPanelSample } from '../../core/postgres/panelSample';
import { explainQueryId } from '../../core/postgres/explain';
import { RateWindow } from '../../core/postgres/rateWindow';
import type { PanelState, PanelTab, PostgresProtocol } from '../../../webview/postgres/protocol';
import { sampleIntervalSeconds, sessionSettings, topStatements } from './settings';
import { findStatementInWorkspace } from './findInWorkspace';

const HOW_TO_CONFIGURE =
  'No database is connected. Run "Forensics: Connect Database" to add a named connection (its URL is kept in SecretStorage), or start VS Code with FORENSICS_DATABASE_URL (or DATABASE_URL) set. A read-only role on a replica is best; the role needs pg_read_all_stats (or pg_monitor) to see other roles\' statements, and the server needs pg_stat_statements in shared_preload_libraries.';
const RATE_POINTS = 60;

export class PostgresPanel extends Disposable {
  private static current: PostgresPanel | undefined;
  private readonly host: PanelHost<PostgresProtocol>;
  private window = new RateWindow(RATE_POINTS);
  private timer: NodeJS.Timeout | undefined;
  private tab: PanelTab;
  private lastRateError = '';
  private extension: StatementsExtension | undefined;
  /** Bumped on every restart: a sample still in flight from the previous connection is dropped. */
  private generation = 0;

  /** Opens the panel (or brings it forward) on `tab`. */
  static show(context: vscode.ExtensionContext, registry: ConnectionRegistry, tab: PanelTab): PostgresPanel {
    const existing = PostgresPanel.current;
    if (existing) {
      existing.tab = tab;
      existing.host.panel.reveal();
      existing.host.notify('show', { tab });
      return existing;
    }
    const panel = new PostgresPanel(context, registry, tab);
    PostgresPanel.current = panel;
    return panel;
  }

  /** The active connection or a setting changed: the open panel starts over. */
  static refreshAll(): void {
    void PostgresPanel.current?.restart();
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
    tab: PanelTab,
  ) {
    super();
    this.tab = tab;
    this.host = this._register(
      new PanelHost<PostgresProtocol>({
        viewType: 'forensics.postgres',
        title: 'PostgreSQL',
        extensionUri: context.extensionUri,
        bundle: 'postgres',
        requests: {
          state: () => this.state(),
          // One read feeds every tab, so they show the server at the same moment.
          sample: ({ limit }) => this.run((s) => readPanelSample(s, { order: 'total', limit })),
          explain: ({ queryId }) => this.run((s) => explainQueryId(s, queryId)),
          rates: () => this.window.series(6),
        },
        commands: {
          connect: async () => {
            await vscode.commands.executeCommand('forensics.connectDatabase');
          },
          switchConnection: async () => {
            await vscode.commands.executeCommand('forensics.connectDatabase');
          },
          findInWorkspace: ({ query }) => findStatementInWorkspace(query),
        },
      }),
    );
    this._register(this.host.panel.onDidChangeViewState(() => this.schedule()));
    this._register(this.host.panel.onDidDispose(() => this.dispose()));
    this._register({ dispose: () => this.stopSampling() });
    this._register({
      dispose: () => {
        if (PostgresPanel.current === this) PostgresPanel.current = undefined;
      },
    });
    this.host.notify('show', { tab });
    this.schedule();
  }

  private async state(): Promise<PanelState> {
    const connections = this.registry.list();
    return {
      connection: connections.find((c) => c.active) ?? null,
      connections,
      howToConfigure: HOW_TO_CONFIGURE,
      sampleIntervalSeconds: sampleIntervalSeconds(),
      topStatements: topStatements(),
      tab: this.tab,
    };
  }

  private async run<T>(job: (session: ReadOnlySession) => Promise<T>): Promise<T> {
    const target = await this.registry.target();
    if (!target) throw new Error(HOW_TO_CONFIGURE);
    return withSession(target, sessionSettings(), job);
  }

  private async restart(): Promise<void> {
    this.window = new RateWindow(RATE_POINTS);
    this.generation++;
    this.extension = undefined;
    this.lastRateError = '';
    this.stopSampling();
    this.host.notify('state', await this.state());
    this.schedule();
  }

  private stopSampling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Samples only while the panel is visible: a hidden panel costs the server nothing. */
  private schedule(): void {
    if (this.isDisposed) return;
    if (!this.host.panel.visible) {
      this.stopSampling();
      return;
    }
    if (this.timer) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), sampleIntervalSeconds() * 1000);
  }

  private async sample(): Promise<void> {
    if (!this.registry.activeName()) return;
    const generation = this.generation;
    try {
      const sample = await this.run(async (s) => {
        this.extension ??= await findStatementsExtension(s);
        return sampleStatements(s, this.extension);
      });
      // Mixing a sample of the old connection into the new window would count its whole totals as one interval.
      if (generation !== this.generation) return;
      if (this.window.add(sample)) this.host.notify('rates', this.window.series(6));
      this.lastRateError = '';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // The same failure every few seconds is reported once.
      if (message !== this.lastRateError) this.host.notify('ratesError', { message });
      this.lastRateError = message;
    }
  }
}
