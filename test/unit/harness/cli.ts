// Runs the `forensics` command table in-process with captured output, the way the bin runs
// it, so CLI tests see exactly what a user would see on stdout and stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { commands } from '../../../src/cli/commands';
import { runCli, type CliCommand } from '../../../src/cli/framework';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runForensics(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  options: { cwd?: string; table?: readonly CliCommand[] } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(
    options.table ?? commands,
    argv,
    { stdout, stderr, stdin: new PassThrough(), env, cwd: options.cwd ?? process.cwd() },
    '0.0.0',
  );
  return { code, out, err };
}

/** The `forensics` binary as a real process (from source), for what only a process has: signals, its own environment. */
export function spawnForensics(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; exited: Promise<{ code: number | null; out: string; err: string }> } {
  const main = join(__dirname, '../../../src/cli/main.ts');
  // tsx by absolute URL: the command runs in `cwd`, where `--import tsx` would not resolve.
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, main, ...argv], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, out, err })),
  );
  return { child, exited };
}
