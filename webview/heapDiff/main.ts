// The heap-diff panel: top growing classes as a bar chart (count or size), the heap size
// over the series as a line, a sortable table of classes, the leak check, and for the
// selected class its retainer paths and the likely culprit, with "Open source location".
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { formatBytes as bytes } from '../../src/core/heap/format';
import { chartRows, RUNTIME_ROW, type ChartRow, type GrowthMetric } from '../../src/core/heap/suspects';
import { HostClient } from '../shared/client';
import type { ClassRowView, HeapDiffProtocol, HeapDiffView, LeakRowView, RetainerPathView, SourceLocationView } from './protocol';
import { styles } from './styles';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip);

type Metric = GrowthMetric;
type SortKey = 'name' | 'countDelta' | 'selfSizeDelta' | 'retainedSizeDelta' | 'added' | 'removed' | 'addedRetainedSize' | 'rank';
interface Selected {
  name: string;
  paths: RetainerPathView[];
  location?: SourceLocationView;
}

const client = new HostClient<HeapDiffProtocol>();
let model: HeapDiffView | undefined;
let metric: Metric = 'retained';
let showInternals = false;
let sortKey: SortKey = 'rank';
let sortDescending = true;
let selected: string | undefined;
let bar: Chart | undefined;
let line: Chart | undefined;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

const signed = (n: number, fmt: (n: number) => string = String): string => (n > 0 ? `+${fmt(n)}` : fmt(n));
const themeColor = (name: string): string => getComputedStyle(document.body).getPropertyValue(name).trim();

const metricWords: Record<Metric, string> = { retained: 'retained size', count: 'count', size: 'self size' };
const formatValue = (n: number): string => (metric === 'count' ? signed(n) : signed(n, bytes));

/** Application classes first, the engine and runtime folded into one row (see core/heap/suspects). */
function growing(m: HeapDiffView): ChartRow[] {
  // What new objects retain is only known when the snapshots' ids matched.
  const rows = m.idsOverlap ? m.classes : m.classes.map((c) => ({ ...c, addedRetainedSize: undefined }));
  return chartRows(rows, metric, showInternals);
}

function drawCharts(): void {
  if (!model) return;
  const fg = themeColor('--vscode-foreground');
  const grid = themeColor('--vscode-panel-border');
  const rows = growing(model);
  const values = rows.map((r) => r.value);
  const canvas = document.getElementById('growth') as HTMLCanvasElement;
  canvas.setAttribute(
    'aria-label',
    `Top growing classes by ${metricWords[metric]}: ${rows.map((r) => `${r.name} ${formatValue(r.value)}`).join(', ') || 'none grew'}`,
  );
  const muted = themeColor('--vscode-descriptionForeground');
  bar?.destroy();
  bar = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((c) => c.name),
      datasets: [
        { data: values, backgroundColor: rows.map((r) => (r.folded ? muted : themeColor('--vscode-charts-red'))), borderWidth: 0 },
      ],
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        tooltip: {
          callbacks: {
            label: (ctx) => (metric === 'count' ? `${signed(Number(ctx.raw))} objects` : signed(Number(ctx.raw), bytes)),
            afterLabel: (ctx) => (rows[ctx.dataIndex]?.folded ? `${rows[ctx.dataIndex]!.folded!.length} classes; click to show them` : ''),
          },
        },
      },
      scales: {
        x: {
          title: { display: true, text: metric === 'count' ? 'objects' : 'bytes', color: fg },
          ticks: { color: fg, callback: (v) => (metric === 'count' ? String(v) : bytes(Number(v))) },
          grid: { color: grid },
        },
        y: { ticks: { color: fg }, grid: { display: false } },
      },
      onClick: (_e, elements) => {
        const hit = elements[0];
        const row = hit ? rows[hit.index] : undefined;
        if (!row) return;
        if (row.folded) {
          showInternals = true;
          render();
        } else select(row.name);
      },
    },
  });
  const lineCanvas = document.getElementById('series') as HTMLCanvasElement;
  lineCanvas.setAttribute('aria-label', `Heap size: ${model.snapshots.map((s) => `${s.label} ${bytes(s.totalSize)}`).join(', ')}`);
  line?.destroy();
  line = new Chart(lineCanvas, {
    type: 'line',
    data: {
      labels: model.snapshots.map((s) => s.label),
      datasets: [
        {
          data: model.snapshots.map((s) => s.totalSize),
          borderColor: themeColor('--vscode-charts-blue'),
          backgroundColor: themeColor('--vscode-charts-blue'),
          tension: 0,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { ticks: { color: fg }, grid: { color: grid } },
        y: { ticks: { color: fg, callback: (v) => bytes(Number(v)) }, grid: { color: grid } },
      },
    },
  });
}

