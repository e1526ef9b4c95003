// The database side of the demo's workload, for the PostgreSQL panel: customers' order
// histories (an N+1 loop over a column without an index) and a stock audit that holds a
// row lock for a while, so checkouts of that SKU queue behind it as a blocking chain.
import { get } from 'node:http';
import { Client } from 'pg';

/** GET /orders?email=… for some customers: one lookup by customer_email plus one query per order. */
export async function browseOrderHistories(apiUrl: string, customers = 7): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < customers; i++) {
    statuses.push(
      await new Promise<number>((resolve) => {
        const req = get(`${apiUrl}/orders?email=${encodeURIComponent(`customer${i}@example.com`)}`, { timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(0));
      }),
    );
  }
  return statuses;
}

/**
 * A "stock audit" that locks a SKU's row (SELECT … FOR UPDATE) in an open transaction for
 * `holdMs`, then rolls back. Resolves with its backend pid once the lock is held; `done`
 * settles when it let go.
 */
export async function holdRowLock(
  databaseUrl: string,
  sku: string,
  holdMs: number,
  signal?: AbortSignal,
): Promise<{ pid: number; done: Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'stock-audit' });
  client.on('error', () => undefined);
  await client.connect();
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  await client.query('BEGIN');
  await client.query('SELECT sku, stock FROM inventory WHERE sku = $1 FOR UPDATE', [sku]);
  const done = new Promise<void>((resolve) => {
    const release = () => {
      clearTimeout(timer);
      // Remove the abort listener once released: the workload runs for hours on one signal.
      signal?.removeEventListener('abort', release);
      void client
        .query('ROLLBACK')
        .catch(() => undefined)
        .finally(
          () =>
            void client
              .end()
              .catch(() => undefined)
              .finally(resolve),
        );
    };
    const timer = setTimeout(release, holdMs);
    signal?.addEventListener('abort', release, { once: true });
  });
  return { pid, done };
}
