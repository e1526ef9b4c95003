// Text rendering of profile reports for the terminal: paths relative to the workspace,
// the hot line with its text, and V8's own time (GC, idle, program) on its own line.
import { relative } from 'node:path';
import { formatBytes } from '../../core/heap/format';
import type { CodeLocation } from '../../core/profiles/codeMap';
import type { AllocationReport, CpuReport, HotFunction, MappedFunction } from '../../core/profiles/report';

function where(ws: string, f: MappedFunction): string {
  if (f.location) return `${relative(ws, f.location.file)}:${f.location.line}${f.unverified ? ', line unverified' : ''}`;
  return f.url ? `${f.url}:${f.line}` : '(native)';
}

function at(ws: string, loc: CodeLocation): string {
  return `${relative(ws, loc.file)}:${loc.line}`;
}

const ms = (n: number): string => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`;

function functionRows(ws: string, list: HotFunction[], withLines: boolean): string[] {
  const lines = [`  ${'self'.padStart(11)} ${'%'.padStart(6)} ${'total'.padStart(11)} ${'%'.padStart(6)}  function  (where)`];
  for (const f of list) {
    lines.push(
      `  ${ms(f.selfMs).padStart(11)} ${`${f.selfPercent}%`.padStart(6)} ${ms(f.totalMs).padStart(11)} ${`${f.totalPercent}%`.padStart(6)}  ${f.name}  (${where(ws, f)})`,
    );
    if (withLines && f.hotLine?.location && f.selfMs > 0) {
      const call = f.hotCall ? `, in ${f.hotCall}` : '';
      lines.push(
        `  ${''.padStart(38)}  hot line ${at(ws, f.hotLine.location)} (${ms(f.hotLine.ms)}${call}): ${f.hotLine.location.text ?? ''}`.trimEnd(),
      );
    }
  }
  return lines;
}

export function renderCpuReport(report: CpuReport, ws: string): string {
  const r = report.runtime;
  const lines = [
    `CPU profile: ${(report.durationMs / 1000).toFixed(1)} s, ${report.sampleCount.toLocaleString('en-US')} samples`,
    `V8 itself: (garbage collector) ${ms(r.gcMs)} ${r.gcPercent}%, (idle) ${ms(r.idleMs)} ${r.idlePercent}%, (program) ${ms(r.programMs)} ${r.programPercent}%`,
    ...report.notes.map((n) => `note: ${n}`),
    '',
    'Bottom-up (self time):',
    ...functionRows(ws, report.bottomUp, true),
    '',
    'Top-down (total time):',
    ...functionRows(ws, report.topDown, false),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderAllocationReport(report: AllocationReport, ws: string): string {
  const lines = [
    `Allocation sampling: ${formatBytes(report.aliveBytes)} sampled and still alive, ${report.sampleCount} samples`,
    ...report.notes.map((n) => `note: ${n}`),
    '',
    `  ${'alive'.padStart(9)} ${'%'.padStart(6)}  function  (where)  ← called from`,
  ];
  for (const s of report.sites) {
    const from = s.callers
      .slice(0, 3)
      .map((c) => `${c.name} (${where(ws, c)})`)
      .join(' ← ');
    lines.push(
      `  ${formatBytes(s.aliveBytes).padStart(9)} ${`${s.percent}%`.padStart(6)}  ${s.name}  (${where(ws, s)})${from ? `  ← ${from}` : ''}`,
    );
    if (s.location?.text) lines.push(`  ${''.padStart(16)}  ${s.location.text}`);
  }
  return `${lines.join('\n')}\n`;
}
