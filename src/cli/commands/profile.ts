// `forensics profile …`: record a CPU profile or allocation sampling from a running Node
// process for N seconds (never pausing it) into the standard files DevTools and VS Code
// open, and show either kind of file mapped to the workspace's code.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isAbortError } from '../../core/heap/cancel';
import { formatBytes } from '../../core/heap/format';
import { captureAllocationProfile, captureCpuProfile, MAX_SECONDS, type RecordResult } from '../../core/profiles/capture';
import { codeMapper } from '../../core/profiles/codeMap';
import { readProfileFile } from '../../core/profiles/readProfile';
import { profileReport } from '../../core/profiles/report';
import { parseMappingArgs } from '../../core/stack/pathResolve';
import { WorkspaceIndex } from '../../core/stack/workspaceIndex';
import { CliError, intOption, requireString, stringList, stringOption, type CliCommand, type CliIO, type OptionValues } from '../framework';
import { renderAllocationReport, renderCpuReport } from './profileFormat';

export function positiveNumber(values: OptionValues, name: string, fallback?: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) {
    if (fallback === undefined) throw new CliError(`missing --${name}`, 2);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${name} takes a number above 0, got "${raw}"`, 2);
  return n;
}

export function recordingSeconds(values: OptionValues): number {
  const seconds = positiveNumber(values, 'seconds');
  if (seconds > MAX_SECONDS)
    throw new CliError(`--seconds ${seconds} exceeds the ${MAX_SECONDS} s cap (10 minutes); record several shorter profiles instead`, 2);
  return seconds;
}

function progress(io: CliIO, text: string): void {
  if ((io.stderr as NodeJS.WriteStream).isTTY) io.stderr.write(`\r${text.padEnd(60)}`);
}

/** Runs a recording with Ctrl-C as a clean stop: the profiler is stopped, the process keeps running, no file is written. */
export async function withCleanStop<T>(io: CliIO, what: string, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const signal = io.signal;
  const onInterrupt = (): void =>
    void io.stderr.write(`\nforensics: cancelling; stopping the ${what} (the process keeps running). Ctrl-C again quits at once.\n`);
  signal?.addEventListener('abort', onInterrupt, { once: true });
  try {
    return await run(signal);
  } catch (err) {
    if (isAbortError(err)) throw new CliError(`${what} cancelled; the process keeps running and no file was written`, 130);
    throw new CliError((err as Error).message);
  } finally {
    signal?.removeEventListener('abort', onInterrupt);
    progress(io, '');
  }
}

function printRecording(io: CliIO, values: OptionValues, result: RecordResult & { samples: number }): number {
  if (values.json)
    io.stdout.write(
      `${JSON.stringify({ file: result.file, bytes: result.bytes, samples: result.samples, durationMs: result.durationMs, target: result.target.title, settings: result.settings, notes: result.notes }, null, 2)}\n`,
    );
  else {
    for (const n of result.notes) io.stderr.write(`forensics: note: ${n}\n`);
    io.stdout.write(
      `${result.file}  ${formatBytes(result.bytes)}, ${result.samples} samples in ${(result.durationMs / 1000).toFixed(1)} s  (${result.target.title})\n`,
    );
  }
  return 0;
}

const recordOptions = {
  inspect: { type: 'string' },
  seconds: { type: 'string' },
  out: { type: 'string' },
  target: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const cpu: CliCommand = {
  path: ['profile', 'cpu'],
  summary: `Records a CPU profile of a running Node process through its inspector for N seconds (at most ${MAX_SECONDS}) without pausing it, into a .cpuprofile that DevTools and VS Code open. Ctrl-C stops the profiler and writes nothing.`,
  usage: '--inspect HOST:PORT --seconds N --out FILE.cpuprofile [--interval-us MICROSECONDS] [--target ID] [--json]',
  options: { ...recordOptions, 'interval-us': { type: 'string' } },
  async run({ values, io }) {
    const seconds = recordingSeconds(values);
    const outFile = resolve(io.cwd, requireString(values, 'out', 'the .cpuprofile file to write'));
    const intervalUs = positiveNumber(values, 'interval-us', 1000);
    const result = await withCleanStop(io, 'CPU profile', (signal) =>
      captureCpuProfile({
        address: stringOption(values, 'inspect'),
        targetId: stringOption(values, 'target'),
        seconds,
        outFile,
        intervalUs,
        signal,
        onTick: (s) => progress(io, `profiling: ${s} s left`),
      }),
    );
    return printRecording(io, values, result);
  },
};

const alloc: CliCommand = {
  path: ['profile', 'alloc'],
  summary: `Samples allocations of a running Node process for N seconds (at most ${MAX_SECONDS}); objects collected meanwhile are left out, so the .heapprofile holds what survived, by allocating function. One full GC runs before the end, as a heap snapshot does.`,
  usage: '--inspect HOST:PORT --seconds N --out FILE.heapprofile [--interval-bytes BYTES] [--target ID] [--json]',
  options: { ...recordOptions, 'interval-bytes': { type: 'string' } },
  async run({ values, io }) {
    const seconds = recordingSeconds(values);
    const outFile = resolve(io.cwd, requireString(values, 'out', 'the .heapprofile file to write'));
    const intervalBytes = positiveNumber(values, 'interval-bytes', 32 * 1024);
    const result = await withCleanStop(io, 'allocation sampling', (signal) =>
      captureAllocationProfile({
        address: stringOption(values, 'inspect'),
        targetId: stringOption(values, 'target'),
        seconds,
        outFile,
        intervalBytes,
        signal,
        onTick: (s) => progress(io, `sampling: ${s} s left`),
      }),
    );
    return printRecording(io, values, result);
  },
};

const show: CliCommand = {
  path: ['profile', 'show'],
  summary:
    'Shows a .cpuprofile (hot functions by self and total time, the hot line and the call on it; GC and idle apart) or a .heapprofile (bytes still alive by allocating function), mapped to the workspace through path maps and source maps.',
  usage: 'FILE [--workspace DIR] [--map FROM=TO]... [--top N] [--json]',
  options: { workspace: { type: 'string' }, map: { type: 'string', multiple: true }, top: { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    if (positionals.length !== 1) throw new CliError('give one .cpuprofile or .heapprofile file', 2);
    const ws = resolve(io.cwd, stringOption(values, 'workspace') ?? '.');
    try {
      if (!statSync(ws).isDirectory()) throw new Error();
    } catch {
      throw new CliError(`--workspace ${ws} is not a folder`, 2);
    }
    let mappings;
    try {
      mappings = parseMappingArgs(stringList(values, 'map'));
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
    const top = intOption(values, 'top', 15) || 15;
    try {
      const loaded = await readProfileFile(resolve(io.cwd, positionals[0]!));
      const folders = [{ name: basename(ws), path: ws }];
      const mapper = codeMapper({ index: await WorkspaceIndex.build(folders), folders, mappings });
      const report = await profileReport(loaded, mapper, top);
      if (values.json) io.stdout.write(`${JSON.stringify({ workspace: ws, ...report }, null, 2)}\n`);
      else io.stdout.write(report.kind === 'cpu' ? renderCpuReport(report, ws) : renderAllocationReport(report, ws));
      return 0;
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  },
};

export const profileCommands: CliCommand[] = [cpu, alloc, show];
