// What the heap-diff panel leads with: classes of the user's own code, ranked by how much
// more memory they retain, before whatever V8 and Node allocate along the way (strings,
// arrays, compiled code, `Buffer` from node:buffer). Engine and runtime classes are folded
// into one row unless asked for; the top suspect is the class selected when the panel opens.

export interface RankedClass {
  name: string;
  /** Engine-internal or generic (see isGenericClass). */
  internal: boolean;
  countDelta: number;
  selfSizeDelta: number;
  retainedSizeDelta: number;
  /** Retained by the objects new in the target (known when ids matched). */
  addedRetainedSize?: number;
  location?: { url: string };
}

export type GrowthMetric = 'retained' | 'count' | 'size';

export interface ChartRow {
  name: string;
  value: number;
  /** The classes folded into this row (the engine and runtime row only). */
  folded?: string[];
}

export const RUNTIME_ROW = 'V8/Node internals';

/** Defined by the application: not an engine internal and not a Node built-in (`node:buffer`). */
export function isApplicationClass(c: RankedClass): boolean {
  if (c.internal) return false;
  const url = c.location?.url ?? '';
  return !(url.startsWith('node:') || url.startsWith('internal/'));
}

/**
 * Retained growth: with matched ids, what the class's new objects retain, up to what the
 * class grew by in total (an old EventEmitter whose listeners hold the leak did not grow
 * itself; a refreshed cache is all new objects and no growth). Without ids, the total growth.
 */
export function growth(c: RankedClass, metric: GrowthMetric): number {
  if (metric === 'count') return c.countDelta;
  if (metric === 'size') return c.selfSizeDelta;
  return c.addedRetainedSize === undefined ? c.retainedSizeDelta : Math.min(c.addedRetainedSize, c.retainedSizeDelta);
}

/**
 * Rows for "Top growing classes": application classes that grew, largest first, then one
 * row summing the engine and runtime classes that grew (or each of them, with `showInternals`).
 */
export function chartRows(classes: RankedClass[], metric: GrowthMetric, showInternals = false, limit = 10): ChartRow[] {
  const grew = classes.filter((c) => growth(c, metric) > 0);
  const byGrowth = (a: RankedClass, b: RankedClass): number => growth(b, metric) - growth(a, metric);
  const app = grew.filter(isApplicationClass).sort(byGrowth);
  const runtime = grew.filter((c) => !isApplicationClass(c)).sort(byGrowth);
  const rows: ChartRow[] = app.slice(0, limit).map((c) => ({ name: c.name, value: growth(c, metric) }));
  if (showInternals)
    rows.push(...runtime.slice(0, Math.max(0, limit - rows.length)).map((c) => ({ name: c.name, value: growth(c, metric) })));
  else if (runtime.length)
    rows.push({ name: RUNTIME_ROW, value: runtime.reduce((sum, c) => sum + growth(c, metric), 0), folded: runtime.map((c) => c.name) });
  return rows;
}

/**
 * The class to select first: the leak check's top application class, else the application
 * class whose retained size grew most, else the first row there is.
 */
export function topSuspect(
  classes: RankedClass[],
  leaks?: { name: string; internal: boolean; location?: { url: string } }[],
): string | undefined {
  const leak = leaks?.find((c) => isApplicationClass({ ...c, countDelta: 0, selfSizeDelta: 0, retainedSizeDelta: 0 }));
  if (leak) return leak.name;
  const grown = classes
    .filter((c) => isApplicationClass(c) && growth(c, 'retained') > 0)
    .sort((a, b) => growth(b, 'retained') - growth(a, 'retained'))[0];
  return grown?.name ?? leaks?.[0]?.name ?? classes[0]?.name;
}
