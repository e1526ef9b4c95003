// The Incidents view's configuration, read from plain values so the extension (settings
// + SecretStorage) and tests share one reading: what is set, what is missing, and the
// client options once everything needed is there. The token never appears in a message.
import type { SentryClientOptions } from './client';

export interface SentrySettings {
  url: string;
  organization: string;
  projects: string[];
  environment: string;
  query: string;
  refreshIntervalMinutes: number;
  limit: number;
  /** Plain http:// to a host other than this machine (the token then travels in clear). */
  allowInsecureHttp: boolean;
}

export const SENTRY_DEFAULTS: SentrySettings = {
  url: 'https://sentry.io',
  organization: '',
  projects: [],
  environment: '',
  query: 'is:unresolved',
  refreshIntervalMinutes: 5,
  limit: 50,
  allowInsecureHttp: false,
};

export type TokenSource = 'secretStorage' | 'environment';

export interface FoundToken {
  value: string;
  source: TokenSource;
}

/** Project slugs typed as "a, b c" or given as a list; blanks and repeats dropped. */
export function parseProjectList(raw: unknown): string[] {
  const parts = Array.isArray(raw)
    ? raw.filter((p): p is string => typeof p === 'string')
    : typeof raw === 'string'
      ? raw.split(/[\s,]+/)
      : [];
  return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}

function clampInt(raw: unknown, fallback: number, min: number, max: number): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

/** Reads `forensics.sentry.*` through a getter (VS Code's configuration, or a plain object in tests). */
export function readSentrySettings(get: (key: keyof SentrySettings) => unknown): SentrySettings {
  const text = (key: keyof SentrySettings, fallback: string) => {
    const v = get(key);
    return typeof v === 'string' ? v.trim() : fallback;
  };
  return {
    url: text('url', SENTRY_DEFAULTS.url) || SENTRY_DEFAULTS.url,
    organization: text('organization', ''),
    projects: parseProjectList(get('projects')),
    environment: text('environment', ''),
    query: text('query', SENTRY_DEFAULTS.query),
    // 0 turns the timer off; more than a day is surely a typo for minutes.
    refreshIntervalMinutes: clampInt(get('refreshIntervalMinutes'), SENTRY_DEFAULTS.refreshIntervalMinutes, 0, 1440),
    limit: clampInt(get('limit'), SENTRY_DEFAULTS.limit, 1, 500),
    allowInsecureHttp: get('allowInsecureHttp') === true,
  };
}

/** The token kept by "Connect Sentry" wins; SENTRY_AUTH_TOKEN in the environment is the fallback. */
export function pickToken(stored: string | undefined, env: NodeJS.ProcessEnv): FoundToken | undefined {
  if (stored?.trim()) return { value: stored.trim(), source: 'secretStorage' };
  const fromEnv = env.SENTRY_AUTH_TOKEN?.trim();
  return fromEnv ? { value: fromEnv, source: 'environment' } : undefined;
}

export type ConnectionCheck =
  | { ok: true; options: SentryClientOptions; tokenSource: TokenSource }
  | { ok: false; missing: ('organization' | 'token')[]; message: string };

export function checkConnection(settings: SentrySettings, token: FoundToken | undefined): ConnectionCheck {
  const missing: ('organization' | 'token')[] = [];
  if (!settings.organization) missing.push('organization');
  if (!token) missing.push('token');
  if (missing.length || !token) {
    const parts = missing.map((m) =>
      m === 'organization'
        ? 'the organization slug (forensics.sentry.organization)'
        : 'an auth token (stored by Connect Sentry, or SENTRY_AUTH_TOKEN)',
    );
    return { ok: false, missing, message: `Sentry is not connected: set ${parts.join(' and ')}. Run "Forensics: Connect Sentry".` };
  }
  return {
    ok: true,
    options: {
      baseUrl: settings.url,
      org: settings.organization,
      token: token.value,
      userAgent: 'production-forensics-vscode',
      allowInsecureHttp: settings.allowInsecureHttp,
    },
    tokenSource: token.source,
  };
}
