// The house style of the file being fixed, read from the file itself, so inserted code
// looks like the code around it: indentation unit, quote character, semicolons, EOL.
import type * as t from '@babel/types';

export interface CodeStyle {
  readonly indentUnit: string;
  readonly quote: "'" | '"';
  readonly semi: boolean;
  readonly eol: '\n' | '\r\n';
}

function detectIndentUnit(text: string): string {
  const counts = new Map<number, number>();
  let tabs = 0;
  let spaced = 0;
  let previous = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const lead = /^[ \t]*/.exec(line)![0];
    if (lead.startsWith('\t')) {
      tabs++;
      continue;
    }
    const width = lead.length;
    const delta = Math.abs(width - previous);
    if (delta > 0 && delta <= 8) {
      counts.set(delta, (counts.get(delta) ?? 0) + 1);
      spaced++;
    }
    previous = width;
  }
  if (tabs > spaced) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [width, count] of counts)
    if (count > bestCount) {
      best = width;
      bestCount = count;
    }
  return ' '.repeat(best);
}

/** `nodes`: every node of the parsed file (the analysis context's pre-order list). */
export function detectStyle(text: string, nodes: readonly t.Node[]): CodeStyle {
  let single = 0;
  let double = 0;
  let withSemi = 0;
  let withoutSemi = 0;
  const statementTypes = new Set(['ExpressionStatement', 'VariableDeclaration', 'ReturnStatement', 'ThrowStatement']);
  // Every statement of the file, nested ones included (class bodies, callbacks).
  for (const node of nodes) {
    if (statementTypes.has(node.type) && node.end != null) {
      if (text[node.end - 1] === ';') withSemi++;
      else withoutSemi++;
    }
  }
  for (const match of text.matchAll(/(?<![\w\\])(['"])(?:(?!\1)[^\\\n]|\\.)*\1/g)) {
    if (match[1] === "'") single++;
    else double++;
  }
  // Statements inside functions tell as much as top-level ones; sample them by text.
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || /^(\/\/|\*|\/\*)/.test(trimmed) || /[{}([,]$/.test(trimmed)) continue;
    if (/^(const|let|var|return|await|throw)\b/.test(trimmed)) {
      if (trimmed.endsWith(';')) withSemi++;
      else if (/[\w)\]'"`]$/.test(trimmed)) withoutSemi++;
    }
  }
  return {
    indentUnit: detectIndentUnit(text),
    quote: double > single ? '"' : "'",
    semi: withSemi >= withoutSemi,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** Leading whitespace of the line containing `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Moves every line after the first from indentation `from` to `to` (relative shift). */
export function reindent(snippet: string, from: string, to: string): string {
  const lines = snippet.split('\n');
  return lines
    .map((line, i) => {
      if (i === 0) return line;
      if (line.startsWith(from)) return to + line.slice(from.length);
      return line;
    })
    .join('\n');
}

export function quoted(style: CodeStyle, value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').split(style.quote).join(`\\${style.quote}`);
  return `${style.quote}${escaped}${style.quote}`;
}

export function semi(style: CodeStyle): string {
  return style.semi ? ';' : '';
}
