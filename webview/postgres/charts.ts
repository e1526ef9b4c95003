// The panel's charts (chart.js), coloured from the theme's --vscode-charts-* variables
// and redrawn when the theme changes.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale,
  PointElement, ScatterController, Tooltip, type ChartConfiguration, type ChartType,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend);

const SERIES_VARS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

function cssVar(name: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim();
}

export function seriesColour(i: number): string {
  return cssVar(SERIES_VARS[i % SERIES_VARS.length]) || cssVar('--vscode-foreground');
}

/** Theme colours read now; chart.js needs concrete colour strings. */
function themed<T extends ChartType>(config: ChartConfiguration<T>): ChartConfiguration<T> {
  const text = cssVar('--vscode-descriptionForeground') || cssVar('--vscode-foreground');
  const grid = cssVar('--vscode-panel-border') || text;
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

// VS Code swaps the body's theme class when the colour theme changes.
new MutationObserver(() => { for (const c of charts) c.redraw(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

export const BASE_OPTIONS = {
  animation: false as const,
  responsive: true,
  maintainAspectRatio: false,
};
