// SQL inside `x.query(sql, params)` calls (node-postgres style): the statement text with a
// map back to source offsets, so fixes can edit the SQL inside its string literal, and a
// light reading of the statement shapes the rules care about (SELECT/UPDATE/INSERT).
import type * as t from '@babel/types';
import type { AnalysisContext } from './context';
import { methodCall, memberPath, unwrapExpression } from './ast';

export interface SqlText {
  readonly sql: string;
  /** Source offset of each SQL character, or -1 where it came from `${…}` or an escape. */
  readonly offsets: readonly number[];
  readonly literal: t.StringLiteral | t.TemplateLiteral;
}

export interface QueryCall {
  readonly call: t.CallExpression;
  readonly receiver: string;
  readonly sql: SqlText;
  /** The parameter array (`[a, b]` or `values: [a, b]`), when written inline. */
  readonly params?: t.ArrayExpression;
}

function literalSql(ctx: AnalysisContext, node: t.Node): SqlText | undefined {
  if (node.type === 'StringLiteral') {
    const raw = ctx.text.slice(node.start! + 1, node.end! - 1);
    const mapped = raw === node.value;
    return { sql: node.value, offsets: [...node.value].map((_, i) => (mapped ? node.start! + 1 + i : -1)), literal: node };
  }
  if (node.type === 'TemplateLiteral') {
    let sql = '';
    const offsets: number[] = [];
    node.quasis.forEach((q, i) => {
      const cooked = q.value.cooked ?? q.value.raw;
      const mapped = cooked === q.value.raw;
      for (let j = 0; j < cooked.length; j++) offsets.push(mapped ? q.start! + j : -1);
      sql += cooked;
      if (i < node.expressions.length) {
        const placeholder = ' __expr__ ';
        sql += placeholder;
        for (let j = 0; j < placeholder.length; j++) offsets.push(-1);
      }
    });
    return { sql, offsets, literal: node };
  }
  return undefined;
}

/** Resolves `sql` when it is a literal or a const bound to one in this file. */
function resolveSql(ctx: AnalysisContext, node: t.Node): SqlText | undefined {
  const n = unwrapExpression(node);
  const direct = literalSql(ctx, n);
  if (direct) return direct;
  if (n.type === 'Identifier') {
    for (const d of ctx.nodes) {
      if (d.type === 'VariableDeclarator' && d.id.type === 'Identifier' && d.id.name === n.name && d.init && d.start! < n.start!) {
        const parent = ctx.parentOf(d);
        if (parent?.type === 'VariableDeclaration' && parent.kind === 'const') return literalSql(ctx, unwrapExpression(d.init));
      }
    }
  }
  return undefined;
}

export function queryCall(ctx: AnalysisContext, node: t.Node): QueryCall | undefined {
  const m = methodCall(node);
  if (!m || m.method !== 'query' || m.call.arguments.length === 0) return undefined;
  const first = unwrapExpression(m.call.arguments[0]);
  const receiver = memberPath(m.receiver) ?? ctx.text.slice(m.receiver.start!, m.receiver.end!);
  if (first.type === 'ObjectExpression') {
    let sql: SqlText | undefined;
    let params: t.ArrayExpression | undefined;
    for (const p of first.properties) {
      if (p.type !== 'ObjectProperty' || p.key.type !== 'Identifier') continue;
      if (p.key.name === 'text') sql = resolveSql(ctx, p.value);
      if (p.key.name === 'values' && p.value.type === 'ArrayExpression') params = p.value;
    }
    return sql ? { call: m.call, receiver, sql, params } : undefined;
  }
  const sql = resolveSql(ctx, first);
  if (!sql) return undefined;
  const second = m.call.arguments[1] ? unwrapExpression(m.call.arguments[1]) : undefined;
  return { call: m.call, receiver, sql, params: second?.type === 'ArrayExpression' ? second : undefined };
}

export function allQueryCalls(ctx: AnalysisContext): QueryCall[] {
  const out: QueryCall[] = [];
  for (const n of ctx.nodes) {
    const q = queryCall(ctx, n);
    if (q) out.push(q);
  }
  return out;
}

