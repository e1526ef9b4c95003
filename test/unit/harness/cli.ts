// Runs the `forensics` command table in-process with captured output, the way the bin runs
// it, so CLI tests see exactly what a user would see on stdout and stderr.
import { PassThrough } from 'node:stream';
import { commands } from '../../../src/cli/commands';
import { runCli, type CliCommand } from '../../../src/cli/framework';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runForensics(argv: string[], env: NodeJS.ProcessEnv = {}, options: { cwd?: string; table?: readonly CliCommand[] } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(options.table ?? commands, argv, { stdout, stderr, stdin: new PassThrough(), env, cwd: options.cwd ?? process.cwd() }, '0.0.0');
  return { code, out, err };
}
