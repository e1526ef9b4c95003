// Entry point of the `forensics` binary (bundled to dist/cli.js).
import { runCli } from './framework';
import { commands } from './commands';
import { version } from '../../package.json';

export function main(argv: string[]): Promise<number> {
  return runCli(commands, argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() }, version);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { process.stderr.write(`forensics: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
  );
}
