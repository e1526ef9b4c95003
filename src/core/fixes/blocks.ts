// Statement-level edits shared by the leak rules: where a value lives (module scope or a
// function's), how to insert a statement next to another, wrap the rest of a block in
// try/finally, and remove a statement with its line. All keep the file's own style.
import type * as t from '@babel/types';
import type { AnalysisContext } from './context';
import { isFunction, nodesWithin, patternNames, type FunctionNode } from './ast';
import { applyEdits } from './edits';
import { indentAt, lineStartOf, reindent } from './style';
import type { TextEdit } from './types';

/** Names bound by top-level declarations (const/let/var, functions, classes, imports). */
export function moduleBindings(ctx: AnalysisContext): Map<string, t.Node> {
  const out = new Map<string, t.Node>();
  for (const stmt of ctx.ast.program.body) {
    const decl = stmt.type === 'ExportNamedDeclaration' && stmt.declaration ? stmt.declaration : stmt;
    if (decl.type === 'VariableDeclaration') {
      for (const d of decl.declarations) for (const name of patternNames(d.id)) out.set(name, d);
    } else if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) {
      out.set(decl.id.name, decl);
    } else if (decl.type === 'ImportDeclaration') {
      for (const s of decl.specifiers) out.set(s.local.name, decl);
    }
  }
  return out;
}

/** Names a function binds itself: parameters, and declarations directly in its body. */
export function functionBindings(ctx: AnalysisContext, fn: FunctionNode): Set<string> {
  const names = new Set<string>();
  for (const p of fn.params) for (const n of patternNames(p as t.Node)) names.add(n);
  for (const n of nodesWithin(ctx, fn)) {
    if (n.type === 'VariableDeclarator' && innermostFunction(ctx, n) === fn) for (const name of patternNames(n.id)) names.add(name);
  }
  return names;
}

function innermostFunction(ctx: AnalysisContext, node: t.Node): FunctionNode | undefined {
  for (let p = ctx.parentOf(node); p; p = ctx.parentOf(p)) if (isFunction(p)) return p;
  return undefined;
}

/** The functions around `node`, innermost first. */
export function enclosingFunctions(ctx: AnalysisContext, node: t.Node): FunctionNode[] {
  const out: FunctionNode[] = [];
  for (let p = ctx.parentOf(node); p; p = ctx.parentOf(p)) if (isFunction(p)) out.push(p);
  return out;
}

/** Inserts a statement on its own line after `stmt`, at the same indentation. */
export function insertStatementAfter(ctx: AnalysisContext, stmt: t.Node, code: string): TextEdit {
  const indent = indentAt(ctx.text, stmt.start!);
  return { start: stmt.end!, end: stmt.end!, newText: `${ctx.style.eol}${indent}${code}` };
}

/** Inserts a statement on its own line before `stmt`, at the same indentation. */
export function insertStatementBefore(ctx: AnalysisContext, stmt: t.Node, code: string): TextEdit {
  const indent = indentAt(ctx.text, stmt.start!);
  return { start: stmt.start!, end: stmt.start!, newText: `${code}${ctx.style.eol}${indent}` };
}

/** The span of a statement including its indentation and line break, when it sits alone on its lines. */
export function statementLineSpan(ctx: AnalysisContext, stmt: t.Node): { start: number; end: number } {
  const start = lineStartOf(ctx.text, stmt.start!);
  const aloneBefore = ctx.text.slice(start, stmt.start!).trim() === '';
  const lineEnd = ctx.text.indexOf('\n', stmt.end!);
  const after = ctx.text.slice(stmt.end!, lineEnd === -1 ? ctx.text.length : lineEnd);
  if (!aloneBefore || after.trim() !== '') return { start: stmt.start!, end: stmt.end! };
  return { start, end: lineEnd === -1 ? ctx.text.length : lineEnd + 1 };
}

/**
 * Wraps `stmts` (consecutive statements of one block) in `try { … } finally { cleanup }`,
 * re-indenting them one level and dropping `remove` (statements inside the range).
 */
export function wrapInTryFinally(
  ctx: AnalysisContext,
  stmts: readonly t.Statement[],
  cleanup: string[],
  remove: readonly t.Node[] = [],
): TextEdit {
  const { style } = ctx;
  const first = stmts[0];
  const last = stmts[stmts.length - 1];
  const indent = indentAt(ctx.text, first.start!);
  const inner = indent + style.indentUnit;
  const from = lineStartOf(ctx.text, first.start!);
  const lineEnd = ctx.text.indexOf('\n', last.end!);
  const to = lineEnd === -1 ? ctx.text.length : lineEnd;
  const removals = remove.map((r) => {
    const span = statementLineSpan(ctx, r);
    return { start: span.start - from, end: Math.min(span.end, to) - from, newText: '' };
  });
  let body = applyEdits(ctx.text.slice(from, to), removals).replace(/\r?\n$/, '');
  body = body
    .split(/\r?\n/)
    .map((line) => (line.trim() ? (line.startsWith(indent) ? inner + line.slice(indent.length) : style.indentUnit + line) : ''))
    .join(style.eol);
  const eol = style.eol;
  const finallyBody = cleanup.map((c) => `${inner}${c}`).join(eol);
  return { start: from, end: to, newText: `${indent}try {${eol}${body}${eol}${indent}} finally {${eol}${finallyBody}${eol}${indent}}` };
}

/** The source of `node` moved from its own line's indentation to `to`. */
export function sourceAtIndent(ctx: AnalysisContext, node: t.Node, to: string): string {
  return reindent(ctx.text.slice(node.start!, node.end!), indentAt(ctx.text, node.start!), to);
}

/** The statements of the block that directly holds `stmt`, from `stmt` on (exclusive). */
export function followingStatements(
  ctx: AnalysisContext,
  stmt: t.Statement,
): { block: t.BlockStatement | t.Program; rest: t.Statement[] } | undefined {
  const parent = ctx.parentOf(stmt);
  if (!parent || (parent.type !== 'BlockStatement' && parent.type !== 'Program')) return undefined;
  const index = parent.body.indexOf(stmt);
  return { block: parent, rest: parent.body.slice(index + 1) };
}

/** A node-like span with line/column, for findings that flag part of a statement (e.g. `while (true)`). */
export function spanNode(ctx: AnalysisContext, start: number, end: number): t.Node {
  const pos = (offset: number) => {
    const before = ctx.text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - (before.lastIndexOf('\n') + 1), index: offset };
  };
  return {
    type: 'Noop',
    start,
    end,
    loc: { start: pos(start), end: pos(end), filename: ctx.fileName, identifierName: undefined },
  } as unknown as t.Node;
}
