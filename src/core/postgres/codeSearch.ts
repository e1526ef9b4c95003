// "Find in workspace" for a statement: which source file most likely sends it. The text
// pg_stat_statements records is the SQL the code wrote with constants replaced by $n,
// so the code usually holds its opening words verbatim (perhaps across lines); failing
// that, the files that name its tables in SQL are the candidates. Pure: text in, scores out.

export interface SearchTerms {
  /** Tables the statement reads or writes, unqualified and lower-case. */
  readonly tables: string[];
  /** The statement's words up to its first parameter or literal, for a verbatim match; null if too short. */
  readonly fragment: string[] | null;
}

export interface FileMatch {
  readonly score: number;
  /** 0-based line of the best match. */
  readonly line: number;
  readonly reason: 'statement text' | 'table names';
}

const TABLE_AFTER = /\b(?:from|join|update|into|table)\s+(?:only\s+)?((?:"[^"]+"|[a-z_][\w$]*)(?:\.(?:"[^"]+"|[a-z_][\w$]*))?)/gi;
const NOT_TABLES = new Set(['select', 'lateral', 'unnest', 'generate_series', 'set']);

function unquote(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/^"|"$/g, '').toLowerCase();
}

export function statementSearchTerms(sql: string): SearchTerms {
  const tables = new Set<string>();
  for (const m of sql.matchAll(TABLE_AFTER)) {
    const name = unquote(m[1]);
    if (!NOT_TABLES.has(name) && !name.startsWith('pg_')) tables.add(name);
  }
  // Up to the first $n or quoted literal: what the code wrote before its values.
  const head = sql.split(/\$\d+|'/)[0];
  const words = head.match(/[^\s]+/g) ?? [];
  const fragment = words.length >= 3 ? words.slice(0, 12) : null;
  return { tables: [...tables], fragment };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lineAt(text: string, index: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** How well a file matches; null when it does not mention the statement at all. */
export function scoreFile(text: string, terms: SearchTerms): FileMatch | null {
  if (terms.fragment) {
    // Whitespace-insensitive, so SQL split over lines or indented in a template still matches.
    const verbatim = new RegExp(terms.fragment.map(escapeRegExp).join('\\s+'), 'i').exec(text);
    if (verbatim) return { score: 1000 + terms.fragment.length, line: lineAt(text, verbatim.index), reason: 'statement text' };
  }
  let score = 0;
  let first = -1;
  for (const table of terms.tables) {
    const inSql = new RegExp(`\\b(?:from|join|update|into)\\s+(?:"?\\w+"?\\.)?"?${escapeRegExp(table)}"?\\b`, 'gi');
    for (const m of text.matchAll(inSql)) {
      score += 10;
      if (first < 0 || m.index < first) first = m.index;
    }
  }
  return score > 0 ? { score, line: lineAt(text, first), reason: 'table names' } : null;
}
