// Real Node processes for the heap tests: started with --inspect=127.0.0.1:0 (the
// kernel picks a free port), the inspector address read from "Debugger listening on".
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export interface InspectedProcess {
  child: ChildProcessWithoutNullStreams;
  address: string;
  /** Sends one stdin command and resolves with its "ok …" answer. */
  command(line: string): Promise<string>;
  stop(): Promise<void>;
}

export const ordersApp = join(__dirname, 'fixtures', 'orders-app.js');

export function startInspected(script: string, args: string[] = [], nodeArgs = ['--inspect=127.0.0.1:0']): Promise<InspectedProcess> {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const lineWaiters: { resolve(line: string): void; reject(err: Error): void }[] = [];
  let exited: string | undefined;
  // A process that dies fails the command waiting on it, with how it died (not a test timeout).
  child.once('exit', (code, signal) => {
    exited = `${script} exited with ${signal ?? code}`;
    for (const waiter of lineWaiters.splice(0)) waiter.reject(new Error(exited));
  });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    let nl: number;
    while ((nl = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      lineWaiters.shift()?.resolve(line);
    }
  });
  const nextLine = (): Promise<string> =>
    exited ? Promise.reject(new Error(exited)) : new Promise((resolve, reject) => lineWaiters.push({ resolve, reject }));
  const ready = nextLine();
  ready.catch(() => undefined);
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not start: ${stderr}`));
    }, 15000);
    const inspectorListening = nodeArgs.some((a) => a === '--inspect' || a.startsWith('--inspect='));
    let started = false;
    const done = (address: string): void => {
      if (started) return;
      started = true;
      void ready.then(
        () => {
          clearTimeout(timer);
          resolve({
            child,
            address,
            command: (line) => {
              const answer = nextLine();
              child.stdin.write(`${line}\n`);
              return answer;
            },
            stop,
          });
        },
        () => undefined,
      ); // died before "ready": the exit handler below rejects
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /Debugger listening on ws:\/\/([^/]+)\//.exec(stderr);
      if (m && inspectorListening) done(m[1]!);
    });
    if (!inspectorListening) done('');
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${stderr}`));
    });
  });
}
