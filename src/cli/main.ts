// Entry point of the `forensics` binary (bundled to dist/cli.js).
import { getEventListeners } from 'node:events';
import { runCli } from './framework';
import { commands } from './commands';
import { version } from '../../package.json';

/**
 * Ctrl-C quits at once, as usual, unless the running command listens to the signal to stop
 * cleanly (a heap capture must let the target finish its snapshot before disconnecting);
 * then the first Ctrl-C asks it to stop and a second one quits at once.
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted || getEventListeners(controller.signal, 'abort').length === 0) process.exit(130);
    controller.abort();
  });
  return controller.signal;
}

export function main(argv: string[]): Promise<number> {
  return runCli(commands, argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signal: interruptSignal() }, version);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { process.stderr.write(`forensics: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
  );
}
