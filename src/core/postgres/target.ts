// A database target: a connection URL turned into explicit pg settings (host, port,
// user, database, TLS), plus a label that is safe to print. The password and the full
// URL never leave this module except inside the pg client configuration.
import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import type { ConnectionOptions } from 'node:tls';

/** libpq's sslmode values; `prefer` (libpq's default) tries TLS and falls back to plain. */
export type TlsMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const TLS_MODES: readonly TlsMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface ConnectionTarget {
  /** The connection's name ("replica", "staging"), or "default". */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly tls: TlsMode;
  /** Safe to show: `user@host:port/database` with no password. */
  readonly label: string;
  /** Identity used to serialise sessions: one connection at a time per target. */
  readonly key: string;
  /** pg client settings for one TLS choice (the password lives only here). */
  clientConfig(useTls: boolean): ClientConfig;
}

/** A URL or option the user gave that cannot work; the message never contains the password. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

function tlsOptions(mode: TlsMode, host: string, rootCertFile: string | undefined): ConnectionOptions | false {
  if (mode === 'disable') return false;
  let ca: string | undefined;
  if (rootCertFile) {
    try {
      ca = readFileSync(rootCertFile, 'utf8');
    } catch (err) {
      throw new TargetError(`cannot read sslrootcert file ${rootCertFile}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  }
  // libpq semantics: require/prefer/allow encrypt without verifying the certificate
  // (unless a root certificate is given); verify-ca checks the chain; verify-full also the host name.
  if (mode === 'verify-full') return { rejectUnauthorized: true, ca, servername: host };
  if (mode === 'verify-ca') return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
  return { rejectUnauthorized: Boolean(ca), ca, checkServerIdentity: () => undefined };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host.startsWith('/');
}

/**
 * Parses `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…`.
 * Without sslmode, loopback hosts connect in plain text and other hosts `prefer` TLS.
 */
export function parseTarget(url: string, name = 'default', overrides: { tls?: TlsMode } = {}): ConnectionTarget {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new TargetError('the connection URL is not a valid URL; expected postgres://user:password@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TargetError(`the connection URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`);
  }
  const params = parsed.searchParams;
  const host = decodeURIComponent(params.get('host') ?? parsed.hostname.replace(/^\[|\]$/g, '')) || 'localhost';
  const port = Number(params.get('port') ?? (parsed.port || 5432));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new TargetError(`the port in the connection URL is not a valid port`);
  const user = decodeURIComponent(parsed.username || params.get('user') || '') || 'postgres';
  const password = decodeURIComponent(parsed.password || '') || params.get('password') || undefined;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || params.get('dbname') || user;
  const rawMode = overrides.tls ?? params.get('sslmode') ?? (isLoopback(host) ? 'disable' : 'prefer');
  if (!TLS_MODES.includes(rawMode as TlsMode)) {
    throw new TargetError(`sslmode "${rawMode}" is not one of ${TLS_MODES.join(', ')}`);
  }
  const tls = rawMode as TlsMode;
  const rootCert = params.get('sslrootcert') ?? undefined;
  const ssl = tlsOptions(tls, host, rootCert);
  const label = `${user}@${host.includes(':') ? `[${host}]` : host}:${port}/${database}`;
  return {
    name,
    host,
    port,
    user,
    database,
    tls,
    label,
    key: label,
    clientConfig: (useTls) => ({ host, port, user, password, database, ssl: useTls ? ssl || undefined : false }),
  };
}

/** Removes a password (and anything after `:` in the user-info part) from text that may quote a URL. */
export function redactUrls(text: string): string {
  return text.replace(
    /(postgres(?:ql)?:\/\/)([^@/\s]*)@/gi,
    (_m, scheme: string, userinfo: string) => `${scheme}${userinfo.split(':')[0]}:***@`,
  );
}
