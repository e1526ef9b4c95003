// `forensics stack resolve` (a raw trace or a Sentry event → files in a workspace) and
// `forensics changes FILE:LINE` (blame, line history and the commits before an incident).
import { readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { CliError, requireString, stringList, stringOption, type CliCommand, type CliIO, type OptionValues } from '../framework';
import type { ExceptionInfo } from '../../core/model/frame';
import { parseStackTrace } from '../../core/stack/parseTrace';
import { exceptionsFromEvent } from '../../core/stack/eventJson';
import { parseMappingArgs } from '../../core/stack/pathResolve';
import { WorkspaceIndex } from '../../core/stack/workspaceIndex';
import { resolveFrame, type FrameResolution } from '../../core/stack/resolveFrame';
import { describeFrameLocation, relativeTime } from '../../core/stack/format';
import { fileTextAtRelease } from '../../core/git/release';
import { markerLabel, recentChanges } from '../../core/git/changes';

function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((res, rej) => {
    let text = '';
    stdin.setEncoding('utf8');
    stdin.on('data', (d: string) => (text += d));
    stdin.on('end', () => res(text));
    stdin.on('error', rej);
  });
}

function workspaceDir(values: OptionValues, io: CliIO): string {
  const dir = resolve(io.cwd, requireString(values, 'workspace', 'the folder holding the source code'));
  try {
    if (!statSync(dir).isDirectory()) throw new Error();
  } catch {
    throw new CliError(`--workspace ${dir} is not a folder`, 2);
  }
  return dir;
}

