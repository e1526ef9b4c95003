// The Statements tab: top statements by total or mean time (bar), calls against mean time
// (scatter), rates over the sampling window (line), a sortable table, and for the selected
// statement its text, its plan (EXPLAIN without ANALYZE) and "Find in workspace". It shows
// the statements of the panel's one sample (see main.ts); the rates come on their own.
import type { HostClient } from '../shared/client';
import type { StatementStats } from '../../src/core/postgres/statements';
import type { RateSeries } from '../../src/core/postgres/rateWindow';
import type { ExplainResult } from '../../src/core/postgres/explain';
import type { PlanNode } from '../../src/core/postgres/planSummary';
import type { PostgresProtocol, StatementsView } from './protocol';
import {
  axisTitle,
  BASE_OPTIONS,
  chartBox,
  foregroundColour,
  formatNumber,
  logTick,
  renderLegend,
  seriesColour,
  ThemedChart,
} from './charts';
import { button, el, fmtCount, fmtMs, oneLine, replace, sampleStamp } from './dom';
import { hiddenStatementsNote } from '../../src/core/postgres/visibilityNotes';

/** The statement's text, or whose it is when the role may not read it. */
const textOf = (s: StatementStats) => (s.textVisible ? s.query : `(text hidden: a statement of role ${s.role ?? '?'})`);

type Column = { key: keyof StatementStats | 'hit'; title: string; num: boolean; value: (s: StatementStats) => number | string };
const COLUMNS: Column[] = [
  { key: 'query', title: 'Statement', num: false, value: textOf },
  { key: 'calls', title: 'Calls', num: true, value: (s) => s.calls },
  { key: 'totalMs', title: 'Total ms', num: true, value: (s) => s.totalMs },
  { key: 'meanMs', title: 'Mean ms', num: true, value: (s) => s.meanMs },
  { key: 'rows', title: 'Rows', num: true, value: (s) => s.rows },
  { key: 'hit', title: 'Hit %', num: true, value: (s) => (s.hitRatio === null ? -1 : s.hitRatio * 100) },
];

export class StatementsTab {
  private view: StatementsView | undefined;
  private barBy: 'totalMs' | 'meanMs' = 'totalMs';
  private sort: { column: Column; descending: boolean } = { column: COLUMNS[2], descending: true };
  private selected: string | undefined;
  private readonly bar: ThemedChart<'bar'>;
  private readonly scatter: ThemedChart<'scatter'>;
  private readonly rates: ThemedChart<'line'>;
  private readonly info = el('span', { class: 'muted' });
  private readonly notes = el('div');
  private readonly table = el('table', { id: 'statements-table' });
  private readonly detail = el('div', { class: 'detail', id: 'statement-detail' });
  private readonly ratesNote = el('span', { class: 'muted' });
  private readonly ratesLegend = el('ul', { class: 'legend', id: 'rates-legend' });
  private ratesCanvas: HTMLCanvasElement | undefined;

  constructor(
    readonly root: HTMLElement,
    private readonly client: HostClient<PostgresProtocol>,
    private readonly sampleSeconds: () => number,
  ) {
    const select = document.createElement('vscode-single-select');
    select.id = 'bar-by';
    for (const [value, label] of [
      ['totalMs', 'Total time'],
      ['meanMs', 'Mean time'],
    ]) {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', value);
      option.textContent = label;
      select.append(option);
    }
    select.addEventListener('change', () => {
      this.barBy = (select as HTMLElement & { value: string }).value === 'meanMs' ? 'meanMs' : 'totalMs';
      this.drawBar();
    });
    const canvas = (id: string) => el('canvas', { id, role: 'img' });
    const barCanvas = canvas('chart-top');
    const scatterCanvas = canvas('chart-scatter');
    const ratesCanvas = canvas('chart-rates');
    this.ratesCanvas = ratesCanvas;
    this.bar = new ThemedChart(barCanvas);
    this.scatter = new ThemedChart(scatterCanvas);
    this.rates = new ThemedChart(ratesCanvas);
    replace(
      root,
      el('div', { class: 'toolbar' }, el('label', { for: 'bar-by' }, 'Bar chart by'), select, this.info),
      this.notes,
      el(
        'div',
        { class: 'charts' },
        chartBox('Top statements', barCanvas),
        chartBox('Calls vs mean time', scatterCanvas),
        chartBox('Execution ms per second, now', ratesCanvas, { note: this.ratesNote, legend: this.ratesLegend, id: 'rates-box' }),
      ),
      this.table,
      this.detail,
    );
  }

  /** Shows the statements of the panel's sample (taken at `takenAt`). */
  show(view: StatementsView, takenAt: string): void {
    this.view = view;
    const r = view.report;
    replace(
      this.info,
      `${r.statements.length} statements · PostgreSQL ${r.serverVersion} · pg_stat_statements ${r.extensionVersion}${r.statsReset ? ` · counting since ${new Date(r.statsReset).toLocaleString('en-US')}` : ''}`,
      sampleStamp(takenAt),
    );
    const hidden = hiddenStatementsNote(r);
    // The hidden-statements note already names the missing privilege and its grant.
    replace(
      this.notes,
      hidden
        ? el('div', { class: 'banner warning', role: 'status', id: 'hidden-statements' }, hidden)
        : el(
            'div',
            {},
            ...view.missingPrivileges
              .filter((p) => p.name === 'pg_read_all_stats')
              .map((p) => el('div', { class: 'banner' }, `Role lacks ${p.name}: ${p.hides}`)),
          ),
    );
    this.drawBar();
    this.drawScatter();
    this.drawTable();
  }

