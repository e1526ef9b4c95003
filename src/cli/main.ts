// Entry point of the `forensics` binary (bundled to dist/cli.js).
import { getEventListeners } from 'node:events';
import { redactSecrets } from '../core/common/redactSecrets';
import { Interrupted, interruptExitCode, runCli } from './framework';
import { commands } from './commands';
import { version } from '../../package.json';

/**
 * Ctrl-C (SIGINT) and SIGTERM quit at once, as usual, unless the running command listens to
 * the signal to stop cleanly (a heap capture must let the target finish its snapshot before
 * disconnecting); then the first signal asks it to stop and a second one quits at once.
 * Either way the exit code is 128 + the signal's number (130, 143), as a shell reports a
 * process the signal ended, so scripts and supervisors see what happened.
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      const exitCode = interruptExitCode(name);
      if (controller.signal.aborted || getEventListeners(controller.signal, 'abort').length === 0) process.exit(exitCode);
      controller.abort(new Interrupted(name));
    });
  }
  return controller.signal;
}

export function main(argv: string[]): Promise<number> {
  return runCli(
    commands,
    argv,
    {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      cwd: process.cwd(),
      signal: interruptSignal(),
    },
    version,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(redactSecrets(`forensics: ${err instanceof Error ? err.message : String(err)}\n`));
      process.exitCode = 1;
    },
  );
}
