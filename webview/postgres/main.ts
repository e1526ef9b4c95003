// The PostgreSQL panel in the browser: a header with the active connection, then tabs for
// Statements, Activity and Locks. It says `ready`, asks for the state, and reads each tab
// when shown. With no connection it explains what to configure.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { HostClient } from '../shared/client';
import type { PanelState, PanelTab, PostgresProtocol } from './protocol';
import { button, el, replace } from './dom';
import { STYLES } from './styles';
import { ThemedChart } from './charts';
import { StatementsTab } from './statementsView';
import { renderActivity, renderLocks } from './sessionsView';

const TABS: PanelTab[] = ['statements', 'activity', 'locks'];
const client = new HostClient<PostgresProtocol>();
document.head.append(el('style', {}, STYLES));
const app = document.getElementById('app') as HTMLElement;

let state: PanelState | undefined;
let statements: StatementsTab | undefined;
let tabs: (HTMLElement & { selectedIndex: number }) | undefined;
let pendingTab: PanelTab = 'statements';
const activityRoot = el('div', { id: 'activity' });
const locksRoot = el('div', { id: 'locks' });
const activityCanvas = el('canvas', { id: 'chart-states', role: 'img' });
const activityChart = new ThemedChart<'bar'>(activityCanvas);

function failure(root: HTMLElement, err: unknown): void {
  replace(root, el('div', { class: 'banner error', role: 'alert' }, err instanceof Error ? err.message : String(err)));
}

async function loadTab(tab: PanelTab): Promise<void> {
  if (!state?.connection) return;
  if (tab === 'statements') await statements?.load(state.topStatements);
  if (tab === 'activity') {
    replace(activityRoot, el('p', { class: 'muted' }, 'Reading pg_stat_activity…'));
    await client.request('activity', {}).then((r) => renderActivity(activityRoot, activityChart, activityCanvas, r), (e: unknown) => failure(activityRoot, e));
  }
  if (tab === 'locks') {
    replace(locksRoot, el('p', { class: 'muted' }, 'Reading pg_locks…'));
    await client.request('locks', {}).then((r) => renderLocks(locksRoot, r), (e: unknown) => failure(locksRoot, e));
  }
}

function showTab(tab: PanelTab): void {
  pendingTab = tab;
  if (tabs && tabs.selectedIndex !== TABS.indexOf(tab)) tabs.selectedIndex = TABS.indexOf(tab);
  void loadTab(tab);
}

function unconfigured(s: PanelState): HTMLElement {
  return el('div', { class: 'empty', id: 'unconfigured' },
    el('h2', {}, 'Connect a database'),
    el('p', {}, s.howToConfigure),
    button('Connect Database', () => client.command('connect', {})));
}

function render(s: PanelState): void {
  state = s;
  const header = el('header', {},
    el('h1', {}, 'PostgreSQL'),
    el('span', { class: 'label', id: 'connection-label' }, s.connection ? `${s.connection.name} · ${s.connection.label} · read-only` : 'not connected'),
    s.connections.length ? button(s.connections.length > 1 ? 'Switch connection…' : 'Connections…', () => client.command('switchConnection', {}), { secondary: true }) : null,
    s.connection ? button('Refresh', () => showTab(TABS[tabs?.selectedIndex ?? 0]), { secondary: true }) : null);
  if (!s.connection) {
    replace(app, header, unconfigured(s));
    app.removeAttribute('aria-busy');
    return;
  }
  const statementsRoot = el('div', { id: 'statements' });
  statements = new StatementsTab(statementsRoot, client, () => state?.sampleIntervalSeconds ?? 5);
  const tabsEl = document.createElement('vscode-tabs') as HTMLElement & { selectedIndex: number };
  const titles: Record<PanelTab, string> = { statements: 'Statements', activity: 'Activity', locks: 'Locks' };
  const roots: Record<PanelTab, HTMLElement> = { statements: statementsRoot, activity: activityRoot, locks: locksRoot };
  for (const tab of TABS) {
    const headerEl = el('vscode-tab-header' as 'div', { slot: 'header', 'data-tab': tab }, titles[tab]);
    tabsEl.append(headerEl, el('vscode-tab-panel' as 'div', {}, roots[tab]));
  }
  tabsEl.addEventListener('vsc-tabs-select', (e) => {
    const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    if (TABS[index] !== pendingTab) showTab(TABS[index]);
  });
  tabs = tabsEl;
  replace(app, header, tabsEl);
  app.removeAttribute('aria-busy');
  tabsEl.selectedIndex = TABS.indexOf(pendingTab);
  void loadTab(pendingTab);
  void client.request('rates', {}).then((series) => statements?.showRates(series), () => undefined);
}

client.on('state', render);
client.on('show', ({ tab }) => (state ? showTab(tab) : (pendingTab = tab)));
client.on('rates', (series) => statements?.showRates(series));
client.on('ratesError', ({ message }) => statements?.showRatesError(message));
client.ready();
void client.request('state', {}).then((s) => {
  pendingTab = pendingTab === 'statements' ? s.tab : pendingTab;
  render(s);
}, (err: unknown) => failure(app, err));
