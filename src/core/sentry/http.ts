// The one place that talks HTTP to Sentry: bearer auth, per-request timeout, bounded
// retries with full jitter for 429/5xx/timeouts/network errors, Retry-After and the
// X-Sentry-Rate-Limit-* headers honoured, JSON checked. Nothing here logs, and no
// error text is built from request headers, so the token stays out of every message.
import { SentryApiError, errorForStatus, sentryDetail } from './errors';

export interface SentryHttpOptions {
  /** https://sentry.io, https://de.sentry.io, a self-hosted URL... (without /api/0). */
  baseUrl: string;
  token: string;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  /** Extra attempts after the first for transient failures. Default 2 (three attempts in all). */
  maxRetries?: number;
  /** First backoff step; doubles per attempt, with full jitter. Default 500 ms. */
  backoffBaseMs?: number;
  /** Longest single wait we accept (Retry-After or a rate-limit reset); longer fails at once. Default 30 s. */
  maxWaitMs?: number;
  /** For tests: the jitter source and the clock's sleep. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
  /** The largest response body read (default 20 MB); a bigger one fails without being held. */
  maxResponseBytes?: number;
  /**
   * Send the token over plain http:// to a host that is not this machine. Off by default:
   * the token would cross the network in clear. Loopback addresses never need it.
   */
  allowInsecureHttp?: boolean;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/** Certificate and TLS failures: a configuration problem no retry fixes. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function tlsAdvice(code: string, origin: string): string {
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return `The TLS certificate of ${origin} is outside its validity dates (${code}); renew it on the server, or check this machine's clock.`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `The TLS certificate of ${origin} is not issued for that host name (${code}); use the host name the certificate names.`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO')
    return `TLS with ${origin} failed (${code}); the port may speak plain HTTP or another protocol. Check the scheme and port of the base URL.`;
  return (
    `The TLS certificate of ${origin} is not trusted (${code}): self-signed, or signed by a private CA this machine does not know. ` +
    'Start the tool with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (the CA that signed the certificate, PEM) to trust it.'
  );
}

/** 127.0.0.0/8, ::1 and localhost: plain HTTP to these never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** What the last response said about the rate limit (absent on self-hosted Sentry, which sends none). */
export interface RateLimitState {
  limit?: number;
  remaining?: number;
  /** Epoch seconds when the window resets. */
  reset?: number;
  concurrentLimit?: number;
  concurrentRemaining?: number;
}

export interface JsonResponse<T> {
  data: T;
  headers: Headers;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function intHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw == null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Retry-After is either delta-seconds or an HTTP-date. */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new SentryApiError(
      'badRequest',
      `"${baseUrl}" is not a URL; use e.g. https://sentry.io, https://de.sentry.io or your self-hosted Sentry's address.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SentryApiError('badRequest', `The Sentry base URL must be http(s), got ${url.protocol}`);
  // People paste the API root or an org page; the API lives under /api/0/ of the host.
  return (
    url.origin +
    url.pathname
      .replace(/\/(api\/0\/?.*)?$/, '')
      .replace(/\/organizations\/.*$/, '')
      .replace(/\/+$/, '')
  );
}

export class SentryHttp {
  readonly baseUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoffBaseMs: number;
  private readonly maxWaitMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly userAgent: string;
  private readonly maxResponseBytes: number;
  /** The latest rate-limit picture, for a status display and for pacing the next request. */
  rateLimit: RateLimitState = {};
  /** Total HTTP attempts made, retries included (for tests and diagnostics). */
  attempts = 0;

  constructor(options: SentryHttpOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    if (!options.token)
      throw new SentryApiError(
        'unauthorized',
        'No Sentry auth token: connect Sentry (the token is kept in SecretStorage) or set SENTRY_AUTH_TOKEN.',
      );
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.userAgent = options.userAgent ?? 'production-forensics';
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const url = new URL(this.baseUrl);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !options.allowInsecureHttp) {
      throw new SentryApiError(
        'badRequest',
        `Refusing to send the Sentry auth token in clear text to ${url.origin}: plain http:// to a host other than this machine exposes it to the network. ` +
          'Use https://, or opt in explicitly if the network is yours (forensics CLI: --allow-insecure-http; VS Code: forensics.sentry.allowInsecureHttp).',
      );
    }
  }

  /** GET /api/0{path} with query parameters (arrays repeat the key, as Sentry expects for `project`). */
  async getJson<T>(
    path: string,
    query: Record<string, string | number | readonly (string | number)[] | undefined> = {},
    signal?: AbortSignal,
  ): Promise<JsonResponse<T>> {
    const url = new URL(`${this.baseUrl}/api/0${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    return this.request<T>(url, path, signal);
  }

  private backoff(attempt: number): number {
    // Full jitter: a random wait in [0, base * 2^attempt), so many clients never retry in step.
    return Math.round(this.random() * this.backoffBaseMs * 2 ** attempt);
  }

  private async paceForRateLimit(path: string): Promise<void> {
    const { remaining, reset } = this.rateLimit;
    if (remaining !== 0 || reset === undefined) return;
    const waitMs = reset * 1000 - Date.now();
    if (waitMs <= 0) return;
    if (waitMs > this.maxWaitMs) {
      throw new SentryApiError(
        'rateLimited',
        `Sentry's rate limit for this token is used up until ${new Date(reset * 1000).toISOString()}; not calling ${path} before then.`,
        429,
        Math.ceil(waitMs / 1000),
      );
    }
    await this.sleep(waitMs + Math.round(this.random() * 250));
  }

  private recordRateLimit(headers: Headers): void {
    const limit = intHeader(headers, 'x-sentry-rate-limit-limit');
    const remaining = intHeader(headers, 'x-sentry-rate-limit-remaining');
    const reset = intHeader(headers, 'x-sentry-rate-limit-reset');
    const concurrentLimit = intHeader(headers, 'x-sentry-rate-limit-concurrentlimit');
    const concurrentRemaining = intHeader(headers, 'x-sentry-rate-limit-concurrentremaining');
    if ([limit, remaining, reset, concurrentLimit, concurrentRemaining].every((v) => v === undefined)) return;
    this.rateLimit = { limit, remaining, reset, concurrentLimit, concurrentRemaining };
  }

  private async request<T>(url: URL, path: string, signal?: AbortSignal): Promise<JsonResponse<T>> {
    let lastError: SentryApiError | undefined;
    // After a 429 we have already waited as Retry-After said; that answer outranks the
    // window headers that came with it, so the retry is not paced a second time.
    let waitedForRetryAfter = false;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      if (signal?.aborted) throw new SentryApiError('timeout', `Request to ${path} was cancelled.`);
      if (!waitedForRetryAfter) await this.paceForRateLimit(path);
      waitedForRetryAfter = false;
      let waitMs: number;
      try {
        return await this.attempt<T>(url, path, signal);
      } catch (err) {
        if (!(err instanceof SentryApiError) || !err.transient) throw err;
        lastError = err;
        if (err.kind === 'rateLimited') {
          const asked = err.retryAfterSeconds ?? this.secondsUntilReset();
          waitMs = asked !== undefined ? asked * 1000 + Math.round(this.random() * 250) : this.backoff(attempt + 1);
          if (waitMs > this.maxWaitMs) throw err;
          waitedForRetryAfter = true;
        } else {
          waitMs = this.backoff(attempt);
        }
      }
      if (attempt < this.maxRetries) await this.sleep(waitMs);
    }
    const tries = this.maxRetries + 1;
    throw new SentryApiError(
      lastError!.kind,
      `${lastError!.message} Gave up after ${tries} attempt${tries === 1 ? '' : 's'}.`,
      lastError!.status,
      lastError!.retryAfterSeconds,
    );
  }

  private secondsUntilReset(): number | undefined {
    const { reset } = this.rateLimit;
    return reset === undefined ? undefined : Math.max(0, reset - Date.now() / 1000);
  }

  /**
   * The body as text, read chunk by chunk up to `maxResponseBytes`: past the cap the stream
   * is cancelled (the connection closes, the rest is never downloaded) instead of held.
   */
  private async readBody(response: Response, path: string): Promise<string> {
    const cap = this.maxResponseBytes;
    const tooLarge = (): SentryApiError =>
      new SentryApiError(
        'malformed',
        `Sentry's answer for ${path} is larger than ${Math.round(cap / (1024 * 1024))} MB; stopped reading it. A proxy or a wrong base URL can cause this; a query with a smaller --limit gives smaller pages.`,
        response.status,
      );
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > cap) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  }

  private async attempt<T>(url: URL, path: string, signal?: AbortSignal): Promise<JsonResponse<T>> {
    this.attempts++;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', 'User-Agent': this.userAgent },
        signal: combined,
        redirect: 'follow',
      });
      body = await this.readBody(response, path);
    } catch (err) {
      if (err instanceof SentryApiError) throw err;
      if (timeout.aborted) throw new SentryApiError('timeout', `Sentry did not answer ${path} within ${this.timeoutMs} ms.`);
      if (signal?.aborted) throw new SentryApiError('timeout', `Request to ${path} was cancelled.`);
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      if (TLS_CODES.has(cause)) throw new SentryApiError('tls', `${tlsAdvice(cause, new URL(this.baseUrl).origin)} Not retried.`);
      throw new SentryApiError('network', `Could not reach Sentry at ${this.baseUrl} (${cause}). Check the base URL and your network.`);
    }
    this.recordRateLimit(response.headers);
    if (!response.ok) {
      throw errorForStatus(
        response.status,
        path,
        sentryDetail(body),
        response.status === 429 ? retryAfterSeconds(response.headers) : undefined,
      );
    }
    try {
      return { data: JSON.parse(body) as T, headers: response.headers };
    } catch {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new SentryApiError(
        'malformed',
        `Sentry's answer for ${path} was not valid JSON (${type}, ${body.length} bytes). A proxy or a wrong base URL can cause this.`,
        response.status,
      );
    }
  }
}
