// Runs the fixture app (fixtures/app/main.js) in a child process with the real
// @sentry/node SDK reporting to a local Sentry-compatible server.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const appDir = join(__dirname, 'fixtures', 'app');

export function runSdkApp(env: {
  dsn: string;
  release: string;
  environment: string;
  onlyOrders?: boolean;
  repeatOrders?: number;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = spawn(process.execPath, [join(appDir, 'main.js')], {
      env: {
        PATH: process.env.PATH,
        SENTRY_DSN: env.dsn,
        RELEASE: env.release,
        ENVIRONMENT: env.environment,
        ONLY_ORDERS: env.onlyOrders ? '1' : '0',
        REPEAT_ORDERS: String(env.repeatOrders ?? 3),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fixture app exited ${code}: ${stderr}`))));
  });
}
