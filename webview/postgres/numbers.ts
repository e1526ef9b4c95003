// Numbers on the panel's charts, written en-US whatever the webview's locale, each with the
// decimals its own size needs. chart.js's own tick labels followed the webview's locale and
// gave a log axis one number of decimals for all ticks: "100.000 / 10.000" was read as a
// hundred thousand where 100 ms was meant.
export const EN = 'en-US';

/** A number for an axis or a label: en-US grouping, decimals only where they carry meaning. */
export function formatNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs > 0 && abs < 1) return n.toLocaleString(EN, { maximumSignificantDigits: 2 });
  return n.toLocaleString(EN, { maximumFractionDigits: abs >= 100 ? 0 : abs >= 10 ? 1 : 2 });
}

/**
 * Tick labels of a logarithmic axis: only 1, 2 and 5 of each decade are labelled (chart.js
 * puts a tick at every 1..9, whose labels overlap), the rest stay as unlabelled grid lines.
 */
export function logTick(value: number | string): string {
  const n = Number(value);
  if (!(n > 0)) return '';
  const mantissa = Math.round(n / 10 ** Math.floor(Math.log10(n) + 1e-9));
  return mantissa === 1 || mantissa === 2 || mantissa === 5 ? formatNumber(n) : '';
}
