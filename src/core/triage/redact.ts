// Redaction for everything a report quotes: credentials in URLs and connection strings,
// tokens, e-mail addresses and key=value secrets. Reports get shared; secrets must not.

const RULES: [RegExp, string | ((substring: string, ...args: string[]) => string)][] = [
  // scheme://user:password@host → scheme://user:***@host (postgres, mysql, redis, amqp, http…)
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]+):([^\s@/]+)@/gi, (_m, scheme: string, user: string) => `${scheme}${user}:***@`],
  // DSNs with a public key: https://<key>@o1.ingest.sentry.io/1
  [/\b(https?:\/\/)([0-9a-f]{16,})@/gi, (_m, scheme: string) => `${scheme}***@`],
  // Bearer / token headers
  [/\b(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, (_m, kind: string) => `${kind} ***`],
  // Sentry auth tokens, GitHub tokens, AWS access keys, Slack tokens, JWTs
  [/\bsntry[su]_[A-Za-z0-9+/=_-]{10,}/g, '***'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, '***'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '***'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, '***'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '***'],
  // key=value and "key": "value" where the key names a secret
  [/\b((?:\w*?[_-])?(?:pass(?:word|wd)?|secret|token|api[_-]?key|auth|credentials?|private[_-]?key)["']?\s*[:=]\s*["']?)([^\s"',;&]+)/gi, (_m, key: string) => `${key}***`],
  // libpq keyword connection strings: password=…
  [/\b(password\s*=\s*)('[^']*'|\S+)/gi, (_m, key: string) => `${key}***`],
  // e-mail addresses
  [/\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, '<email>'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
  return out;
}
