// Small facts about SQL text the tool is asked to EXPLAIN: whether it is exactly one
// statement (so nothing can ride along after a semicolon), what kind it is, and which
// $n parameters it uses. A scanner that knows strings, quoted names, comments and
// dollar quotes; it does not parse SQL.

export interface SqlFacts {
  /** The statement without a trailing semicolon. */
  readonly text: string;
  /** First keyword, upper-case (SELECT, WITH, UPDATE, …). */
  readonly keyword: string;
  /** Highest $n used, 0 when none. */
  readonly parameters: number;
  readonly statements: number;
}

export function scanSql(sql: string): SqlFacts {
  let i = 0;
  let statements = 0;
  let inStatement = false;
  let parameters = 0;
  let lastSemicolon = -1;
  let code = '';
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const rest = sql.slice(i);
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; } else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; } else i++;
      }
      code += ' ';
      continue;
    }
    if (!/\s/.test(c) && c !== ';' && !inStatement) { inStatement = true; statements++; }
    if (c === ';') { inStatement = false; lastSemicolon = i; code += ';'; i++; continue; }
    if (c === "'" ) {
      const escapes = /[eE]/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '');
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') { i += 2; continue; }
        if (sql[i] === "'") { if (sql[i + 1] === "'") { i += 2; continue; } break; }
        i++;
      }
      i++;
      code += "''";
      continue;
    }
    if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
      code += '""';
      continue;
    }
    const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
    if (dollar && !/\w/.test(sql[i - 1] ?? '')) {
      const end = sql.indexOf(dollar[0], i + dollar[0].length);
      i = end < 0 ? n : end + dollar[0].length;
      code += "''";
      continue;
    }
    const param = /^\$(\d+)/.exec(rest);
    if (param) {
      parameters = Math.max(parameters, Number(param[1]));
      i += param[0].length;
      code += '$';
      continue;
    }
    code += c;
    i++;
  }
  const trimmed = lastSemicolon >= 0 && statements <= 1 && sql.slice(lastSemicolon + 1).replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '' ? sql.slice(0, lastSemicolon) : sql;
  const keyword = (/[A-Za-z]+/.exec(code)?.[0] ?? '').toUpperCase();
  return { text: trimmed.trim(), keyword, parameters, statements };
}
