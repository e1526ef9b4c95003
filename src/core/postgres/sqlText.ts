// The first keyword of SQL text the tool is asked to EXPLAIN, for a clear message when it
// is not a statement that can be planned. This is not a safety check: whether the text
// is exactly one statement, and what it may do, is decided by PostgreSQL itself (see
// explain.ts and session.ts). It only skips what the server's lexer skips before the
// first token: whitespace, `--` comments (ended by LF or CR, as the server ends them),
// nested `/* */` comments and opening parentheses.

export function leadingKeyword(sql: string): string {
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s|\(/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else {
      break;
    }
  }
  return (/^[A-Za-z]+/.exec(sql.slice(i))?.[0] ?? '').toUpperCase();
}
