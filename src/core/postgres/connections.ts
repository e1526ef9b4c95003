// Several named connections ("replica", "staging", …) and which one is active. The URLs
// are secrets: they live only in a secret store (VS Code SecretStorage in the extension,
// the environment in the CLI). The list of names, their password-free labels and the
// active name are plain state. This module is the model; the storage is injected.
import { parseTarget, TargetError, type ConnectionTarget } from './target';

/** Where the extension keeps connections: SecretStorage for URLs, globalState for the rest. */
export interface ConnectionStorage {
  getSecret(key: string): Promise<string | undefined>;
  storeSecret(key: string, value: string): Promise<void>;
  deleteSecret(key: string): Promise<void>;
  getState<T>(key: string): T | undefined;
  setState(key: string, value: unknown): Promise<void>;
}

export interface ConnectionEntry {
  readonly name: string;
  /** `user@host:port/database`: safe to show. */
  readonly label: string;
  readonly active: boolean;
  /** Where the URL came from: the secret store, or an environment variable. */
  readonly source: 'stored' | 'environment';
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const LIST_KEY = 'forensics.postgres.connections';
const ACTIVE_KEY = 'forensics.postgres.activeConnection';
const secretKey = (name: string) => `forensics.postgres.url.${name}`;

/** The name the environment's URL gets when nothing is stored under that name. */
export const ENVIRONMENT_CONNECTION = 'environment';
/** Environment variables read for the default URL, first one set wins. */
export const URL_VARIABLES = ['FORENSICS_DATABASE_URL', 'DATABASE_URL'] as const;

/** A connection name is a short lowercase word so it can also name an environment variable. */
export function validateConnectionName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!NAME_PATTERN.test(name)) {
    throw new TargetError(
      `a connection name is 1 to 40 lowercase letters, digits, "-" or "_", starting with a letter or digit (got "${raw}")`,
    );
  }
  return name;
}

/** The variable that holds a named connection's URL for the CLI: replica → FORENSICS_DATABASE_URL_REPLICA. */
export function variableForName(name: string): string {
  return `FORENSICS_DATABASE_URL_${validateConnectionName(name).replace(/-/g, '_').toUpperCase()}`;
}

/** The default URL from the environment, with the variable it came from. */
export function environmentUrl(env: NodeJS.ProcessEnv): { variable: string; url: string } | undefined {
  for (const variable of URL_VARIABLES) {
    const url = env[variable]?.trim();
    if (url) return { variable, url };
  }
  return undefined;
}

/**
 * The CLI's target: `--url` wins, then `--connection NAME` (from FORENSICS_DATABASE_URL_NAME),
 * then FORENSICS_DATABASE_URL / DATABASE_URL. Throws a TargetError that says what to set.
 */
export function resolveTarget(options: { url?: string; connection?: string; env: NodeJS.ProcessEnv }): ConnectionTarget {
  if (options.url) return parseTarget(options.url, options.connection ? validateConnectionName(options.connection) : 'default');
  if (options.connection) {
    const name = validateConnectionName(options.connection);
    const variable = variableForName(name);
    const url = options.env[variable]?.trim();
    if (!url) throw new TargetError(`no URL for connection "${name}": set ${variable}=postgres://user:password@host:5432/database`);
    return parseTarget(url, name);
  }
  const fromEnv = environmentUrl(options.env);
  if (!fromEnv) {
    throw new TargetError(
      `no database given: pass --url postgres://user:password@host:5432/database, or set ${URL_VARIABLES.join(' or ')} (a read-only role on a replica is best)`,
    );
  }
  return parseTarget(fromEnv.url);
}

interface StoredEntry {
  readonly name: string;
  readonly label: string;
}

/** The named connections the extension knows, the active one, and the environment's fallback. */
export class ConnectionRegistry {
  constructor(
    private readonly storage: ConnectionStorage,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  private stored(): StoredEntry[] {
    return this.storage.getState<StoredEntry[]>(LIST_KEY) ?? [];
  }

  private environmentEntry(): StoredEntry | undefined {
    const fromEnv = environmentUrl(this.env);
    if (!fromEnv || this.stored().some((e) => e.name === ENVIRONMENT_CONNECTION)) return undefined;
    try {
      return { name: ENVIRONMENT_CONNECTION, label: parseTarget(fromEnv.url, ENVIRONMENT_CONNECTION).label };
    } catch {
      // A malformed variable is reported when it is used, not while listing.
      return { name: ENVIRONMENT_CONNECTION, label: `${fromEnv.variable} (not a valid URL)` };
    }
  }

  /** The name of the active connection: the chosen one if it still exists, else the first. */
  activeName(): string | undefined {
    const all = this.list();
    return all.find((e) => e.active)?.name;
  }

  list(): ConnectionEntry[] {
    const entries: { name: string; label: string; source: ConnectionEntry['source'] }[] = this.stored().map((e) => ({
      ...e,
      source: 'stored' as const,
    }));
    const env = this.environmentEntry();
    if (env) entries.push({ ...env, source: 'environment' });
    const chosen = this.storage.getState<string>(ACTIVE_KEY);
    const active = entries.some((e) => e.name === chosen) ? chosen : entries[0]?.name;
    return entries.map((e) => ({ ...e, active: e.name === active }));
  }

  /** Validates the URL (without connecting), stores it as a secret, and makes it active. */
  async add(rawName: string, url: string): Promise<ConnectionEntry> {
    const name = validateConnectionName(rawName);
    const target = parseTarget(url, name);
    await this.storage.storeSecret(secretKey(name), url.trim());
    const others = this.stored().filter((e) => e.name !== name);
    await this.storage.setState(
      LIST_KEY,
      [...others, { name, label: target.label }].sort((a, b) => a.name.localeCompare(b.name)),
    );
    await this.storage.setState(ACTIVE_KEY, name);
    return { name, label: target.label, active: true, source: 'stored' };
  }

  async remove(name: string): Promise<void> {
    await this.storage.deleteSecret(secretKey(name));
    await this.storage.setState(
      LIST_KEY,
      this.stored().filter((e) => e.name !== name),
    );
    if (this.storage.getState<string>(ACTIVE_KEY) === name) await this.storage.setState(ACTIVE_KEY, undefined);
  }

  async setActive(name: string): Promise<void> {
    if (!this.list().some((e) => e.name === name)) throw new TargetError(`there is no connection named "${name}"`);
    await this.storage.setState(ACTIVE_KEY, name);
  }

  /** The target of a connection (the active one by default), or undefined when none is configured. */
  async target(name = this.activeName()): Promise<ConnectionTarget | undefined> {
    if (name === undefined) return undefined;
    const entry = this.list().find((e) => e.name === name);
    if (!entry) throw new TargetError(`there is no connection named "${name}"`);
    if (entry.source === 'environment') {
      const fromEnv = environmentUrl(this.env);
      if (!fromEnv) return undefined;
      return parseTarget(fromEnv.url, name);
    }
    const url = await this.storage.getSecret(secretKey(name));
    if (!url)
      throw new TargetError(
        `the URL of connection "${name}" is no longer in the secret store; add it again with "Forensics: Connect Database"`,
      );
    return parseTarget(url, name);
  }
}