const normTable = (name: string): string => name.replace(/"/g, '').toLowerCase().split('.').pop()!;

export interface SelectShape {
  kind: 'select';
  table: string;
  columns: string[] | '*';
  locked: boolean;
  whereColumns: string[];
}
export interface Assignment {
  column: string;
  expr: string;
  /** index of expr within the SQL */ exprStart: number;
}
export interface UpdateShape {
  kind: 'update';
  table: string;
  assignments: Assignment[];
  where?: string;
  whereStart?: number;
  /** where the WHERE clause ends (before RETURNING / ; / end) */ clauseEnd: number;
}
export interface InsertShape {
  kind: 'insert';
  table: string;
  columns: string[];
  onConflict: boolean;
  /** where ON CONFLICT goes (before RETURNING / ; / end) */ clauseEnd: number;
}
export type SqlShape = SelectShape | UpdateShape | InsertShape | { kind: 'begin' } | { kind: 'other' };

function splitTopLevel(list: string, from: number): { text: string; start: number }[] {
  const parts: { text: string; start: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= list.length; i++) {
    const ch = list[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if ((ch === ',' && depth === 0) || i === list.length) {
      parts.push({ text: list.slice(start, i), start: from + start });
      start = i + 1;
    }
  }
  return parts;
}

function clauseEnd(sql: string, fromIndex: number): number {
  const tail = sql.slice(fromIndex);
  const returning = /\s+returning\b/i.exec(tail);
  if (returning) return fromIndex + returning.index;
  return fromIndex + tail.replace(/[\s;]+$/, '').length;
}

function equalityColumns(where: string): string[] {
  return [...where.matchAll(/"?(\w+)"?\s*=\s*(?:\$\d+|__expr__|'[^']*'|\d+)/g)].map((m) => m[1].toLowerCase());
}

export function sqlShape(sql: string): SqlShape {
  const s = sql.replace(/--[^\n]*/g, (m) => ' '.repeat(m.length));
  if (/^\s*(begin|start\s+transaction)\b/i.test(s)) return { kind: 'begin' };
  const select = /^\s*select\s+([\s\S]+?)\s+from\s+("?[\w.]+"?)/i.exec(s);
  if (select) {
    const cols = select[1].trim();
    const columns =
      cols === '*' || /(^|,)\s*\w+\.\*/.test(cols)
        ? ('*' as const)
        : splitTopLevel(cols, 0).map((c) => {
            const words = c.text.trim().split(/\s+/);
            return (words[0].split('.').pop() ?? '').replace(/"/g, '').toLowerCase();
          });
    const where = /\bwhere\b([\s\S]*?)(?:\border\s+by\b|\blimit\b|\bfor\s+\w+|$)/i.exec(s);
    return {
      kind: 'select',
      table: normTable(select[2]),
      columns,
      locked: /\bfor\s+(no\s+key\s+)?update\b|\bfor\s+(key\s+)?share\b/i.test(s),
      whereColumns: where ? equalityColumns(where[1]) : [],
    };
  }
  const update = /^\s*update\s+("?[\w.]+"?)(?:\s+(?:as\s+)?\w+)?\s+set\s+/i.exec(s);
  if (update) {
    const setStart = update.index + update[0].length;
    const whereMatch = /\bwhere\b/i.exec(s.slice(setStart));
    const returningMatch = /\breturning\b/i.exec(s.slice(setStart));
    const setEnd = whereMatch
      ? setStart + whereMatch.index
      : returningMatch
        ? setStart + returningMatch.index
        : s.replace(/[\s;]+$/, '').length;
    const assignments: Assignment[] = [];
    for (const part of splitTopLevel(s.slice(setStart, setEnd), setStart)) {
      const a = /^(\s*)"?(\w+)"?\s*=\s*/.exec(part.text);
      if (!a) continue;
      assignments.push({ column: a[2].toLowerCase(), expr: part.text.slice(a[0].length).trim(), exprStart: part.start + a[0].length });
    }
    const whereStart = whereMatch ? setStart + whereMatch.index + whereMatch[0].length : undefined;
    const end = clauseEnd(s, whereStart ?? setEnd);
    return {
      kind: 'update',
      table: normTable(update[1]),
      assignments,
      where: whereStart !== undefined ? s.slice(whereStart, end) : undefined,
      whereStart,
      clauseEnd: whereStart !== undefined ? end : clauseEnd(s, setStart),
    };
  }
  const insert = /^\s*insert\s+into\s+("?[\w.]+"?)\s*(?:\(([^)]*)\))?/i.exec(s);
  if (insert) {
    return {
      kind: 'insert',
      table: normTable(insert[1]),
      columns: (insert[2] ?? '')
        .split(',')
        .map((c) => c.trim().replace(/"/g, '').toLowerCase())
        .filter(Boolean),
      onConflict: /\bon\s+conflict\b/i.test(s),
      clauseEnd: clauseEnd(s, insert.index + insert[0].length),
    };
  }
  return { kind: 'other' };
}

/** An edit inserting `text` at SQL index `index`, or undefined when that spot is not plain literal text. */
export function sqlInsertEdit(sql: SqlText, index: number, text: string): { start: number; end: number; newText: string } | undefined {
  // Insert after the preceding character, so the position always maps into the literal.
  const before = sql.offsets[index - 1];
  if (before === undefined || before < 0) return undefined;
  return { start: before + 1, end: before + 1, newText: text };
}

export function sqlReplaceEdit(
  sql: SqlText,
  start: number,
  end: number,
  text: string,
): { start: number; end: number; newText: string } | undefined {
  const from = sql.offsets[start];
  const to = sql.offsets[end - 1];
  if (from === undefined || to === undefined || from < 0 || to < 0 || to - from !== end - 1 - start) return undefined;
  return { start: from, end: to + 1, newText: text };
}
