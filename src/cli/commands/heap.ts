// `forensics heap …`: capture snapshots through the inspector, list local Node
// processes, diff two snapshots and run the three-snapshot leak check. `--fail-on-growth`
// makes diff/leaks a CI gate: exit 3 when retained growth exceeds the size given.
import { join, resolve } from 'node:path';
import { analyseSnapshots } from '../../core/heap/analyse';
import { captureHeapSnapshot, captureSeries, SERIES_LABELS, type CaptureTimeouts } from '../../core/heap/capture';
import { writeSeriesRecord } from '../../core/heap/sessionRecord';
import { isAbortError } from '../../core/heap/cancel';
import { formatBytes, parseSize, signedBytes, signedCount } from '../../core/heap/format';
import { listNodeProcesses } from '../../core/heap/processes';
import type { HeapComparison } from '../../core/heap/report';
import {
  CliError,
  interruptedExitCode,
  intOption,
  requireString,
  stringOption,
  type CliCommand,
  type CliIO,
  type OptionValues,
} from '../framework';
import { checkOutFile, FORCE_OPTION } from '../outFile';

const GATE_EXIT = 3;

function progressLine(io: CliIO, text: string): void {
  if ((io.stderr as NodeJS.WriteStream).isTTY) io.stderr.write(`\r${text.padEnd(60)}`);
}