function sortedClasses(m: HeapDiffView): ClassRowView[] {
  const key = sortKey;
  if (key === 'rank') return sortDescending ? m.classes : [...m.classes].reverse();
  const dir = sortDescending ? -1 : 1;
  return [...m.classes].sort((a, b) => (key === 'name' ? a.name.localeCompare(b.name) : a[key] - b[key]) * dir);
}

function classTable(m: HeapDiffView): HTMLTableElement {
  const columns: [SortKey, string][] = [
    ['name', 'Class'],
    ['countDelta', 'Count Δ'],
    ['selfSizeDelta', 'Self size Δ'],
    ['retainedSizeDelta', 'Retained Δ'],
    ['added', 'New'],
    ['removed', 'Freed'],
    ['addedRetainedSize', 'New retained'],
  ];
  const head = el(
    'tr',
    {},
    ...columns.map(([key, label]) => {
      const th = el('th', { scope: 'col', 'data-key': key }, label);
      if (sortKey === key) th.setAttribute('aria-sort', sortDescending ? 'descending' : 'ascending');
      th.addEventListener('click', () => {
        sortDescending = sortKey === key ? !sortDescending : key !== 'name';
        sortKey = key;
        render();
      });
      return th;
    }),
  );
  const cls = (n: number): string => (n > 0 ? 'grow' : n < 0 ? 'shrink' : '');
  const body = el(
    'tbody',
    {},
    ...sortedClasses(m)
      .slice(0, 200)
      .map((c) => {
        const tr = el(
          'tr',
          { 'aria-selected': String(c.name === selected), class: c.internal ? 'internal' : '', 'data-class': c.name },
          el('td', {}, c.name),
          el('td', { class: cls(c.countDelta) }, signed(c.countDelta)),
          el('td', { class: cls(c.selfSizeDelta) }, signed(c.selfSizeDelta, bytes)),
          el('td', { class: cls(c.retainedSizeDelta) }, signed(c.retainedSizeDelta, bytes)),
          el('td', {}, String(c.added)),
          el('td', {}, String(c.removed)),
          el('td', {}, bytes(c.addedRetainedSize)),
        );
        tr.addEventListener('click', () => select(c.name));
        return tr;
      }),
  );
  return el('table', { id: 'classes' }, el('thead', {}, head), body);
}

