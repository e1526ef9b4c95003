// What a file's relative imports export (async functions, pool-client wrappers), so a rule
// knows that `writeAudit` from './audit' returns a promise. Only relative specifiers are followed,
// and only to files inside the importing file's package (the nearest folder with a
// package.json, else its own folder): input never makes the analysis read elsewhere.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { VISITOR_KEYS } from '@babel/types';
import type * as t from '@babel/types';
import type { AnalysisContext } from './context';
import { parseSource } from './context';

const EXTENSIONS = ['', '.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx', '/index.js', '/index.ts'];
/** What one module exports of interest to a rule, from its text (cached per file and summary). */
export type ModuleSummary = (text: string, file: string) => Set<string>;
const caches = new WeakMap<ModuleSummary, Map<string, { mtimeMs: number; names: Set<string> }>>();

function packageRoot(file: string): string {
  for (let d = dirname(file); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return dirname(file);
  }
}

/** A declaration whose whole body is one try with a catch that never throws: its promise never rejects. */
function neverRejects(fn: t.FunctionDeclaration): boolean {
  const body = fn.body.body.filter((x) => x.type !== 'EmptyStatement');
  if (body.length !== 1 || body[0].type !== 'TryStatement' || !body[0].handler) return false;
  const throws = (n: t.Node): boolean => {
    if (n.type === 'ThrowStatement') return true;
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') return false;
    for (const key of VISITOR_KEYS[n.type] ?? []) {
      const child = (n as unknown as Record<string, unknown>)[key];
      for (const c of Array.isArray(child) ? child : [child])
        if (c && typeof (c as t.Node).type === 'string' && throws(c as t.Node)) return true;
    }
    return false;
  };
  return !throws(body[0].handler.body);
}

const isAsyncFn = (n: t.Node | null | undefined): boolean =>
  !!n && (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') && n.async;

/**
 * Names a module exports (CommonJS or ES) whose value is one of `local` (top-level names
 * that qualify) or an inline value `qualifies` accepts.
 */
export function exportedNames(ast: t.File, local: Set<string>, qualifies: (value: t.Node) => boolean): Set<string> {
  const out = new Set<string>();
  const matches = (value: t.Node | null | undefined) =>
    !!value && ((value.type === 'Identifier' && local.has(value.name)) || qualifies(value));
  for (const s of ast.program.body) {
    const decl = s.type === 'ExportNamedDeclaration' ? s.declaration : undefined;
    if (decl?.type === 'FunctionDeclaration' && decl.id && local.has(decl.id.name)) out.add(decl.id.name);
    if (decl?.type === 'VariableDeclaration')
      for (const d of decl.declarations) if (d.id.type === 'Identifier' && (local.has(d.id.name) || matches(d.init))) out.add(d.id.name);
    if (s.type === 'ExportNamedDeclaration' && !s.source) {
      for (const sp of s.specifiers)
        if (sp.type === 'ExportSpecifier' && local.has(sp.local.name))
          out.add(sp.exported.type === 'Identifier' ? sp.exported.name : sp.exported.value);
    }
    if (s.type !== 'ExpressionStatement' || s.expression.type !== 'AssignmentExpression') continue;
    const { left, right } = s.expression;
    const target = left.type === 'MemberExpression' ? left : undefined;
    const isModuleExports = (m: t.Node) =>
      m.type === 'MemberExpression' &&
      m.object.type === 'Identifier' &&
      m.object.name === 'module' &&
      m.property.type === 'Identifier' &&
      m.property.name === 'exports';
    if (target && isModuleExports(target) && right.type === 'ObjectExpression') {
      for (const p of right.properties)
        if (p.type === 'ObjectProperty' && p.key.type === 'Identifier' && matches(p.value as t.Node)) out.add(p.key.name);
    }
    if (
      target &&
      target.property.type === 'Identifier' &&
      (isModuleExports(target.object) || (target.object.type === 'Identifier' && target.object.name === 'exports'))
    ) {
      if (matches(right)) out.add(target.property.name);
    }
  }
  return out;
}

/** Names a module exports whose value is an async function (CommonJS or ES exports). */
export function asyncExports(ast: t.File): Set<string> {
  const asyncLocal = new Set<string>();
  for (const stmt of ast.program.body) {
    const s = stmt.type === 'ExportNamedDeclaration' && stmt.declaration ? stmt.declaration : stmt;
    if (s.type === 'FunctionDeclaration' && s.async && s.id && !neverRejects(s)) asyncLocal.add(s.id.name);
    if (s.type === 'VariableDeclaration')
      for (const d of s.declarations) if (d.id.type === 'Identifier' && isAsyncFn(d.init)) asyncLocal.add(d.id.name);
  }
  return exportedNames(ast, asyncLocal, isAsyncFn);
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const boundary = realpathSync(packageRoot(from));
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    try {
      if (!statSync(candidate).isFile()) continue;
      const real = realpathSync(candidate);
      return real === boundary || real.startsWith(boundary + sep) ? real : undefined;
    } catch {
      // not this extension
    }
  }
  return undefined;
}

function exportsOf(file: string, summary: ModuleSummary): Set<string> {
  let cache = caches.get(summary);
  if (!cache) caches.set(summary, (cache = new Map()));
  const { mtimeMs, size } = statSync(file);
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.names;
  let names = new Set<string>();
  if (size <= 1_000_000) {
    try {
      names = summary(readFileSync(file, 'utf8'), file);
    } catch {
      // a module that does not parse tells us nothing
    }
  }
  cache.set(file, { mtimeMs, names });
  return names;
}

const asyncSummary: ModuleSummary = (text, file) => asyncExports(parseSource(text, file));

/** Local names bound to async functions imported from relative modules of the same package. */
export const importedAsyncNames = (ctx: AnalysisContext): Set<string> => importedNames(ctx, asyncSummary);

/** Local names bound to exports `summary` picks, imported from relative modules of the same package. */
export function importedNames(ctx: AnalysisContext, summary: ModuleSummary): Set<string> {
  const out = new Set<string>();
  if (!isAbsolute(ctx.fileName) || !existsSync(ctx.fileName)) return out;
  const bind = (specifier: string, pairs: [imported: string, local: string][]) => {
    if (!specifier.startsWith('.')) return;
    const file = resolveRelative(ctx.fileName, specifier);
    if (!file) return;
    const names = exportsOf(file, summary);
    for (const [imported, local] of pairs) if (names.has(imported)) out.add(local);
  };
  for (const s of ctx.ast.program.body) {
    if (s.type === 'ImportDeclaration') {
      bind(
        s.source.value,
        s.specifiers.flatMap((sp): [string, string][] =>
          sp.type === 'ImportSpecifier' ? [[sp.imported.type === 'Identifier' ? sp.imported.name : sp.imported.value, sp.local.name]] : [],
        ),
      );
    }
    if (s.type !== 'VariableDeclaration') continue;
    for (const d of s.declarations) {
      const init = d.init;
      if (
        d.id.type !== 'ObjectPattern' ||
        init?.type !== 'CallExpression' ||
        init.callee.type !== 'Identifier' ||
        init.callee.name !== 'require' ||
        init.arguments[0]?.type !== 'StringLiteral'
      )
        continue;
      bind(
        init.arguments[0].value,
        d.id.properties.flatMap((p): [string, string][] =>
          p.type === 'ObjectProperty' && p.key.type === 'Identifier' && p.value.type === 'Identifier' ? [[p.key.name, p.value.name]] : [],
        ),
      );
    }
  }
  return out;
}
