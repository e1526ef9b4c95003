// Runs the `forensics` command table in-process, as the binary would, capturing its output.
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/framework';
import { commands } from '../../../src/cli/commands';

export async function runForensics(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(commands, argv, { stdout, stderr, stdin: new PassThrough(), env, cwd: process.cwd() }, '0.0.0');
  return { code, out, err };
}
