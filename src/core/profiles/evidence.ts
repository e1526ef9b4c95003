// Profiles as evidence for an investigation, in a small typed summary the triage can
// weigh without knowing profile formats: the hot functions with their workspace line and
// the call on it, the allocation sites that survive, and the memory verdict. The two
// corroborations the issue names are functions of these facts, so a caller asks
// "is the top self time JSON.parse under reserveStock?" rather than reading profiles.
import { relative } from 'node:path';
import type { AllocationReport, CpuReport } from './report';
import type { MemoryTrend, TrendVerdict } from './trend';

export interface CodePlace {
  /** Workspace-relative, `/`-separated. */
  file: string;
  line: number;
  text?: string;
}

export interface CpuFacts {
  kind: 'cpu';
  durationMs: number;
  gcPercent: number;
  idlePercent: number;
  hot: { function: string; selfPercent: number; selfMs: number; place?: CodePlace; hotLine?: CodePlace; hotCall?: string }[];
}

export interface AllocationFacts {
  kind: 'alloc';
  aliveBytes: number;
  sites: { function: string; aliveBytes: number; percent: number; place?: CodePlace; calledFrom: string[] }[];
}

export interface MemoryTrendFacts {
  kind: 'memory-trend';
  verdict: TrendVerdict;
  slopeMBPerMin: number;
  summary: string;
}

export type ProfileFacts = CpuFacts | AllocationFacts | MemoryTrendFacts;

function place(root: string, loc: { file: string; line: number; text?: string } | undefined): CodePlace | undefined {
  return loc ? { file: relative(root, loc.file).split(/[\\/]/).join('/'), line: loc.line, text: loc.text } : undefined;
}

export function cpuFacts(report: CpuReport, workspaceRoot: string, top = 5): CpuFacts {
  return {
    kind: 'cpu',
    durationMs: report.durationMs,
    gcPercent: report.runtime.gcPercent,
    idlePercent: report.runtime.idlePercent,
    hot: report.bottomUp.slice(0, top).map((f) => ({
      function: f.name,
      selfPercent: f.selfPercent,
      selfMs: f.selfMs,
      place: place(workspaceRoot, f.location),
      hotLine: place(workspaceRoot, f.hotLine?.location),
      hotCall: f.hotCall,
    })),
  };
}

export function allocationFacts(report: AllocationReport, workspaceRoot: string, top = 5): AllocationFacts {
  return {
    kind: 'alloc',
    aliveBytes: report.aliveBytes,
    sites: report.sites.slice(0, top).map((s) => ({
      function: s.name,
      aliveBytes: s.aliveBytes,
      percent: s.percent,
      place: place(workspaceRoot, s.location),
      calledFrom: s.callers.map((c) => c.name),
    })),
  };
}

export function memoryTrendFacts(trend: MemoryTrend): MemoryTrendFacts {
  return { kind: 'memory-trend', verdict: trend.verdict, slopeMBPerMin: trend.slopeMBPerMin, summary: trend.summary };
}

/**
 * The repeated-parse corroboration: the function with the most self time is `fn` and its
 * hot line calls `call` (JSON.parse by default). Returns the line, or undefined.
 */
export function topSelfCallUnder(facts: CpuFacts, fn: string, call = 'JSON.parse'): (CodePlace & { selfPercent: number }) | undefined {
  const top = facts.hot[0];
  if (!top || top.function !== fn || top.hotCall !== call || !top.hotLine) return undefined;
  return { ...top.hotLine, selfPercent: top.selfPercent };
}

/**
 * The leak corroboration: memory grows steadily and an allocation site in the workspace
 * holds the most surviving bytes. Returns that site's place, or undefined.
 */
export function leakSite(
  trend: MemoryTrendFacts,
  alloc: AllocationFacts,
): (CodePlace & { function: string; aliveBytes: number }) | undefined {
  if (trend.verdict !== 'steady-growth') return undefined;
  const site = alloc.sites.find((s) => s.place);
  return site?.place ? { ...site.place, function: site.function, aliveBytes: site.aliveBytes } : undefined;
}
