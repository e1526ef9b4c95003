// Turns what pg and Node throw into one-line messages that say what failed and what to do.
// Messages name the target by its label (user@host:port/db) and never quote the password
// or the URL; any URL that slips into a server message is redacted.
import type { ConnectionTarget } from './target';
import { redactUrls } from './target';

export type PgFailureKind =
  | 'refused'
  | 'dns'
  | 'auth'
  | 'tls'
  | 'database-missing'
  | 'timeout'
  | 'too-many-connections'
  | 'permission'
  | 'unavailable'
  | 'statement-timeout'
  | 'lock-timeout'
  | 'read-only'
  | 'extension-missing'
  | 'extension-not-preloaded'
  | 'invalid-input'
  | 'other';

export class PgForensicsError extends Error {
  constructor(
    readonly kind: PgFailureKind,
    message: string,
  ) {
    super(redactUrls(message));
    this.name = 'PgForensicsError';
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
  errno?: string | number;
}

function detail(err: unknown): PgLikeError {
  return typeof err === 'object' && err !== null ? (err as PgLikeError) : { message: String(err) };
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|EPROTO/i;

/** Explains why connecting to `target` failed. */
export function describeConnectError(err: unknown, target: ConnectionTarget, connectTimeoutMs: number): PgForensicsError {
  const e = detail(err);
  const code = e.code ?? '';
  const msg = e.message ?? '';
  const where = `${target.host}:${target.port}`;
  const name = target.name === 'default' ? '' : ` (connection "${target.name}")`;
  if (code === 'ECONNREFUSED') {
    return new PgForensicsError(
      'refused',
      `connection refused by ${where}${name}: nothing accepts connections there. Check the host and port, that PostgreSQL is running, its listen_addresses, and any firewall or tunnel.`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new PgForensicsError(
      'dns',
      `the host name "${target.host}"${name} could not be resolved (DNS ${code}). Check the host in the URL, and the VPN or network that resolves it.`,
    );
  }
  if (code === '28P01') {
    return new PgForensicsError(
      'auth',
      `password authentication failed for user "${target.user}" on ${where}${name}. Check the user and password (store them again with "Forensics: Connect Database" or fix DATABASE_URL).`,
    );
  }
  if (code === '28000') {
    if (/no encryption/i.test(msg)) {
      return new PgForensicsError(
        'tls',
        `the server at ${where}${name} only accepts TLS connections for user "${target.user}": add ?sslmode=require (or verify-full with sslrootcert) to the URL.`,
      );
    }
    return new PgForensicsError(
      'auth',
      `the server at ${where}${name} rejected user "${target.user}" for database "${target.database}" (pg_hba.conf or role settings: ${msg}). Ask the DBA for a pg_hba.conf entry or use another role.`,
    );
  }
  if (code === '3D000') {
    return new PgForensicsError(
      'database-missing',
      `database "${target.database}" does not exist on ${where}${name}. Check the database name at the end of the URL (list them with \\l in psql).`,
    );
  }
  if (code === '53300' || code === '53400') {
    return new PgForensicsError(
      'too-many-connections',
      `the server at ${where}${name} has no free connection slots (${msg}). That is itself a pool-exhaustion signal: connections are at max_connections. Try a replica, or ask the DBA to free slots.`,
    );
  }
  if (code === '42501') {
    return new PgForensicsError(
      'permission',
      `user "${target.user}" may not connect to database "${target.database}" on ${where}${name} (${msg}). Ask for GRANT CONNECT on the database.`,
    );
  }
  if (code === '57P03') {
    return new PgForensicsError(
      'unavailable',
      `the server at ${where}${name} is not accepting connections right now (${msg}). It may be starting, shutting down or in recovery; try again shortly.`,
    );
  }
  if (/does not support SSL/i.test(msg)) {
    return new PgForensicsError(
      'tls',
      `the server at ${where}${name} does not support TLS but the URL asks for sslmode=${target.tls}. Use sslmode=disable or prefer only on a trusted network, or enable ssl on the server.`,
    );
  }
  if (TLS_CODES.test(code) || /certificate|self[- ]signed|SSL routines|TLS/i.test(msg)) {
    return new PgForensicsError(
      'tls',
      `the TLS handshake with ${where}${name} failed (${code || msg}). With sslmode=${target.tls} the server certificate must verify: pass sslrootcert=/path/to/ca.pem, or use sslmode=require to encrypt without verification.`,
    );
  }
  if (/timeout expired|connection timeout/i.test(msg) || code === 'ETIMEDOUT') {
    return new PgForensicsError(
      'timeout',
      `no answer from ${where}${name} within ${connectTimeoutMs} ms. The host may be unreachable, behind a firewall that drops packets, or not a PostgreSQL server; raise forensics.postgres.connectTimeoutMs if the network is just slow.`,
    );
  }
  if (code === 'ECONNRESET' || /terminated unexpectedly|Connection terminated/i.test(msg)) {
    return new PgForensicsError(
      'other',
      `the server at ${where}${name} closed the connection during startup. It may not be PostgreSQL, may require TLS (try sslmode=require), or a proxy refused the client.`,
    );
  }
  return new PgForensicsError('other', `could not connect to ${where}${name}: ${code ? `${code} ` : ''}${msg.split('\n')[0]}`);
}

/** Explains why a query on an open read-only session failed. */
export function describeQueryError(
  err: unknown,
  what: string,
  limits: { statementTimeoutMs: number; lockTimeoutMs: number },
): PgForensicsError {
  if (err instanceof PgForensicsError) return err;
  const e = detail(err);
  const msg = (e.message ?? '').split('\n')[0];
  switch (e.code) {
    case '57014':
      return new PgForensicsError(
        'statement-timeout',
        `${what} was cancelled by the tool's statement_timeout (${limits.statementTimeoutMs} ms), which protects the server. Raise forensics.postgres.statementTimeoutMs (or --statement-timeout) if the server is merely busy.`,
      );
    case '55P03':
      return new PgForensicsError(
        'lock-timeout',
        `${what} gave up waiting for a lock after the tool's lock_timeout (${limits.lockTimeoutMs} ms); something holds a conflicting lock (see the Locks view).`,
      );
    case '25006':
      return new PgForensicsError(
        'read-only',
        `${what} was refused: the tool's session is read-only (${msg}). The tool never writes; run writes yourself, outside Forensics.`,
      );
    case '42501':
      return new PgForensicsError(
        'permission',
        `${what}: permission denied (${msg}). Use a role that holds that privilege (for statistics views: pg_read_all_stats or pg_monitor).`,
      );
    default:
      if (/query read timeout/i.test(msg)) {
        return new PgForensicsError(
          'statement-timeout',
          `${what} got no answer within the tool's time limit (${limits.statementTimeoutMs} ms plus margin); the connection may be stalled.`,
        );
      }
      return new PgForensicsError('other', `${what} failed: ${e.code ? `${e.code} ` : ''}${msg}`);
  }
}
