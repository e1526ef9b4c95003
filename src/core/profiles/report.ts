// A profile in terms of the workspace: the hot functions of a CPU profile (bottom-up by
// self time, top-down by total time) and the allocation sites of a heap profile, each
// mapped to file:line through the stack resolver, with the busiest line of a hot function
// and the call made on it (`JSON.parse`). Only what is reported is mapped.
import { allocationTotals } from './allocAnalysis';
import { callOnLine, type CodeLocation, type CodeMapper } from './codeMap';
import { cpuTimes, type FunctionTime } from './cpuAnalysis';
import type { LoadedProfile } from './readProfile';
import type { ProfileCallFrame } from './types';

export interface MappedFunction {
  name: string;
  /**
   * Why the mapped line may not be this function's (its text does not name it): the file
   * changed since the profile, or the code ran transpiled in memory with no source map on
   * disk (tsx, ts-node). Such a place is shown with the warning, and no hot line is claimed.
   */
  unverified?: string;
  /** The script as V8 named it, and the function's 1-based position in it. */
  url: string;
  line: number;
  column: number;
  /** Where the function is in the workspace (through source maps), if it is there. */
  location?: CodeLocation;
}

export interface HotFunction extends MappedFunction {
  selfMs: number;
  totalMs: number;
  selfPercent: number;
  totalPercent: number;
  /** The line inside the function with the most samples, mapped. */
  hotLine?: { ms: number; location?: CodeLocation; generatedLine: number };
  /** The call on the hot line (`JSON.parse`): builtins' time is charged to the calling function. */
  hotCall?: string;
  callers: { name: string; ms: number }[];
}

export interface CpuReport {
  kind: 'cpu';
  durationMs: number;
  sampleCount: number;
  runtime: { gcMs: number; idleMs: number; programMs: number; gcPercent: number; idlePercent: number; programPercent: number };
  bottomUp: HotFunction[];
  topDown: HotFunction[];
  notes: string[];
}

export interface AllocationReport {
  kind: 'alloc';
  aliveBytes: number;
  sampleCount: number;
  sites: (MappedFunction & { aliveBytes: number; percent: number; callers: MappedFunction[] })[];
  notes: string[];
}

export type ProfileReport = CpuReport | AllocationReport;

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

function displayName(f: ProfileCallFrame): string {
  return f.functionName || '(anonymous)';
}

/** Whether the line where a function is said to start names it (`function priceOrder(`, `priceOrder(…) {`, a class's `constructor(`). */
export function lineNamesFunction(name: string, text: string | undefined): boolean {
  if (text === undefined || !/^[A-Za-z_$][\w$]*$/.test(name)) return true;
  return new RegExp(`(^|[^\\w$])(${name.replace(/\$/g, '\\$')}|constructor)([^\\w$]|$)`).test(text);
}

async function mapFunction(f: ProfileCallFrame, mapper: CodeMapper): Promise<MappedFunction> {
  const line = f.lineNumber + 1;
  const column = f.columnNumber + 1;
  const location = await mapper.locate(f.url, line, column);
  const name = displayName(f);
  const unverified =
    location && !lineNamesFunction(name, location.text)
      ? `line ${location.line} does not name ${name}: the file changed since the profile, or it ran transpiled without a source map on disk`
      : undefined;
  return { name, url: f.url, line, column, location, ...(unverified ? { unverified } : {}) };
}

async function hotFunction(t: FunctionTime, totalUs: number, mapper: CodeMapper): Promise<HotFunction> {
  const base = await mapFunction(t.callFrame, mapper);
  const top = t.lines[0];
  // A function whose own line does not check out gets no hot line: it would be as wrong.
  const hotLocation = top && !base.unverified ? await mapper.locate(t.callFrame.url, top.line, 1) : undefined;
  return {
    ...base,
    selfMs: round(t.selfUs / 1000),
    totalMs: round(t.totalUs / 1000),
    selfPercent: round((100 * t.selfUs) / totalUs),
    totalPercent: round((100 * t.totalUs) / totalUs),
    hotLine: top ? { ms: round(top.us / 1000), location: hotLocation, generatedLine: top.line } : undefined,
    hotCall: callOnLine(hotLocation?.text),
    callers: t.callers
      .filter((c) => c.callFrame.functionName !== '(root)')
      .map((c) => ({ name: displayName(c.callFrame), ms: round(c.us / 1000) })),
  };
}

