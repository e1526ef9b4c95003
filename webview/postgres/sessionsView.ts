// The Activity and Locks tabs: connections by state and application with the pool
// signals, and who blocks whom with both sides' statements shown as text. Both render the
// panel's one sample and say when it was taken.
import type { ActivityReport, PoolSignal, SessionInfo } from '../../src/core/postgres/activity';
import type { BlockingEdge, LockParty, LocksReport } from '../../src/core/postgres/locks';
import { axisTitle, BASE_OPTIONS, chartBox, seriesColour, ThemedChart } from './charts';
import { el, fmtSeconds, oneLine, replace, sampleStamp } from './dom';
import { hiddenLocksNote, hiddenSessionsNote, noSignalsNote } from '../../src/core/postgres/visibilityNotes';

function sessionsTable(list: SessionInfo[]): HTMLElement {
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['PID', 'User', 'Application', 'State', 'In state', 'Transaction', 'Waiting on', 'Statement'].map((t) =>
          el('th', { scope: 'col' }, t),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...list.map((s) =>
        el(
          'tr',
          {},
          el('td', { class: 'num' }, String(s.pid)),
          el('td', {}, s.user ?? '–'),
          el('td', {}, s.application || '–'),
          el('td', {}, s.state ?? 'hidden'),
          el('td', { class: 'num' }, fmtSeconds(s.stateSeconds)),
          el('td', { class: 'num' }, fmtSeconds(s.transactionSeconds)),
          el('td', {}, s.waitEventType ? `${s.waitEventType}: ${s.waitEvent ?? ''}` : '–'),
          el('td', { class: 'sql', title: s.query }, oneLine(s.query, 80)),
        ),
      ),
    ),
  );
}

/** A signal as a banner; one about lock waits links to the blocking chains of the same sample. */
function signalBanner(s: PoolSignal, showLocks: () => void): HTMLElement {
  const banner = el(
    'div',
    { class: `banner ${s.severity}`, role: 'status' },
    `${s.severity === 'critical' ? 'Critical' : 'Warning'}: ${s.message}`,
  );
  if (s.about === 'locks') {
    banner.id = 'lock-wait-signal';
    const link = el('a', { href: '#', id: 'show-blocking-chains' }, 'Show the blocking chains');
    link.addEventListener('click', (e) => {
      e.preventDefault();
      showLocks();
    });
    banner.append(' ', link);
  }
  return banner;
}

export function renderActivity(
  root: HTMLElement,
  chart: ThemedChart<'bar'>,
  canvas: HTMLCanvasElement,
  r: ActivityReport,
  takenAt: string,
  showLocks: () => void,
): void {
  const states = Object.entries(r.byState).sort((a, b) => b[1] - a[1]);
  const hidden = hiddenSessionsNote(r);
  replace(
    root,
    el(
      'p',
      {},
      `${r.totalConnections} of ${r.maxConnections} connections in use (${r.reservedConnections} reserved for superusers)`,
      sampleStamp(takenAt),
    ),
    hidden ? el('div', { class: 'banner', role: 'status', id: 'hidden-sessions' }, hidden) : null,
    ...(r.signals.length ? r.signals.map((s) => signalBanner(s, showLocks)) : [el('p', { class: 'muted' }, noSignalsNote(r))]),
    el(
      'div',
      { class: 'charts' },
      chartBox('Connections by state', canvas),
      el(
        'div',
        {},
        el('h3', {}, 'By application'),
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, el('th', {}, 'Application'), el('th', { class: 'num' }, 'Connections'), el('th', {}, 'States'))),
          el(
            'tbody',
            {},
            ...r.byApplication.map((a) =>
              el(
                'tr',
                {},
                el('td', {}, a.application),
                el('td', { class: 'num' }, String(a.total)),
                el(
                  'td',
                  {},
                  Object.entries(a.byState)
                    .map(([k, v]) => `${v} ${k}`)
                    .join(', '),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    r.idleInTransaction.length ? el('section', {}, el('h2', {}, 'Idle in transaction'), sessionsTable(r.idleInTransaction)) : null,
    r.waiting.length ? el('section', {}, el('h2', {}, 'Waiting'), sessionsTable(r.waiting)) : null,
    r.longRunning.length ? el('section', {}, el('h2', {}, 'Long-running'), sessionsTable(r.longRunning)) : null,
    el('section', {}, el('h2', {}, 'All sessions'), sessionsTable(r.sessions)),
  );
  chart.show(() => ({
    type: 'bar',
    data: {
      labels: states.map(([k]) => k),
      datasets: [{ label: 'connections', data: states.map(([, v]) => v), backgroundColor: states.map((_, i) => seriesColour(i)) }],
    },
    options: {
      ...BASE_OPTIONS,
      plugins: { legend: { display: false } },
      scales: {
        x: { title: axisTitle('state') },
        y: { beginAtZero: true, suggestedMax: 1, title: axisTitle('connections (count)'), ticks: { precision: 0, maxTicksLimit: 6 } },
      },
    },
  }));
}

function party(title: string, p: LockParty, lines: string[], kind: 'waiter' | 'blocker'): HTMLElement {
  return el(
    'div',
    { class: `party ${kind}` },
    el('h3', {}, `${title}: pid ${p.pid} (${p.application || p.user || 'unknown'})`),
    ...lines.map((l) => el('div', { class: 'muted' }, l)),
    el('pre', { class: 'sql' }, p.queryVisible ? p.query || '(no statement)' : '(statement hidden from this role)'),
  );
}

function edge(e: BlockingEdge): HTMLElement {
  return el(
    'div',
    { class: 'edge', 'data-blocker': String(e.blocker.pid), 'data-waiter': String(e.waiter.pid) },
    party(
      'Blocker',
      e.blocker,
      [
        `${e.blocker.state ?? 'state hidden'} · transaction open ${fmtSeconds(e.blocker.transactionSeconds)}`,
        `holds ${e.heldModes.join(', ') || 'unknown modes'}`,
      ],
      'blocker',
    ),
    el('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
    party(
      'Waiting',
      e.waiter,
      [`waits ${fmtSeconds(e.waitSeconds)} for ${e.wantedMode ?? '?'} (${e.lockType ?? '?'})${e.relation ? ` on ${e.relation}` : ''}`],
      'waiter',
    ),
  );
}

export function renderLocks(root: HTMLElement, r: LocksReport, takenAt: string): void {
  if (r.edges.length === 0) {
    replace(root, el('p', { class: 'empty muted' }, 'No session is waiting for a lock.', sampleStamp(takenAt)));
    return;
  }
  const hidden = hiddenLocksNote(r);
  replace(
    root,
    el(
      'p',
      {},
      `${r.edges.length} blocked wait(s). Start with the root blocker(s): ${r.rootBlockers.map((p) => `pid ${p.pid} (${p.application || p.user || '?'})`).join(', ')}.`,
      sampleStamp(takenAt),
    ),
    hidden ? el('div', { class: 'banner', role: 'status', id: 'hidden-lock-sessions' }, hidden) : null,
    el('h2', {}, 'Blocking chains'),
    el('ul', {}, ...r.chains.map((c) => el('li', { class: 'chain' }, c.map((pid) => `pid ${pid}`).join(' → ')))),
    el('h2', {}, 'Who blocks whom'),
    el('div', { class: 'edges', id: 'lock-edges' }, ...r.edges.map(edge)),
  );
}