const capture: CliCommand = {
  path: ['heap', 'capture'],
  summary:
    'Takes a heap snapshot of a running Node process through its inspector (start it with --inspect) and streams it to a file. With --series: baseline, target and final snapshots --interval seconds apart, in one session.',
  usage:
    '[--inspect HOST:PORT] (--out FILE | --series --out-dir DIR [--interval SECONDS] [--prefix NAME]) [--force] [--timeout SECONDS] [--target ID] [--json]',
  options: {
    inspect: { type: 'string' },
    out: { type: 'string' },
    target: { type: 'string' },
    series: { type: 'boolean' },
    'out-dir': { type: 'string' },
    interval: { type: 'string' },
    prefix: { type: 'string' },
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    ...FORCE_OPTION,
  },
  async run({ values, io }) {
    const address = stringOption(values, 'inspect');
    const force = values.force === true;
    // --timeout: the longest silence accepted from the inspector, for a command's reply and
    // between snapshot chunks alike (a big heap may take minutes in all, never minutes mute).
    const timeoutMs = intOption(values, 'timeout', 0) * 1000;
    if (values.timeout !== undefined && timeoutMs === 0) throw new CliError('--timeout takes a number of seconds of at least 1', 2);
    const timeouts: CaptureTimeouts = timeoutMs ? { commandTimeoutMs: timeoutMs, stallTimeoutMs: timeoutMs } : {};
    // Every file is checked before connecting: a bad --out must not cost a whole snapshot.
    const outDir = values.series ? resolve(io.cwd, requireString(values, 'out-dir', 'the folder for the three snapshots')) : undefined;
    const prefix = stringOption(values, 'prefix') ?? `heap-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const outFile = outDir ? undefined : resolve(io.cwd, requireString(values, 'out', 'the .heapsnapshot file to write'));
    if (outFile) await checkOutFile(outFile, '--out', force);
    else for (const label of SERIES_LABELS) await checkOutFile(join(outDir!, `${prefix}-${label}.heapsnapshot`), '--out-dir', force);
    const onProgress =
      (label: string) =>
      (p: { phase: string; done: number; total: number; bytesWritten: number }): void =>
        progressLine(io, `${label}: ${p.phase} ${p.total ? Math.round((100 * p.done) / p.total) : 0}% ${formatBytes(p.bytesWritten)}`);
    const signal = io.signal;
    const onInterrupt = (): void =>
      void io.stderr.write(
        '\nforensics: cancelling; the process finishes the snapshot it has started before the inspector disconnects (cutting it off can crash it). A second Ctrl-C (or SIGTERM) quits at once.\n',
      );
    signal?.addEventListener('abort', onInterrupt, { once: true });
    try {
      const results = values.series
        ? await captureSeries({
            address,
            signal,
            targetId: stringOption(values, 'target'),
            outDir: outDir!,
            prefix,
            timeouts,
            intervalMs: intOption(values, 'interval', 30) * 1000,
            onProgress: (label, _i, p) => onProgress(label)(p),
            onWait: (label, ms) => progressLine(io, `waiting ${Math.ceil(ms / 1000)} s before the ${label} snapshot`),
          })
        : [
            await captureHeapSnapshot({
              address,
              targetId: stringOption(values, 'target'),
              outFile: outFile!,
              onProgress: onProgress('snapshot'),
              signal,
              timeouts,
            }),
          ];
      progressLine(io, '');
      // One record per series: a later diff then knows the three files share one inspector
      // session and matches them by object id, however much of a busy heap was replaced.
      if (values.series)
        await writeSeriesRecord(
          outDir!,
          prefix,
          results.map((r, i) => ({ ...r, label: SERIES_LABELS[i]! })),
        );
      if (values.json)
        io.stdout.write(
          `${JSON.stringify(
            results.map((r) => ({ file: r.file, bytes: r.bytes, target: r.target.title, durationMs: r.durationMs })),
            null,
            2,
          )}\n`,
        );
      else
        for (const r of results)
          io.stdout.write(`${r.file}  ${formatBytes(r.bytes)} in ${(r.durationMs / 1000).toFixed(1)} s  (${r.target.title})\n`);
      return 0;
    } catch (err) {
      if (isAbortError(err)) throw new CliError('heap capture cancelled; no snapshot file was left behind', interruptedExitCode(signal));
      throw new CliError((err as Error).message);
    } finally {
      signal?.removeEventListener('abort', onInterrupt);
    }
  },
};

const processes: CliCommand = {
  path: ['heap', 'processes'],
  summary: 'Lists the Node processes of this machine (Linux) and the inspector address of those that have one.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  async run({ values, io }) {
    const list = await listNodeProcesses();
    if (values.json) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0) io.stdout.write('no Node processes found (the list is read from /proc, on Linux)\n');
    else
      for (const p of list)
        io.stdout.write(`${String(p.pid).padStart(7)}  ${(p.inspector ?? 'no inspector').padEnd(21)}  ${p.commandLine.slice(0, 100)}\n`);
    return 0;
  },
};

function row(cols: string[], widths: number[]): string {
  return cols
    .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
    .join('  ')
    .trimEnd();
}

export function renderComparison(report: HeapComparison, top: number): string {
  const lines: string[] = [];
  lines.push(report.snapshots.map((s) => `${s.label}: ${formatBytes(s.totalSize)} (${s.nodeCount} objects)`).join('  ->  '));
  if (report.note) lines.push(`note: ${report.note}`);
  lines.push(`retained growth: ${formatBytes(report.totals.retainedGrowth)}`, '');
  const widths = [36, 9, 11, 11, 13];
  lines.push(row(['class', 'count', 'self size', 'retained', 'new retained'], widths));
  for (const c of report.classes.slice(0, top)) {
    lines.push(
      row(
        [
          c.name.slice(0, 36),
          signedCount(c.countDelta),
          signedBytes(c.selfSizeDelta),
          signedBytes(c.retainedSizeDelta),
          formatBytes(c.addedRetainedSize),
        ],
        widths,
      ),
    );
  }
  if (report.leaks) {
    lines.push('', 'Leak check: allocated between baseline and target, still alive in final');
    lines.push(row(['class', 'count', 'self size', 'retained', ''], widths));
    for (const c of report.leaks.classes.slice(0, top))
      lines.push(row([c.name.slice(0, 36), String(c.count), formatBytes(c.selfSize), formatBytes(c.retainedSize), ''], widths));
    if (report.leaks.paths.length) lines.push('', 'Retained by:');
    for (const p of report.leaks.paths) lines.push(`  ${p.path}  (${p.count} objects, ${formatBytes(p.retainedSize)})`);
    if (report.leaks.culprits.length) lines.push('', 'Suspects:', ...report.leaks.culprits.map((c) => `  - ${c}`));
  } else {
    const paths = report.classes.slice(0, 3).flatMap((c) => c.paths.slice(0, 1));
    if (paths.length) lines.push('', 'Retained by:', ...paths.map((p) => `  ${p.path}  (${p.count} sampled objects)`));
  }
  return `${lines.join('\n')}\n`;
}

async function compareCommand(values: OptionValues, positionals: string[], io: CliIO): Promise<number> {
  const files = positionals.map((f) => resolve(io.cwd, f));
  const gateText = stringOption(values, 'fail-on-growth');
  let gate: number | undefined;
  try {
    gate = gateText === undefined ? undefined : parseSize(gateText);
  } catch (err) {
    throw new CliError(`--fail-on-growth: ${(err as Error).message}`, 2);
  }
  let report: HeapComparison;
  try {
    report = await analyseSnapshots(
      { files },
      { onProgress: (p) => progressLine(io, `${p.stage} ${p.file.split(/[\\/]/).pop()} ${Math.round(p.fraction * 100)}%`) },
    );
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  progressLine(io, '');
  const top = intOption(values, 'top', 15);
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(renderComparison(report, top));
  if (gate !== undefined && report.totals.retainedGrowth > gate) {
    const suspects = report.leaks?.culprits.length
      ? report.leaks.culprits
      : report.classes
          .slice(0, 3)
          .map((c) => `${c.name}: ${signedCount(c.countDelta)} objects, ${formatBytes(c.addedRetainedSize)} retained`);
    io.stderr.write(
      `forensics: retained growth ${formatBytes(report.totals.retainedGrowth)} exceeds ${formatBytes(gate)}; suspects:\n${suspects.map((s) => `  - ${s}`).join('\n')}\n`,
    );
    return GATE_EXIT;
  }
  return 0;
}

const compareOptions = { top: { type: 'string' }, json: { type: 'boolean' }, 'fail-on-growth': { type: 'string' } } as const;

const diff: CliCommand = {
  path: ['heap', 'diff'],
  summary:
    'Compares two heap snapshots (or three: baseline, target, final, adding the leak check): classes that grew, by count, self and retained size, with their retainer paths. --fail-on-growth SIZE exits 3 when retained growth exceeds SIZE.',
  usage: 'BASE TARGET [FINAL] [--top N] [--json] [--fail-on-growth SIZE]',
  options: compareOptions,
  maxPositionals: 3,
  run({ values, positionals, io }) {
    if (positionals.length < 2) throw new CliError('give two or three .heapsnapshot files: BASE TARGET [FINAL]', 2);
    return compareCommand(values, positionals, io);
  },
};

const leaks: CliCommand = {
  path: ['heap', 'leaks'],
  summary:
    'The three-snapshot leak check: objects allocated between baseline and target that are still alive in final, grouped by class and retainer path, with the likely culprit in words.',
  usage: 'BASELINE TARGET FINAL [--top N] [--json] [--fail-on-growth SIZE]',
  options: compareOptions,
  maxPositionals: 3,
  run({ values, positionals, io }) {
    if (positionals.length !== 3) throw new CliError('give three .heapsnapshot files of one process: BASELINE TARGET FINAL', 2);
    return compareCommand(values, positionals, io);
  },
};

export const heapCommands: CliCommand[] = [capture, processes, diff, leaks];
