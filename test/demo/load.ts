// The demo's workload: checkout rushes on a low-stock SKU (the race), steady orders on
// the others, and restocks so the rush can happen again. Bounded in count and time.
import { orderRush, setStock } from './env';
import { browseOrderHistories, holdRowLock } from './dbLoad';

export interface WorkloadOptions {
  apiUrl: string;
  databaseUrl: string;
  /** Stop after this many rounds (default: until stopped). */
  rounds?: number;
  intervalMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export async function runWorkload(options: WorkloadOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  const interval = options.intervalMs ?? 3000;
  for (let round = 0; options.rounds === undefined || round < options.rounds; round++) {
    if (options.signal?.aborted) return;
    // Restock both SKUs each round: the rush needs a little stock to race over, and the
    // steady orders must not run dry and turn into "out of stock" noise.
    await setStock(options.databaseUrl, 'SKU-1001', 5);
    await setStock(options.databaseUrl, 'SKU-1002', 100);
    const rush = await orderRush(options.apiUrl, { sku: 'SKU-1001', orders: 30 });
    const steady = await orderRush(options.apiUrl, { sku: 'SKU-1002', orders: 5 });
    // For the PostgreSQL panel: slow order histories, and every third round a stock audit
    // that holds SKU-1003's row while checkouts of it wait (a blocking chain).
    await browseOrderHistories(options.apiUrl);
    if (round % 3 === 0) {
      const audit = await holdRowLock(options.databaseUrl, 'SKU-1003', 8000, options.signal);
      void orderRush(options.apiUrl, { sku: 'SKU-1003', orders: 2 }).catch(() => undefined);
      void audit.done;
    }
    // A line every tenth round is enough to see it is alive without drowning the terminal.
    if (round % 10 === 0) log(`round ${round + 1}: rush ${JSON.stringify(rush.statuses)}, steady ${JSON.stringify(steady.statuses)}`);
    await new Promise<void>((resolve) => {
      // One listener per wait, removed when the wait ends (the signal outlives every round).
      const stop = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', stop);
        resolve();
      };
      const timer = setTimeout(stop, interval);
      options.signal?.addEventListener('abort', stop, { once: true });
    });
  }
}

if (require.main === module) {
  const [apiUrl, databaseUrl = process.env.DATABASE_URL, rounds = '10'] = process.argv.slice(2);
  if (!apiUrl || !databaseUrl) {
    process.stderr.write('usage: npm run demo:load -- API_URL [DATABASE_URL] [ROUNDS]   (DATABASE_URL may come from the environment)\n');
    process.exit(2);
  }
  runWorkload({ apiUrl, databaseUrl, rounds: Number(rounds), log: (l) => process.stdout.write(`${l}\n`) }).catch((err: unknown) => {
    process.stderr.write(`load: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