  showError(message: string): void {
    replace(this.info);
    replace(this.notes, el('div', { class: 'banner error', role: 'alert' }, message));
  }

  private top(): StatementStats[] {
    return [...(this.view?.report.statements ?? [])].sort((a, b) => b[this.barBy] - a[this.barBy]).slice(0, 10);
  }

  private drawBar(): void {
    const top = this.top();
    this.bar.show(() => ({
      type: 'bar',
      data: {
        labels: top.map((s) => oneLine(textOf(s), 18)),
        datasets: [
          {
            label: this.barBy === 'totalMs' ? 'Total ms' : 'Mean ms',
            data: top.map((s) => s[this.barBy]),
            backgroundColor: seriesColour(0),
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        indexAxis: 'y',
        // chart.js caps a vertical axis at a third of the width and clips labels from the left; statements need half.
        scales: {
          x: {
            beginAtZero: true,
            title: axisTitle(this.barBy === 'totalMs' ? 'total time (ms)' : 'mean time (ms)'),
            ticks: { maxTicksLimit: 6, callback: (v) => formatNumber(Number(v)) },
          },
          y: {
            title: axisTitle('statement'),
            afterFit: (axis) => {
              axis.width = Math.max(axis.width, axis.chart.width * 0.55);
            },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => oneLine(textOf(top[items[0].dataIndex]), 120) } },
        },
      },
    }));
  }

  private drawScatter(): void {
    const all = this.view?.report.statements ?? [];
    this.scatter.show(() => ({
      type: 'scatter',
      // Filled with the theme's first series colour and outlined in its text colour, so a dot shows on any background.
      data: {
        datasets: [
          {
            label: 'statements',
            data: all.map((s) => ({ x: s.calls, y: s.meanMs })),
            backgroundColor: seriesColour(0),
            borderColor: foregroundColour(),
            borderWidth: 1,
            pointRadius: 4,
            pointHoverRadius: 6,
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        scales: {
          x: { type: 'logarithmic', title: axisTitle('calls (count)'), ticks: { callback: logTick, autoSkip: true, maxRotation: 0 } },
          y: { type: 'logarithmic', title: axisTitle('mean time (ms)'), ticks: { callback: logTick } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) =>
                `${oneLine(textOf(all[item.dataIndex]), 60)} — ${all[item.dataIndex].calls} calls, ${fmtMs(all[item.dataIndex].meanMs)} ms`,
            },
          },
        },
        onClick: (_e, elements) => {
          if (elements[0]) this.select(all[elements[0].index]);
        },
      },
    }));
  }

  showRates(series: RateSeries): void {
    const every = `every ${this.sampleSeconds()} s`;
    replace(
      this.ratesNote,
      !series.times.length
        ? `(waiting for a second sample, ${every})`
        : series.statements.length
          ? `(${series.times.length} samples, ${every})`
          : `(${series.times.length} samples, ${every}: nothing ran in the window${this.seesAllRoles() ? '' : ' that this role can see'})`,
    );
    this.ratesCanvas?.setAttribute('data-series', String(series.statements.length));
    this.rates.show(() => {
      // The legend is drawn with the chart, so a theme change repaints its swatches too.
      renderLegend(
        this.ratesLegend,
        series.statements.map((s) => ({ text: oneLine(s.query, 60), title: s.query })),
      );
      return {
        type: 'line',
        data: {
          labels: series.times.map((t) => new Date(t).toLocaleTimeString('en-US', { hour12: false })),
          datasets: series.statements.map((s, i) => ({
            label: oneLine(s.query, 40),
            data: s.msPerSecond,
            borderColor: seriesColour(i),
            backgroundColor: seriesColour(i),
            pointRadius: 1.5,
            borderWidth: 1.5,
          })),
        },
        options: {
          ...BASE_OPTIONS,
          scales: {
            x: { title: axisTitle('time (sampled)'), ticks: { maxTicksLimit: 4, maxRotation: 0, autoSkip: true, autoSkipPadding: 16 } },
            // An idle window is all zeros: without a suggested maximum the axis shrinks to one "0" tick.
            y: {
              beginAtZero: true,
              suggestedMax: 1,
              title: axisTitle('ms per second'),
              ticks: { maxTicksLimit: 6, callback: (v) => formatNumber(Number(v)) },
            },
          },
          // The legend is HTML below the plot (see chartBox): inside the canvas it was clipped and squeezed the plot.
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (item) => `${oneLine(series.statements[item.datasetIndex].query, 60)}: ${formatNumber(Number(item.raw))} ms/s`,
              },
            },
          },
        },
      };
    });
  }

  private seesAllRoles(): boolean {
    return this.view?.report.visibility.seesAllRoles ?? true;
  }

  showRatesError(message: string): void {
    replace(this.ratesNote, `(sampling failed: ${message})`);
  }

  private drawTable(): void {
    const { column, descending } = this.sort;
    const rows = [...(this.view?.report.statements ?? [])].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return descending ? -c : c;
    });
    const head = el(
      'tr',
      {},
      ...COLUMNS.map((c) =>
        el(
          'th',
          {
            class: c.num ? 'num' : '',
            'aria-sort': c === column ? (descending ? 'descending' : 'ascending') : 'none',
            scope: 'col',
            onclick: () => {
              this.sort = { column: c, descending: c === column ? !descending : c.num };
              this.drawTable();
            },
          },
          c.title,
        ),
      ),
    );
    const body = el(
      'tbody',
      {},
      ...rows.map((s) =>
        el(
          'tr',
          {
            class: 'selectable',
            'aria-selected': String(s.queryId !== null && s.queryId === this.selected),
            'data-query-id': s.queryId ?? '',
            tabindex: '0',
            onclick: () => this.select(s),
          },
          el('td', { class: 'sql', title: textOf(s) }, oneLine(textOf(s))),
          el('td', { class: 'num' }, fmtCount(s.calls)),
          el('td', { class: 'num' }, fmtMs(s.totalMs)),
          el('td', { class: 'num' }, fmtMs(s.meanMs)),
          el('td', { class: 'num' }, fmtCount(s.rows)),
          el('td', { class: 'num' }, s.hitRatio === null ? '–' : (s.hitRatio * 100).toFixed(1)),
        ),
      ),
    );
    replace(this.table, el('thead', {}, head), body);
  }

  private select(s: StatementStats): void {
    this.selected = s.queryId ?? undefined;
    this.drawTable();
    if (s.queryId === null || !s.textVisible) {
      replace(
        this.detail,
        el('h2', {}, textOf(s)),
        el('p', { class: 'muted' }, `${fmtCount(s.calls)} calls · ${fmtMs(s.meanMs)} ms mean · ${fmtMs(s.totalMs)} ms total`),
        el(
          'div',
          { class: 'banner' },
          `Its text and query id are hidden, so it cannot be planned or found in the workspace. ${this.view?.report.visibility.grant ?? ''}`,
        ),
      );
      return;
    }
    const queryId = s.queryId;
    const plan = el('div', { class: 'plan', id: 'plan-view' });
    replace(
      this.detail,
      el('h2', {}, `Statement ${queryId}`),
      el('pre', { class: 'sql' }, s.query),
      el(
        'div',
        { class: 'toolbar' },
        button('Explain plan', () => void this.explain(queryId, plan)),
        button('Find in workspace', () => this.client.command('findInWorkspace', { query: s.query }), { secondary: true }),
        el('span', { class: 'muted' }, `${fmtCount(s.calls)} calls · ${fmtMs(s.meanMs)} ms mean · ${fmtMs(s.totalMs)} ms total`),
      ),
      plan,
    );
  }

  private async explain(queryId: string, target: HTMLElement): Promise<void> {
    replace(target, el('p', { class: 'muted' }, 'Planning (EXPLAIN without ANALYZE: nothing is executed)…'));
    try {
      renderPlan(target, await this.client.request('explain', { queryId }));
    } catch (err) {
      replace(target, el('div', { class: 'banner error', role: 'alert' }, (err as Error).message));
    }
  }
}

