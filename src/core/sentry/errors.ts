// Every way a Sentry request can fail, as one error type with a kind the UI and the CLI
// can act on. Messages name the endpoint and what to do about it, and are built only from
// the status, Sentry's `detail` and our own words: the auth token can never end up here.

export type SentryErrorKind =
  | 'unauthorized' // 401: token missing, wrong or revoked
  | 'forbidden' // 403: token lacks a scope
  | 'notFound' // 404: wrong organization, project, issue or release
  | 'rateLimited' // 429 after the bounded retries
  | 'server' // 5xx after the bounded retries
  | 'timeout' // no answer in time, after the bounded retries
  | 'network' // connection refused, DNS, reset
  | 'tls' // the certificate is not trusted, expired or for another host: not retried
  | 'malformed' // a 2xx whose body is not the JSON Sentry documents
  | 'badRequest'; // 400: a bad query

export class SentryApiError extends Error {
  constructor(
    readonly kind: SentryErrorKind,
    message: string,
    readonly status?: number,
    /** Seconds Sentry asked us to wait (429), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'SentryApiError';
  }

  /** Worth another attempt later (a refresh on the next tick), as opposed to a configuration fix. */
  get transient(): boolean {
    return this.kind === 'rateLimited' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network';
  }
}

/** The scopes each endpoint family needs, as Sentry's API reference lists them. */
export function scopesFor(path: string): string[] {
  if (/\/releases\//.test(path)) return ['project:read', 'project:releases'];
  if (/\/projects\/$/.test(path)) return ['project:read'];
  if (/\/issues\//.test(path) || /\/events\//.test(path)) return ['event:read'];
  return ['org:read'];
}

/** Pulls Sentry's `{"detail": "..."}` (or a bare JSON string, as its 429 body is) out of an error body. */
export function sentryDetail(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'string') return parsed.slice(0, 300);
    if (parsed && typeof parsed === 'object' && 'detail' in parsed) {
      const d = (parsed as { detail: unknown }).detail;
      if (typeof d === 'string') return d.slice(0, 300);
      if (d && typeof d === 'object' && 'message' in d && typeof (d as { message: unknown }).message === 'string') {
        return (d as { message: string }).message.slice(0, 300);
      }
    }
  } catch {
    // Not JSON: an HTML error page from a proxy, say. Not worth echoing.
  }
  return undefined;
}

export function errorForStatus(status: number, path: string, detail: string | undefined, retryAfterSeconds?: number): SentryApiError {
  const said = detail ? ` Sentry said: "${detail}".` : '';
  switch (status) {
    case 400:
      return new SentryApiError('badRequest', `Sentry rejected the request to ${path} (400).${said} Check the query and filters.`, status);
    case 401:
      return new SentryApiError(
        'unauthorized',
        `Sentry refused the auth token (401) for ${path}.${said} Create a new token (Settings → Auth Tokens) and connect again.`,
        status,
      );
    case 403:
      return new SentryApiError(
        'forbidden',
        `The auth token lacks permission for ${path} (403).${said} It needs the scopes ${scopesFor(path).join(', ')}.`,
        status,
      );
    case 404:
      return new SentryApiError(
        'notFound',
        `Sentry has nothing at ${path} (404).${said} Check the organization slug, project slugs and base URL (regional hosts such as us.sentry.io or de.sentry.io, or your self-hosted URL).`,
        status,
      );
    case 429:
      return new SentryApiError(
        'rateLimited',
        `Sentry is rate limiting ${path} (429).${said}${retryAfterSeconds !== undefined ? ` Retry after ${retryAfterSeconds}s.` : ''}`,
        status,
        retryAfterSeconds,
      );
    default:
      return new SentryApiError(status >= 500 ? 'server' : 'badRequest', `Sentry answered ${status} for ${path}.${said}`, status);
  }
}
