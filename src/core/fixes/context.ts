// Parses a JS/TS file with Babel and indexes the tree once (parents, nodes in source
// order) so every rule walks the same structure without re-traversing.
import { parse, type ParserPlugin } from '@babel/parser';
import { VISITOR_KEYS } from '@babel/types';
import type * as t from '@babel/types';
import { detectStyle, type CodeStyle } from './style';
import type { SourceRange } from './types';

export interface AnalysisContext {
  readonly text: string;
  readonly fileName: string;
  readonly isTypeScript: boolean;
  readonly ast: t.File;
  /** Every node in source (pre-)order. */
  readonly nodes: readonly t.Node[];
  readonly style: CodeStyle;
  parentOf(node: t.Node): t.Node | undefined;
}

export class ParseFailure extends Error {
  constructor(
    readonly fileName: string,
    message: string,
    readonly line?: number,
  ) {
    super(`${fileName}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'ParseFailure';
  }
}

function pluginsFor(fileName: string): { plugins: ParserPlugin[]; isTypeScript: boolean } {
  const lower = fileName.toLowerCase();
  if (/\.(ts|mts|cts)$/.test(lower)) return { plugins: ['typescript', 'decorators-legacy'], isTypeScript: true };
  if (lower.endsWith('.tsx')) return { plugins: ['typescript', 'jsx', 'decorators-legacy'], isTypeScript: true };
  return { plugins: ['jsx'], isTypeScript: false };
}

export function parseSource(text: string, fileName: string): t.File {
  const { plugins } = pluginsFor(fileName);
  try {
    return parse(text, {
      sourceType: 'unambiguous',
      plugins,
      // Files being edited are often half-typed: recover and analyse what parses.
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
    });
  } catch (err) {
    const e = err as Error & { loc?: { line: number } };
    throw new ParseFailure(fileName, e.message.replace(/\s*\(\d+:\d+\)$/, ''), e.loc?.line);
  }
}

export function createContext(text: string, fileName: string): AnalysisContext {
  const ast = parseSource(text, fileName);
  const parents = new Map<t.Node, t.Node>();
  const nodes: t.Node[] = [];
  const visit = (node: t.Node, parent: t.Node | undefined): void => {
    nodes.push(node);
    if (parent) parents.set(node, parent);
    const keys = VISITOR_KEYS[node.type] ?? [];
    for (const key of keys) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof (c as t.Node).type === 'string') visit(c as t.Node, node);
      } else if (child && typeof (child as t.Node).type === 'string') {
        visit(child as t.Node, node);
      }
    }
  };
  visit(ast.program, undefined);
  return {
    text,
    fileName,
    isTypeScript: pluginsFor(fileName).isTypeScript,
    ast,
    nodes,
    style: detectStyle(text, nodes),
    parentOf: (node) => parents.get(node),
  };
}

export function rangeOf(node: t.Node): SourceRange {
  const loc = node.loc!;
  return {
    startLine: loc.start.line,
    startColumn: loc.start.column + 1,
    endLine: loc.end.line,
    endColumn: loc.end.column + 1,
    startOffset: node.start!,
    endOffset: node.end!,
  };
}