function planTree(node: PlanNode): HTMLElement {
  const on = node['Relation Name'] ? ` on ${node.Schema ? `${node.Schema}.` : ''}${node['Relation Name']}` : '';
  const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const conds = [node['Index Cond'], node.Filter, node['Hash Cond'], node['Join Filter']].filter((c): c is string => Boolean(c));
  return el(
    'li',
    {},
    el('span', { class: 'node' }, `${node['Node Type']}${index}${on}`),
    el('span', { class: 'muted' }, `  cost ${node['Startup Cost']}..${node['Total Cost']} · ${node['Plan Rows']} rows`),
    ...conds.map((c) => el('div', { class: 'muted node' }, c)),
    node.Plans?.length ? el('ul', {}, ...node.Plans.map(planTree)) : null,
  );
}

function renderPlan(target: HTMLElement, r: ExplainResult): void {
  const s = r.summary;
  replace(
    target,
    el('h3', {}, r.generic ? 'Generic plan (parameters left as $n)' : 'Plan'),
    el('ul', {}, planTree(r.plan)),
    s.findings.length
      ? el('div', {}, el('h3', {}, 'Findings'), el('ul', {}, ...s.findings.map((f) => el('li', {}, f.message))))
      : el('p', { class: 'muted' }, 'Nothing stands out in this plan.'),
    s.suggestions.length
      ? el(
          'div',
          {},
          el('h3', {}, 'Suggested index (review it, then run it yourself)'),
          ...s.suggestions.map((x) => el('div', {}, el('pre', { class: 'sql' }, x.ddl), el('p', { class: 'muted' }, x.reason))),
        )
      : null,
  );
}
