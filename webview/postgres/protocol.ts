// The PostgreSQL panel's protocol, imported by the extension host (src/extension/postgres)
// and the webview (webview/postgres/main.ts). Only types; the reports are the core's own
// shapes, which are plain JSON.
import type { ProtocolShape } from '../shared/ipc';
import type { ConnectionEntry } from '../../src/core/postgres/connections';
import type { PanelSample } from '../../src/core/postgres/panelSample';
import type { ExplainResult } from '../../src/core/postgres/explain';
import type { RateSeries } from '../../src/core/postgres/rateWindow';

export type PanelTab = 'statements' | 'activity' | 'locks';

export interface PanelState {
  /** The active connection, or null when none is configured. */
  readonly connection: ConnectionEntry | null;
  readonly connections: ConnectionEntry[];
  /** What to configure when nothing is: shown instead of the reports. */
  readonly howToConfigure: string;
  readonly sampleIntervalSeconds: number;
  /** How many statements to list and chart (forensics.postgres.topStatements). */
  readonly topStatements: number;
  readonly tab: PanelTab;
}

export type { PanelSample, StatementsView } from '../../src/core/postgres/panelSample';

export interface PostgresProtocol extends ProtocolShape {
  requests: {
    state: { params: Record<string, never>; result: PanelState };
    /** Statements, activity and locks read together: every tab renders this one sample. */
    sample: { params: { limit: number }; result: PanelSample };
    explain: { params: { queryId: string }; result: ExplainResult };
    rates: { params: Record<string, never>; result: RateSeries };
  };
  commands: {
    /** Runs "Forensics: Connect Database". */
    connect: Record<string, never>;
    /** Picks another of the named connections. */
    switchConnection: Record<string, never>;
    /** Searches the workspace for the statement's tables and text and opens the best match. */
    findInWorkspace: { query: string };
  };
  notifications: {
    /** The rates window after each sample. */
    rates: RateSeries;
    /** A sample failed; the message says why. */
    ratesError: { message: string };
    /** The connection (or the settings) changed: everything is read again. */
    state: PanelState;
    /** Bring a tab to the front (the command that opened the panel chose it). */
    show: { tab: PanelTab };
  };
}
