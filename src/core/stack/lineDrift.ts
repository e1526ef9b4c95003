// The file may have changed since the release that crashed. The event's context lines
// (or the file as it was in the release commit) say what the failing line looked like;
// this finds where that line is now, and says so when it moved or is gone.

export interface ExpectedContext {
  readonly contextLine?: string;
  readonly preContext?: readonly string[];
  readonly postContext?: readonly string[];
}

export type DriftResult =
  | { readonly status: 'unchanged'; readonly line: number }
  | { readonly status: 'moved'; readonly line: number; readonly fromLine: number; readonly message: string }
  | { readonly status: 'not-found'; readonly line: number; readonly message: string }
  | { readonly status: 'unknown'; readonly line: number; readonly message: string };

const norm = (s: string | undefined) => (s ?? '').trim();

// The SDKs cut context lines over 150 characters to a 140-character window and mark each
// cut with "{snip}" (@sentry/core's snipLine; its leading marker carries a stray quote:
// "'{snip} "). A cut line is the same line when the file's line holds the window where the
// marks say it was cut, not a change since the crash.
const SNIP_HEAD = /^'?\{snip\} /;
const SNIP_TAIL = / \{snip\}$/;

/** The event's (possibly snipped) line and the file's line are the same line. */
export function sameLine(fileLine: string | undefined, eventLine: string | undefined): boolean {
  const expected = eventLine ?? '';
  const cutHead = SNIP_HEAD.test(expected);
  const cutTail = SNIP_TAIL.test(expected);
  if (!cutHead && !cutTail) return norm(fileLine) === norm(expected);
  const window = expected.replace(SNIP_HEAD, '').replace(SNIP_TAIL, '');
  const actual = fileLine ?? '';
  if (!window.trim()) return false;
  if (cutHead && cutTail) return actual.includes(window);
  if (cutTail) return actual.trimStart().startsWith(window.trimStart()) && actual.length > window.length;
  return actual.trimEnd().endsWith(window.trimEnd()) && actual.length > window.length;
}

function contextScore(lines: readonly string[], at: number, ctx: ExpectedContext): number {
  let score = 0;
  const pre = ctx.preContext ?? [];
  for (let k = 1; k <= pre.length; k++) if (norm(pre[pre.length - k]) !== '' && sameLine(lines[at - k], pre[pre.length - k])) score++;
  const post = ctx.postContext ?? [];
  for (let k = 1; k <= post.length; k++) if (norm(post[k - 1]) !== '' && sameLine(lines[at + k], post[k - 1])) score++;
  return score;
}

/** Where the failing line (1-based `line` when the error happened) is in `currentText` now. */
export function locateFailingLine(currentText: string, line: number, ctx: ExpectedContext): DriftResult {
  const expected = norm(ctx.contextLine);
  if (!expected) return { status: 'unknown', line, message: 'no context line to compare with: showing the reported line' };
  const lines = currentText.replace(/\r\n?/g, '\n').split('\n');
  if (sameLine(lines[line - 1], ctx.contextLine)) return { status: 'unchanged', line };
  let best = -1;
  let bestScore = -1;
  for (let i = 0; i < lines.length; i++) {
    if (!sameLine(lines[i], ctx.contextLine)) continue;
    const score = contextScore(lines, i, ctx);
    if (score > bestScore || (score === bestScore && Math.abs(i + 1 - line) < Math.abs(best + 1 - line))) {
      best = i;
      bestScore = score;
    }
  }
  if (best < 0) {
    return {
      status: 'not-found',
      line,
      message: `the failing line "${expected}" is no longer in the file (it changed since the crash); showing line ${line}`,
    };
  }
  const now = best + 1;
  return { status: 'moved', line: now, fromLine: line, message: `the failing line moved from line ${line} to line ${now} since the crash` };
}

/** Context around a 1-based line of a file's text, as Sentry would have captured it. */
export function contextAt(text: string, line: number, radius = 5): ExpectedContext {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return {
    contextLine: lines[line - 1],
    preContext: lines.slice(Math.max(0, line - 1 - radius), line - 1),
    postContext: lines.slice(line, line + radius),
  };
}
