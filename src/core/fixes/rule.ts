// What a rule is: an id, a default severity, and a check over the analysed file that
// reports the node to flag, the reason, and the fixes.
import type * as t from '@babel/types';
import type { AnalysisContext } from './context';
import type { Fix, RuleId, Severity, TextEdit } from './types';

export interface RawFinding {
  readonly node: t.Node;
  readonly message: string;
  readonly fixes: Fix[];
}

export interface Rule {
  readonly id: RuleId;
  readonly title: string;
  readonly defaultSeverity: Severity;
  check(ctx: AnalysisContext): RawFinding[];
}

export function fix(title: string, isPreferred: boolean, edits: (TextEdit | undefined)[]): Fix | undefined {
  if (edits.some((e) => e === undefined)) return undefined;
  return { title, isPreferred, edits: edits as TextEdit[] };
}

export function fixes(...candidates: (Fix | undefined)[]): Fix[] {
  return candidates.filter((f): f is Fix => f !== undefined);
}

export const insertAt = (offset: number, newText: string): TextEdit => ({ start: offset, end: offset, newText });
export const replace = (node: t.Node, newText: string): TextEdit => ({ start: node.start!, end: node.end!, newText });
