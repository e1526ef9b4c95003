// The PostgreSQL panel in the browser: a header with the active connection and the one
// Refresh, then tabs for Statements, Activity and Locks. It says `ready`, asks for the
// state, then for one sample that every tab renders (switching tabs reads nothing, so the
// tabs cannot disagree). With no connection it explains what to configure.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { HostClient } from '../shared/client';
import type { PanelSample, PanelState, PanelTab, PostgresProtocol } from './protocol';
import { button, el, replace, sampleStamp } from './dom';
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
let refreshes = 0;
const sampleTime = el('span', { class: 'muted', id: 'sample-time' });
const activityRoot = el('div', { id: 'activity' });
const locksRoot = el('div', { id: 'locks' });
const activityCanvas = el('canvas', { id: 'chart-states', role: 'img' });
const activityChart = new ThemedChart<'bar'>(activityCanvas);

function failure(root: HTMLElement, err: unknown): void {
  replace(root, el('div', { class: 'banner error', role: 'alert' }, err instanceof Error ? err.message : String(err)));
}

/** Renders every tab from one sample, so the tabs always describe the same moment. */
function showSample(sample: PanelSample): void {
  if (sample.statements) statements?.show(sample.statements, sample.takenAt);
  else statements?.showError(sample.statementsError ?? 'pg_stat_statements could not be read');
  renderActivity(activityRoot, activityChart, activityCanvas, sample.activity, sample.takenAt, () => showTab('locks'));
  renderLocks(locksRoot, sample.locks, sample.takenAt);
  replace(sampleTime, sampleStamp(sample.takenAt, ''));
}

/** Reads statements, activity and locks together (on open and on Refresh). */
async function refresh(): Promise<void> {
  if (!state?.connection) return;
  const generation = ++refreshes;
  replace(sampleTime, 'reading…');
  try {
    const sample = await client.request('sample', { limit: state.topStatements });
    // A slower, older read must not overwrite a newer one.
    if (generation === refreshes) showSample(sample);
  } catch (err) {
    if (generation !== refreshes) return;
    replace(sampleTime);
    const message = err instanceof Error ? err.message : String(err);
    statements?.showError(message);
    failure(activityRoot, err);
    failure(locksRoot, err);
  }
}

function showTab(tab: PanelTab): void {
  pendingTab = tab;
  if (tabs && tabs.selectedIndex !== TABS.indexOf(tab)) tabs.selectedIndex = TABS.indexOf(tab);
}

function unconfigured(s: PanelState): HTMLElement {
  return el(
    'div',
    { class: 'empty', id: 'unconfigured' },
    el('h2', {}, 'Connect a database'),
    el('p', {}, s.howToConfigure),
    button('Connect Database', () => client.command('connect', {})),
  );
}

function render(s: PanelState): void {
  state = s;
  const header = el(
    'header',
    {},
    el('h1', {}, 'PostgreSQL'),
    el(
      'span',
      { class: 'label', id: 'connection-label' },
      s.connection ? `${s.connection.name} · ${s.connection.label} · read-only` : 'not connected',
    ),
    s.connections.length
      ? button(s.connections.length > 1 ? 'Switch connection…' : 'Connections…', () => client.command('switchConnection', {}), {
          secondary: true,
        })
      : null,
    s.connection ? sampleTime : null,
    // The panel's one Refresh: every tab is read again, together.
    s.connection ? button('Refresh', () => void refresh(), { secondary: true, id: 'refresh' }) : null,
  );
  if (!s.connection) {
    replace(app, header, unconfigured(s));
    app.removeAttribute('aria-busy');
    return;
  }
  const statementsRoot = el('div', { id: 'statements' });
  replace(activityRoot, el('p', { class: 'muted' }, 'Reading pg_stat_activity…'));
  replace(locksRoot, el('p', { class: 'muted' }, 'Reading pg_locks…'));
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
    pendingTab = TABS[index];
  });
  tabs = tabsEl;
  replace(app, header, tabsEl);
  app.removeAttribute('aria-busy');
  tabsEl.selectedIndex = TABS.indexOf(pendingTab);
  void refresh();
  void client.request('rates', {}).then(
    (series) => statements?.showRates(series),
    () => undefined,
  );
}

client.on('state', render);
// A command brought the panel forward: it shows that tab with a fresh sample.
client.on('show', ({ tab }) => {
  if (!state) pendingTab = tab;
  else {
    showTab(tab);
    void refresh();
  }
});
client.on('rates', (series) => statements?.showRates(series));
client.on('ratesError', ({ message }) => statements?.showRatesError(message));
client.ready();
void client.request('state', {}).then(
  (s) => {
    pendingTab = pendingTab === 'statements' ? s.tab : pendingTab;
    render(s);
  },
  (err: unknown) => failure(app, err),
);
