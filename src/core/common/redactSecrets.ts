// Secret redaction for every line the tools print or quote: credentials in URLs of any
// scheme, DSN keys, bearer tokens, `--token X`-style flags, KEY=value assignments whose key
// names a secret, and the token formats of Sentry, GitHub, AWS, Slack and JWTs. Messages
// echo what the user typed and what other processes were started with; secrets must not
// come along. Only secrets are touched: the rest of the text stays as it was.

type Replacer = (substring: string, ...groups: string[]) => string;

/** Schemes whose user-info without a password is itself a credential (a DSN key, a token). */
const KEY_AS_USER = /^(https?|wss?):\/\/$/i;

const SECRET_WORD = String.raw`(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|auth|credentials?|private[_-]?key)`;

const RULES: [RegExp, string | Replacer][] = [
  // scheme://user:password@host → scheme://user:***@host, for every scheme (postgres, redis,
  // amqp, mongodb+srv, http…). The user-info runs to the LAST @ of the authority, so a
  // password holding an unencoded @ is still hidden whole.
  [
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi,
    (match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:***@`;
      return KEY_AS_USER.test(scheme) ? `${scheme}***@` : match;
    },
  ],
  // Authorization header values
  [/\b(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, (_m, kind: string) => `${kind} ***`],
  // Well-known token formats: Sentry, GitHub, AWS access keys, Slack, JWTs
  [/\bsntry[su]_[A-Za-z0-9+/=_-]{10,}/g, '***'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, '***'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '***'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, '***'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '***'],
  // Command-line flags naming a secret, value after a space or `=`: --token X, --db-password=X
  [
    new RegExp(String.raw`(^|\s)(--?[\w-]*${SECRET_WORD}(?![a-z]))(=|\s+)(?!--)("[^"]*"|'[^']*'|[^\s"',;]+)`, 'gi'),
    (_m, lead: string, flag: string, sep: string) => `${lead}${flag}${sep}***`,
  ],
  // libpq keyword strings quote values with spaces: password='p@ss word'
  [new RegExp(String.raw`\b((?:\w*?[_-])?${SECRET_WORD}\s*=\s*)'[^']*'`, 'gi'), (_m, key: string) => `${key}'***'`],
  // KEY=value and "key": "value" where the key names a secret (SENTRY_AUTH_TOKEN=…, password=…);
  // the quotes stay, so JSON stays JSON.
  [new RegExp(String.raw`\b((?:\w*?[_-])?${SECRET_WORD}["']?\s*[:=]\s*["']?)([^\s"',;&]+)`, 'gi'), (_m, key: string) => `${key}***`],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement as Replacer);
  return out;
}

const SECRET_FLAG = new RegExp(String.raw`^--?[\w-]*${SECRET_WORD}$`, 'i');

/**
 * An argument vector with its secrets replaced, argument by argument: a value after
 * `--password` is hidden whole even when it holds spaces (joining first would lose where
 * it ends).
 */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((arg, i) => (i > 0 && SECRET_FLAG.test(argv[i - 1]!) && !arg.startsWith('-') ? '***' : redactSecrets(arg)));
}
