// The only way the tool talks to PostgreSQL: a read-only session with short timeouts and
// an application_name that names the tool, opened for one job and closed after it, one at
// a time per target. Everything else in src/core/postgres takes a ReadOnlySession.
//
// Why it cannot write, by construction rather than by inspecting SQL text:
// - every statement goes through the extended query protocol (Parse/Bind/Execute), where
//   PostgreSQL itself refuses a string holding more than one command ("cannot insert
//   multiple commands into a prepared statement"), so nothing can ride along after a `;`;
// - every statement runs inside its own explicit BEGIN TRANSACTION READ ONLY … ROLLBACK:
//   a write is refused by the server, a procedure cannot COMMIT inside the block, and
//   whatever the statement changed in the session (a set_config) is rolled back;
// - statement_timeout and lock_timeout are set for the session before anything else runs.
import { Client, type QueryConfig, type QueryResultRow } from 'pg';
import type { ConnectionTarget } from './target';
import { describeConnectError, describeQueryError, PgForensicsError } from './errors';

export const APPLICATION_NAME = 'production-forensics';

/**
 * Marks the tool's own SQL so pg_stat_statements reports can leave it out. It goes after
 * the first keyword (`SELECT ${TOOL_TAG} …`): the server cuts comments before a
 * statement's first token from the text it records.
 */
export const TOOL_TAG = '/* production-forensics */';

export interface SessionSettings {
  /** statement_timeout of every statement the tool runs. */
  readonly statementTimeoutMs: number;
  /** lock_timeout: the tool never waits long behind anybody's lock. */
  readonly lockTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 10_000 };

export interface ReadOnlySession {
  readonly target: ConnectionTarget;
  readonly settings: SessionSettings;
  /** e.g. 180004 for 18.4 (server_version_num). */
  readonly serverVersionNum: number;
  /** The server's own version string, e.g. "18.4". */
  readonly serverVersion: string;
  /** The backend pid of this session (left out of activity and lock reports). */
  readonly pid: number;
  readonly usesTls: boolean;
  /** Runs one statement in its own read-only transaction; `what` names it in error messages. */
  query<R extends QueryResultRow>(what: string, sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs several statements in one read-only transaction, rolled back afterwards. */
  readOnlyTransaction<T>(what: string, job: (query: SessionQuery) => Promise<T>): Promise<T>;
}

/** One statement inside a read-only transaction (see `readOnlyTransaction`). */
export type SessionQuery = <R extends QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * node-postgres (8.20+) takes `queryMode: 'extended'` to use Parse/Bind/Execute even with
 * no parameters; @types/pg does not know the field yet.
 */
interface ExtendedQueryConfig extends QueryConfig {
  readonly queryMode: 'extended';
}

function extended(text: string, values: unknown[] = []): ExtendedQueryConfig {
  return { text, values, queryMode: 'extended' };
}

function validSettings(s: SessionSettings): SessionSettings {
  for (const [k, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v < 1 || v > 600_000)
      throw new PgForensicsError('invalid-input', `${k} must be a whole number of milliseconds between 1 and 600000 (got ${String(v)})`);
  }
  return s;
}

async function connectOnce(target: ConnectionTarget, settings: SessionSettings, useTls: boolean): Promise<Client> {
  const client = new Client({
    ...target.clientConfig(useTls),
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    // A client-side backstop in case the server cannot even cancel (e.g. a stalled network).
    query_timeout: settings.statementTimeoutMs + 5000,
  });
  // A server that terminates the session later must not crash the host process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

async function connect(target: ConnectionTarget, settings: SessionSettings): Promise<{ client: Client; usesTls: boolean }> {
  const order =
    target.tls === 'disable' ? [false] : target.tls === 'allow' ? [false, true] : target.tls === 'prefer' ? [true, false] : [true];
  let lastError: unknown;
  for (const useTls of order) {
    try {
      return { client: await connectOnce(target, settings, useTls), usesTls: useTls };
    } catch (err) {
      lastError = err;
      const tlsRefused = /does not support SSL/i.test((err as Error).message ?? '');
      const needsTls = (err as { code?: string }).code === '28000' && /no encryption/i.test((err as Error).message ?? '');
      if (!(tlsRefused || needsTls)) break;
    }
  }
  throw describeConnectError(lastError, target, settings.connectTimeoutMs);
}

/** Opens a read-only session; the caller must close it. Prefer `withSession`. */
export async function openSession(
  target: ConnectionTarget,
  requested: SessionSettings = DEFAULT_SESSION_SETTINGS,
): Promise<ReadOnlySession & { close(): Promise<void> }> {
  const settings = validSettings(requested);
  const { client, usesTls } = await connect(target, settings);
  const limits = settings;
  try {
    // Every later transaction is read-only; statements and lock waits are cut short.
    // Outside any transaction on purpose: these are the session's own settings.
    const [info] = (
      await client.query<{ num: string; version: string; pid: number; ro: string }>(
        extended(
          `SELECT ${TOOL_TAG} set_config('default_transaction_read_only', 'on', false) AS ro,
              set_config('statement_timeout', $1, false),
              set_config('lock_timeout', $2, false),
              set_config('idle_in_transaction_session_timeout', $1, false),
              current_setting('server_version_num') AS num,
              current_setting('server_version') AS version,
              pg_backend_pid() AS pid`,
          [`${settings.statementTimeoutMs}ms`, `${settings.lockTimeoutMs}ms`],
        ),
      )
    ).rows;
    if (info.ro !== 'on')
      throw new PgForensicsError('other', 'the server did not accept default_transaction_read_only=on; refusing to continue');
    const readOnlyTransaction = async <T>(what: string, job: (query: SessionQuery) => Promise<T>): Promise<T> => {
      try {
        await client.query(extended(`BEGIN ${TOOL_TAG} TRANSACTION READ ONLY`));
        try {
          return await job(
            async <R extends QueryResultRow>(sql: string, params?: unknown[]) => (await client.query<R>(extended(sql, params))).rows,
          );
        } finally {
          // After a failed statement the transaction is aborted; ROLLBACK ends it either way.
          // A connection that died meanwhile has nothing left to roll back.
          await client.query(extended(`ROLLBACK ${TOOL_TAG}`)).catch(() => undefined);
        }
      } catch (err) {
        throw describeQueryError(err, what, limits);
      }
    };
    return {
      target,
      settings,
      serverVersionNum: Number(info.num),
      serverVersion: info.version.split(' ')[0],
      pid: info.pid,
      usesTls,
      query: <R extends QueryResultRow>(what: string, sql: string, params?: unknown[]) =>
        readOnlyTransaction(what, (query) => query<R>(sql, params)),
      readOnlyTransaction,
      close: () => client.end().catch(() => undefined),
    };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw describeQueryError(err, 'setting up the read-only session', limits);
  }
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `job` on a fresh read-only session and closes it afterwards. Jobs for the same
 * target wait for each other, so the tool never holds more than one connection to it.
 */
export function withSession<T>(
  target: ConnectionTarget,
  settings: SessionSettings,
  job: (session: ReadOnlySession) => Promise<T>,
): Promise<T> {
  const previous = queues.get(target.key) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      const session = await openSession(target, settings);
      try {
        return await job(session);
      } finally {
        await session.close();
      }
    });
  const tail = run.catch(() => undefined);
  queues.set(target.key, tail);
  void tail.then(() => {
    if (queues.get(target.key) === tail) queues.delete(target.key);
  });
  return run;
}
