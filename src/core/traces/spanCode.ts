// Span → code. First what the span says itself: OTel's code.* attributes (both the
// pre-1.30 and the stable names) and Sentry's span origin. When it only names a function
// (code.function, or a span named like one), the function's definition is looked up in
// the workspace's files, and within it the line that does what the span measures.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { scanFiles } from '../stack/workspaceIndex';
import type { Span } from './model';

export interface CodeHint {
  file?: string;
  line?: number;
  function?: string;
  /** Sentry's span origin (`manual`, `auto.http.otel.node_fetch`, …): which instrumentation made it. */
  origin?: string;
}

export interface CodeLocation {
  /** Absolute path. */
  file: string;
  line: number;
  function?: string;
  /** How it was found, in words. */
  via: string;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function codeHint(attributes: Span['attributes'], name?: string): CodeHint {
  const fn = str(attributes['code.function.name']) ?? str(attributes['code.function']);
  const ns = str(attributes['code.namespace']);
  const lineRaw = attributes['code.line.number'] ?? attributes['code.lineno'];
  const line = typeof lineRaw === 'number' ? lineRaw : typeof lineRaw === 'string' && /^\d+$/.test(lineRaw) ? Number(lineRaw) : undefined;
  const hint: CodeHint = {
    file: str(attributes['code.file.path']) ?? str(attributes['code.filepath']),
    line,
    function: fn
      ? ns && !fn.includes('.')
        ? `${ns}.${fn}`
        : fn
      : name && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name) && !/^(JSON|Promise|Array|Object)\./.test(name)
        ? name
        : undefined,
    origin: str(attributes['sentry.origin']),
  };
  return hint;
}

const SOURCE = /\.(c|m)?[jt]sx?$/;
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

function definitionPattern(fn: string): RegExp {
  const name = fn.split('.').pop()!.replace(/[$]/g, '\\$');
  // function name( | name = (async) (…) => | name(…) { as a method | name: function
  return new RegExp(
    `(\\bfunction\\s*\\*?\\s*${name}\\s*\\(|\\b(const|let|var)\\s+${name}\\s*=\\s*(async\\s+)?(function\\b|\\(|[A-Za-z_$][\\w$]*\\s*=>)|^\\s*(async\\s+)?${name}\\s*\\([^)]*\\)\\s*\\{|\\b${name}\\s*:\\s*(async\\s+)?function\\b)`,
  );
}

/** Where the function's body ends: the line whose indentation closes the definition's block. */
function bodyRange(lines: string[], defLine: number): [number, number] {
  const indent = /^\s*/.exec(lines[defLine])![0].length;
  for (let i = defLine + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() && /^\s*[}\])]/.test(l) && /^\s*/.exec(l)![0].length <= indent) return [defLine, i];
  }
  return [defLine, lines.length - 1];
}

/**
 * Finds `fn`'s definition in the folders (JavaScript/TypeScript sources, node_modules
 * excluded, as the workspace index does) and, when `lineWanted` is given, the first line
 * of its body (or of its file) that matches it: the `JSON.parse` a parse span measures,
 * the `setTimeout(() => fn(…))` that schedules a retry.
 */
export async function locateFunction(
  fn: string,
  folders: readonly { path: string }[],
  lineWanted?: RegExp,
  scope: 'body' | 'file' = 'body',
): Promise<CodeLocation | undefined> {
  const pattern = definitionPattern(fn);
  for (const folder of folders) {
    for (const rel of (await scanFiles(folder.path)).filter((f) => SOURCE.test(f) && !/\.d\.ts$/.test(f))) {
      const file = join(folder.path, rel);
      if ((await stat(file)).size > MAX_SOURCE_BYTES) continue;
      const lines = (await readFile(file, 'utf8')).split('\n');
      const def = lines.findIndex((l) => pattern.test(l));
      if (def === -1) continue;
      if (lineWanted) {
        const [from, to] = scope === 'body' ? bodyRange(lines, def) : [0, lines.length - 1];
        for (let i = from; i <= to; i++)
          if (lineWanted.test(lines[i]))
            return {
              file,
              line: i + 1,
              function: fn,
              via: `${fn}() found in the workspace; the line in it that matches ${lineWanted.source}`,
            };
      }
      return { file, line: def + 1, function: fn, via: `${fn}() found in the workspace by name` };
    }
  }
  return undefined;
}

/** The line that schedules another call of `fn`: a timer, a queue or a scheduler wrapping `fn(`. */
export function schedulingLine(fn: string): RegExp {
  const name = fn.split('.').pop()!.replace(/[$]/g, '\\$');
  return new RegExp(
    `\\b(setTimeout|setImmediate|setInterval|nextTick|enqueue|schedule\\w*|retry\\w*|\\.add|\\.push)\\s*\\(.*\\b${name}\\s*\\(`,
  );
}

/** The line a span measures, from its name: `JSON.parse`, `JSON.stringify`, `structuredClone`. */
export function measuredLine(spanName: string): RegExp | undefined {
  const m = /\b(JSON\.parse|JSON\.stringify|structuredClone|zlib\.\w+|readFileSync|writeFileSync)\b/.exec(spanName);
  return m ? new RegExp(`\\b${m[1].replace('.', '\\.')}\\s*\\(`) : undefined;
}
