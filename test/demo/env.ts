// The demo environment's moving parts, each a small function the demo launcher and the
// tests share: the database with the checkout-api schema, the service itself (a real Node
// process, optionally with the inspector open), and the load that makes the race happen.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { Client } from 'pg';
import { startPostgres, freePort, type TestPostgres } from '../unit/harness/postgres';

const appDir = join(__dirname, 'app');
const repoRoot = join(__dirname, '..', '..');

export async function startDemoDatabase(): Promise<TestPostgres> {
  const pg = await startPostgres({ database: 'checkout' });
  await applyDemoSchema(pg.adminUrl);
  return pg;
}

export async function applyDemoSchema(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(readFileSync(join(appDir, 'schema.sql'), 'utf8'));
    await client.query(readFileSync(join(appDir, 'seed.sql'), 'utf8'));
  } finally {
    await client.end();
  }
}

export async function setStock(url: string, sku: string, stock: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('UPDATE inventory SET stock = $1 WHERE sku = $2', [stock, sku]);
  } finally {
    await client.end();
  }
}

export interface CheckoutApi {
  url: string;
  port: number;
  inspectPort?: number;
  process: ChildProcess;
  /** Everything the service wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface CheckoutApiOptions {
  /** Folder holding the service (the generated demo workspace, or test/demo/app). */
  dir?: string;
  databaseUrl: string;
  sentryDsn?: string;
  release?: string;
  environment?: string;
  /** Open the inspector on 127.0.0.1 at this port (0 picks a free one). */
  inspectPort?: number;
  port?: number;
}

export async function startCheckoutApi(options: CheckoutApiOptions): Promise<CheckoutApi> {
  const port = options.port ?? (await freePort());
  const inspectPort = options.inspectPort === 0 ? await freePort() : options.inspectPort;
  const args = [
    ...(inspectPort !== undefined ? [`--inspect=127.0.0.1:${inspectPort}`] : []),
    '--require',
    './src/instrument.js',
    'src/server.js',
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.dir ?? appDir,
    env: {
      ...process.env,
      // The service's own dependencies (pg, @sentry/node) come from the project's node_modules.
      NODE_PATH: join(repoRoot, 'node_modules'),
      DATABASE_URL: options.databaseUrl,
      SENTRY_DSN: options.sentryDsn ?? '',
      SENTRY_RELEASE: options.release ?? 'checkout-api@1.4.0',
      SENTRY_ENVIRONMENT: options.environment ?? 'production',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    // Generous: loading @sentry/node and pg on a busy 2-core CI machine has taken over 15 s.
    const timer = setTimeout(() => reject(new Error(`checkout-api did not start within 60 s:\n${stderr}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`checkout-api exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    inspectPort,
    process: child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  /** HTTP status → how many responses had it. */
  statuses: Record<number, number>;
  sent: number;
}

function postJson(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(data);
  });
}

/** Fires `orders` concurrent orders (bounded) for one SKU, as a checkout rush does. */
export async function orderRush(baseUrl: string, options: { sku: string; orders: number; quantity?: number }): Promise<LoadResult> {
  const statuses: Record<number, number> = {};
  const results = await Promise.allSettled(
    Array.from({ length: options.orders }, (_, i) =>
      postJson(`${baseUrl}/orders`, { sku: options.sku, quantity: options.quantity ?? 1, email: `customer${i % 7}@example.com` }),
    ),
  );
  for (const r of results) {
    const status = r.status === 'fulfilled' ? r.value : 0;
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return { statuses, sent: options.orders };
}