function loadEvent(path: string): { exceptions: ExceptionInfo[]; release?: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read event ${path}: ${(err as Error).message}`, 2);
  }
  try {
    return exceptionsFromEvent(json);
  } catch (err) {
    throw new CliError(`${path}: ${(err as Error).message}`, 2);
  }
}

function showPath(ws: string, file: string): string {
  const rel = relative(ws, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function describeResolution(ws: string, r: FrameResolution): string {
  if (r.status === 'unresolved') return `unresolved: ${r.reason}`;
  const parts = [`${showPath(ws, r.file ?? '')}${r.line !== undefined ? `:${r.line}` : ''}${r.column !== undefined ? `:${r.column}` : ''}`];
  if (r.generated) parts.push(`(source map from ${showPath(ws, r.generated.file)}:${r.generated.line}:${r.generated.column})`);
  if (r.via === 'suffix' && r.matchedSegments === 1) parts.push('(matched by file name only)');
  if (r.alsoMatched?.length) parts.push(`(also matched ${r.alsoMatched.map((f) => showPath(ws, f)).join(', ')})`);
  if (r.drift && r.drift.status !== 'unchanged') parts.push(`(${r.drift.message})`);
  if (r.reason) parts.push(`(${r.reason})`);
  return parts.join(' ');
}

/** When the trace had more frames than were kept: how many, and which ones were kept. */
function framesKeptNote(e: ExceptionInfo): { totalFrames?: number; omittedFrames?: number; note?: string } {
  if (!e.omittedFrames) return {};
  const total = e.frames.length + e.omittedFrames;
  return {
    totalFrames: total,
    omittedFrames: e.omittedFrames,
    note: `${total} frames, ${e.frames.length} kept: the innermost frame and the innermost in-app ones first, then the closest to the failure; ${e.omittedFrames} not kept`,
  };
}

const stackResolve: CliCommand = {
  path: ['stack', 'resolve'],
  summary:
    'Resolves each frame of a raw stack trace (stdin) or a Sentry event (--event) to a file, line and column in the workspace, through path maps and source maps.',
  usage: '--workspace DIR [--map FROM=TO]... [--event FILE.json] [--release REL] [--json]',
  options: {
    workspace: { type: 'string' },
    map: { type: 'string', multiple: true },
    event: { type: 'string' },
    release: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, io }) {
    const ws = workspaceDir(values, io);
    let mappings;
    try {
      mappings = parseMappingArgs(stringList(values, 'map'));
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
    const eventPath = stringOption(values, 'event');
    let exceptions: ExceptionInfo[];
    let release = stringOption(values, 'release');
    if (eventPath) {
      const event = loadEvent(resolve(io.cwd, eventPath));
      exceptions = event.exceptions;
      release ??= event.release;
    } else {
      exceptions = parseStackTrace(await readStdin(io.stdin));
    }
    if (exceptions.every((e) => e.frames.length === 0)) {
      throw new CliError(
        'no stack frames found: pipe a trace with lines like "at fn (file.js:10:5)" on stdin, or pass --event FILE.json',
        2,
      );
    }
    const index = await WorkspaceIndex.build([{ path: ws, name: basename(ws) }]);
    const ctx = {
      index,
      folders: [{ name: basename(ws), path: ws }],
      mappings,
      textAtRelease: release ? (file: string) => fileTextAtRelease(file, release) : undefined,
    };
    const results = [];
    for (const e of exceptions) {
      const frames = [];
      for (const f of e.frames) frames.push(await resolveFrame(f, ctx));
      results.push({ type: e.type, value: e.value, ...framesKeptNote(e), frames });
    }
    if (values.json) {
      io.stdout.write(JSON.stringify({ workspace: ws, release, exceptions: results }, null, 2) + '\n');
      return 0;
    }
    // Innermost frame first, as a trace reads.
    for (const e of [...results].reverse()) {
      io.stdout.write(`${e.type}${e.value ? `: ${e.value.split('\n')[0]}` : ''}\n`);
      if (e.note) io.stdout.write(`  (${e.note})\n`);
      for (const r of [...e.frames].reverse()) {
        io.stdout.write(`  ${r.frame.inApp ? '*' : ' '} ${describeFrameLocation(r.frame)}\n      -> ${describeResolution(ws, r)}\n`);
      }
    }
    return 0;
  },
};

function parseFileLine(spec: string | undefined): { file: string; line: number } {
  const m = spec ? /^(.*):(\d+)$/.exec(spec) : null;
  if (!m || !m[1]) throw new CliError('expected FILE:LINE, e.g. src/orders/reserve.ts:42', 2);
  return { file: m[1], line: Number(m[2]) };
}

const changes: CliCommand = {
  path: ['changes'],
  summary:
    'Shows the blame around a line and the commits that changed it or its file before an incident, marked "introduced this line", "in the window before first seen" and "shipped in release X".',
  usage: 'FILE:LINE --workspace DIR [--since ISO-DATE] [--first-seen ISO-DATE] [--release REL] [--json]',
  options: {
    workspace: { type: 'string' },
    since: { type: 'string' },
    'first-seen': { type: 'string' },
    release: { type: 'string' },
    json: { type: 'boolean' },
  },
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const ws = workspaceDir(values, io);
    const { file, line } = parseFileLine(positionals[0]);
    const abs = resolve(ws, file);
    for (const name of ['since', 'first-seen']) {
      const v = stringOption(values, name);
      if (v !== undefined && Number.isNaN(Date.parse(v))) throw new CliError(`--${name} takes an ISO date like 2026-11-17, got "${v}"`, 2);
    }
    const report = await recentChanges({
      file: abs,
      line,
      workspace: [ws],
      since: stringOption(values, 'since'),
      firstSeen: stringOption(values, 'first-seen'),
      release: stringOption(values, 'release'),
    });
    if (!report.ok) throw new CliError(report.reason);
    if (values.json) {
      io.stdout.write(
        JSON.stringify({ ...report, commits: report.commits.map((c) => ({ ...c, markerLabels: c.markers.map(markerLabel) })) }, null, 2) +
          '\n',
      );
      return 0;
    }
    io.stdout.write(`${report.relPath}:${report.line} in ${report.repoRoot}\n\nBlame:\n`);
    for (const b of report.blame) {
      io.stdout.write(
        `${b.line === line ? '>' : ' '} ${String(b.line).padStart(5)}  ${b.commit.shortSha}  ${b.commit.authorName.padEnd(16).slice(0, 16)}  ${b.content}\n`,
      );
    }
    io.stdout.write('\nCommits:\n');
    if (report.commits.length === 0) io.stdout.write('  (none)\n');
    for (const c of report.commits) {
      const marks = c.markers.map(markerLabel).join('; ');
      io.stdout.write(
        `  ${c.shortSha}  ${c.date.slice(0, 10)} (${relativeTime(c.date)})  ${c.authorName}  ${c.subject}${marks ? `  [${marks}]` : ''}\n`,
      );
    }
    for (const n of report.notes) io.stdout.write(`\nnote: ${n}\n`);
    return 0;
  },
};

export const stackCommands: readonly CliCommand[] = [stackResolve, changes];