function leakTable(rows: LeakRowView[]): HTMLTableElement {
  const body = el(
    'tbody',
    {},
    ...rows.slice(0, 50).map((c) => {
      const tr = el(
        'tr',
        { 'aria-selected': String(c.name === selected), class: c.internal ? 'internal' : '', 'data-class': c.name },
        el('td', {}, c.name),
        el('td', {}, String(c.count)),
        el('td', {}, bytes(c.selfSize)),
        el('td', {}, bytes(c.retainedSize)),
      );
      tr.addEventListener('click', () => select(c.name));
      return tr;
    }),
  );
  return el(
    'table',
    { id: 'leaks' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Class'), el('th', {}, 'Still alive'), el('th', {}, 'Self size'), el('th', {}, 'Retained'))),
    body,
  );
}

function selectedDetails(m: HeapDiffView): Selected | undefined {
  if (!selected) return undefined;
  const leak = m.leaks?.classes.find((c) => c.name === selected);
  const row = m.classes.find((c) => c.name === selected);
  const paths = leak?.paths.length ? leak.paths : (row?.paths ?? []);
  return { name: selected, paths, location: leak?.location ?? row?.location };
}

function detailsCard(m: HeapDiffView): HTMLElement {
  const d = selectedDetails(m);
  const card = el('section', { class: 'card', id: 'details' });
  if (!d) {
    card.append(
      el('h2', {}, 'Retainer paths'),
      el('p', { class: 'muted' }, 'Select a class in the chart or the table to see what keeps its objects alive.'),
    );
    return card;
  }
  card.append(el('h2', {}, `Retainer paths: ${d.name}`));
  if (d.paths.length === 0)
    card.append(el('p', { class: 'muted' }, 'No retainer paths were sampled for this class (only the top classes are traced).'));
  for (const p of d.paths) {
    card.append(
      el('div', { class: 'path' }, p.path),
      el('div', { class: 'muted' }, `${p.count} sampled objects, ${bytes(p.retainedSize)} retained`),
    );
    if (p.culprits.length) card.append(el('ul', { class: 'culprits' }, ...p.culprits.map((c) => el('li', {}, c))));
  }
  if (d.location) {
    const loc = d.location;
    const button = el('vscode-button', { id: 'open-location', title: `${loc.url}:${loc.line}:${loc.column}` }, 'Open source location');
    button.addEventListener('click', () => client.command('openLocation', loc));
    card.append(el('p', { class: 'muted' }, `Defined at ${loc.url.split(/[\\/]/).pop()}:${loc.line}`), button);
  }
  return card;
}

function metricButton(value: Metric, label: string): HTMLElement {
  const b = el('vscode-button', { 'data-metric': value, ...(metric === value ? {} : { secondary: '' }) }, label);
  b.addEventListener('click', () => {
    metric = value;
    render();
  });
  return b;
}

function internalsToggle(): HTMLElement {
  const b = el(
    'vscode-button',
    { id: 'internals', secondary: '', title: `Show V8 and Node classes one by one instead of one "${RUNTIME_ROW}" row` },
    showInternals ? 'Fold internals' : 'Show internals',
  );
  b.addEventListener('click', () => {
    showInternals = !showInternals;
    render();
  });
  return b;
}

function render(): void {
  const app = document.getElementById('app')!;
  app.removeAttribute('aria-busy');
  if (!model) return;
  const m = model;
  const culprits = m.leaks?.culprits ?? [];
  app.replaceChildren(
    el('h1', {}, m.title),
    el(
      'div',
      { class: 'snapshots' },
      ...m.snapshots.map((s) => el('vscode-badge', { title: s.file }, `${s.label}: ${bytes(s.totalSize)}`)),
    ),
    el(
      'p',
      {},
      `Memory held by new objects: ${bytes(m.totals.retainedGrowth)} · objects ${signed(m.totals.countDelta)} · heap ${signed(m.totals.selfSizeDelta, bytes)}`,
    ),
    ...(m.note ? [el('p', { class: 'note', id: 'note' }, m.note)] : []),
    ...(culprits.length
      ? [el('h2', {}, 'Likely culprits'), el('ul', { class: 'culprits', id: 'culprits' }, ...culprits.map((c) => el('li', {}, c)))]
      : []),
    el(
      'div',
      { class: 'grid' },
      el(
        'section',
        { class: 'card' },
        el(
          'div',
          { class: 'toolbar' },
          el('h2', {}, 'Top growing classes'),
          metricButton('retained', 'Retained'),
          metricButton('count', 'Count'),
          metricButton('size', 'Size'),
          internalsToggle(),
        ),
        el('div', { class: 'chart-box' }, el('canvas', { id: 'growth', role: 'img' })),
      ),
      el(
        'div',
        {},
        el(
          'section',
          { class: 'card' },
          el('h2', {}, 'Heap size'),
          el('div', { class: 'line-box' }, el('canvas', { id: 'series', role: 'img' })),
        ),
        detailsCard(m),
      ),
    ),
    ...(m.leaks
      ? [el('h2', {}, 'Leak check: allocated between baseline and target, still alive in final'), leakTable(m.leaks.classes)]
      : []),
    el('h2', {}, 'Classes'),
    classTable(m),
  );
  drawCharts();
}

function select(name: string): void {
  selected = name;
  render();
  document.getElementById('details')?.scrollIntoView({ block: 'nearest' });
}

const style = document.createElement('style');
style.textContent = styles;
document.head.append(style);
// Charts read theme colours: redraw when the theme (the body's class) changes.
new MutationObserver(() => drawCharts()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
const show = (m: HeapDiffView): void => {
  model = m;
  selected ??= m.suspect;
  render();
};
client.on('model', show);
client.ready();
void client.request('model', {}).then(show);