/**
 * One function of a script that does not map to its own line discredits the script's other
 * places too (anonymous functions cannot be checked by name): all of them are marked, and
 * their hot lines dropped.
 */
function distrustScripts(functions: (MappedFunction & Partial<Pick<HotFunction, 'hotLine' | 'hotCall'>>)[]): void {
  const suspect = new Map<string, string>();
  for (const f of functions) if (f.unverified && f.url) suspect.set(f.url, f.unverified);
  if (suspect.size === 0) return;
  for (const f of functions) {
    const why = suspect.get(f.url);
    if (!why || !f.location) continue;
    f.unverified ??= `another function of this script does not map to its own line (${why})`;
    if (f.hotLine) delete f.hotLine.location;
    delete f.hotCall;
  }
}

export async function cpuReport(loaded: Extract<LoadedProfile, { kind: 'cpu' }>, mapper: CodeMapper, top: number): Promise<CpuReport> {
  const times = cpuTimes(loaded.profile);
  const notes: string[] = [];
  if (times.sampleCount === 0)
    throw new Error(
      'the profile has no samples: the recording was shorter than one sampling interval, or the target ran no JavaScript; record again for longer',
    );
  const sampled = times.runtime.gcUs + times.runtime.idleUs + times.runtime.programUs + times.functions.reduce((a, f) => a + f.selfUs, 0);
  const totalUs = sampled || 1;
  if (times.runtime.idleUs / totalUs > 0.9)
    notes.push('the process was idle for over 90% of the profile: profile it under load (or it was paused in a debugger)');
  const bySelf = times.functions
    .filter((f) => f.selfUs > 0)
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, top);
  const byTotal = [...times.functions].sort((a, b) => b.totalUs - a.totalUs).slice(0, top);
  const pct = (us: number): number => round((100 * us) / totalUs);
  const bottomUp = await Promise.all(bySelf.map((t) => hotFunction(t, totalUs, mapper)));
  const topDown = await Promise.all(byTotal.map((t) => hotFunction(t, totalUs, mapper)));
  distrustScripts([...bottomUp, ...topDown]);
  return {
    kind: 'cpu',
    durationMs: round(times.durationUs / 1000),
    sampleCount: times.sampleCount,
    runtime: {
      gcMs: round(times.runtime.gcUs / 1000),
      idleMs: round(times.runtime.idleUs / 1000),
      programMs: round(times.runtime.programUs / 1000),
      gcPercent: pct(times.runtime.gcUs),
      idlePercent: pct(times.runtime.idleUs),
      programPercent: pct(times.runtime.programUs),
    },
    bottomUp,
    topDown,
    notes,
  };
}

export async function allocationReport(
  loaded: Extract<LoadedProfile, { kind: 'alloc' }>,
  mapper: CodeMapper,
  top: number,
): Promise<AllocationReport> {
  const totals = allocationTotals(loaded.profile);
  const notes = ['allocation sites are functions: V8 samples which function allocated, not the line inside it'];
  if (totals.aliveBytes === 0)
    notes.push(
      'nothing sampled is still alive: no allocation survived the sampling window (or it was too short for one sample per 32 KB allocated)',
    );
  const total = totals.aliveBytes || 1;
  const sites = await Promise.all(
    totals.sites.slice(0, top).map(async (s) => ({
      ...(await mapFunction(s.callFrame, mapper)),
      aliveBytes: s.aliveBytes,
      percent: round((100 * s.aliveBytes) / total),
      callers: await Promise.all(s.callers.slice(0, 5).map((c) => mapFunction(c, mapper))),
    })),
  );
  distrustScripts([...sites, ...sites.flatMap((s) => s.callers)]);
  return { kind: 'alloc', aliveBytes: totals.aliveBytes, sampleCount: totals.sampleCount, sites, notes };
}

export function profileReport(loaded: LoadedProfile, mapper: CodeMapper, top = 20): Promise<ProfileReport> {
  return loaded.kind === 'cpu' ? cpuReport(loaded, mapper, top) : allocationReport(loaded, mapper, top);
}
