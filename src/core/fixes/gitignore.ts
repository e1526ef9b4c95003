// The .gitignore pattern language, for trees that are not git work trees (inside one, git
// itself answers; see ignored.ts). Follows gitignore(5): last match wins, `!` re-includes,
// a trailing `/` matches folders only, a slash elsewhere anchors the pattern to the
// .gitignore's own folder, `*`/`?`/`[…]` stop at `/`, and `**` spans folders.

export interface IgnoreRule {
  /** Folder of the .gitignore (or the option) the rule came from, relative to the scan root, '' for the root. */
  readonly base: string;
  readonly negated: boolean;
  readonly dirOnly: boolean;
  readonly regex: RegExp;
  /** The line as written, to say which rule skipped a path. */
  readonly source: string;
}

const escapeChar = (c: string) => c.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');

function globToRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*' && (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/')) {
      if (i + 2 === glob.length) {
        re += '.*';
        i += 1;
      } else {
        re += '(?:.*/)?';
        i += 2;
      }
    } else if (c === '*') {
      re += '[^/]*';
      while (glob[i + 1] === '*') i++;
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escapeChar(glob[++i]);
    } else {
      re += escapeChar(c);
    }
  }
  return re;
}

/** One line of a .gitignore as a rule, or undefined for blanks and comments. */
export function parseIgnoreLine(line: string, base: string): IgnoreRule | undefined {
  // Trailing spaces are dropped unless escaped with a backslash.
  let body = line.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
  if (!body || body.startsWith('#')) return undefined;
  const negated = body.startsWith('!');
  if (negated) body = body.slice(1);
  else if (body.startsWith('\\!') || body.startsWith('\\#')) body = body.slice(1);
  const dirOnly = body.endsWith('/');
  body = body.replace(/\/+$/, '');
  if (!body) return undefined;
  const anchored = body.includes('/');
  body = body.replace(/^\//, '');
  const glob = globToRegex(body);
  return { base, negated, dirOnly, regex: new RegExp(anchored ? `^${glob}$` : `^(?:.*/)?${glob}$`), source: line.trim() };
}

export function parseIgnoreFile(text: string, base: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((l) => parseIgnoreLine(l, base))
    .filter((r): r is IgnoreRule => r !== undefined);
}

/**
 * The rule that decides `relPath` (relative to the scan root, forward slashes): the last
 * matching one, rules of deeper .gitignore files listed after their parents'. Undefined
 * or a negated rule means "not ignored".
 */
export function decidingRule(rules: readonly IgnoreRule[], relPath: string, isDir: boolean): IgnoreRule | undefined {
  let decided: IgnoreRule | undefined;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    const prefix = rule.base ? `${rule.base}/` : '';
    if (prefix && !relPath.startsWith(prefix)) continue;
    if (rule.regex.test(relPath.slice(prefix.length))) decided = rule;
  }
  return decided;
}
