// The panel's charts (chart.js), coloured from the theme's --vscode-charts-* variables
// (read with getComputedStyle, as chart.js needs concrete colours) and redrawn when the
// theme changes. Numbers are written en-US (numbers.ts).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from 'chart.js';
import { el } from './dom';
import { EN } from './numbers';
import { opaque } from './colours';

export { formatNumber, logTick } from './numbers';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  Legend,
);

const SERIES_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];

function cssVar(name: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim();
}

function seriesVar(i: number): string {
  return SERIES_VARS[i % SERIES_VARS.length];
}

export function seriesColour(i: number): string {
  return opaque(cssVar(seriesVar(i)) || cssVar('--vscode-foreground'));
}

/** The theme's text colour, for outlines that must stand out on the editor background. */
export function foregroundColour(): string {
  return cssVar('--vscode-foreground');
}

/** An axis title: every axis names its unit. */
export function axisTitle(text: string): { display: true; text: string } {
  return { display: true, text };
}

/** Theme colours read now; chart.js needs concrete colour strings. */
function themed<T extends ChartType>(config: ChartConfiguration<T>): ChartConfiguration<T> {
  const text = cssVar('--vscode-descriptionForeground') || cssVar('--vscode-foreground');
  const grid = cssVar('--vscode-panel-border') || cssVar('--vscode-contrastBorder') || text;
  Chart.defaults.color = text;
  Chart.defaults.borderColor = grid;
  Chart.defaults.font.family = cssVar('--vscode-font-family') || Chart.defaults.font.family;
  return config;
}

type Build<T extends ChartType> = () => ChartConfiguration<T>;

/** A chart that can be given new data and rebuilds itself with the theme's colours. */
export class ThemedChart<T extends ChartType> {
  private chart: Chart<T> | undefined;
  private build: Build<T> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {
    charts.add(this as unknown as ThemedChart<ChartType>);
  }

  show(build: Build<T>): void {
    this.build = build;
    this.redraw();
  }

  redraw(): void {
    if (!this.build) return;
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, themed(this.build()));
  }
}

const charts = new Set<ThemedChart<ChartType>>();

// VS Code swaps the body's theme class and rewrites the variables on <html> when the colour
// theme changes; the redraw waits a frame so it reads the new variables, not the old ones.
let redrawQueued = false;
const redrawAll = (): void => {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(() => {
    redrawQueued = false;
    for (const c of charts) c.redraw();
  });
};
new MutationObserver(redrawAll).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(redrawAll).observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

/**
 * A chart box of fixed height: title, an optional note, the plot (its own relatively
 * positioned box, the only child chart.js measures) and an optional legend below it.
 * A legend inside the canvas grew with the series and squeezed the plot to a strip.
 */
export function chartBox(
  title: string,
  canvas: HTMLCanvasElement,
  extra: { note?: HTMLElement; legend?: HTMLElement; id?: string } = {},
): HTMLElement {
  return el(
    'div',
    { class: 'chart', id: extra.id },
    el('h3', {}, title, extra.note ? ' ' : '', extra.note ?? null),
    el('div', { class: 'plot' }, canvas),
    extra.legend ?? null,
  );
}

/** An HTML legend: one line per series, its swatch painted with the series' colour (call it on every redraw). */
export function renderLegend(root: HTMLElement, labels: { text: string; title: string }[]): void {
  root.replaceChildren(
    ...labels.map((l, i) => {
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = seriesColour(i);
      return el('li', { title: l.title }, swatch, l.text);
    }),
  );
}

export const BASE_OPTIONS = {
  animation: false as const,
  responsive: true,
  maintainAspectRatio: false,
  locale: EN,
};
