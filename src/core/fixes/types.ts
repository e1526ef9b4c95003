// The shapes every detector returns: findings with ranges and the text edits that fix them.
// Plain data, so the extension, the CLI and the tests all read the same thing.

export const RULE_IDS = [
  'read-then-write',
  'check-then-insert',
  'pool-client-leak',
  'listener-leak',
  'interval-leak',
  'floating-promise',
  'unbounded-retry',
  'unbounded-cache',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'hint' | 'info' | 'warning' | 'error';

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** Replace source[start, end) with newText. Offsets are UTF-16 indexes into the analysed text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** True when this fix is clearly the right one (VS Code applies it with "auto fix"). */
  readonly isPreferred: boolean;
  readonly edits: readonly TextEdit[];
}

/** Line and column are 1-based; offsets are 0-based into the text. */
export interface SourceRange {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly startOffset: number;
  readonly endOffset: number;
}

export interface Finding {
  readonly ruleId: RuleId;
  readonly message: string;
  readonly severity: Severity;
  readonly range: SourceRange;
  readonly fixes: readonly Fix[];
  /** Anchor in docs/bug-classes.md explaining the bug class (equals the rule id). */
  readonly docsAnchor: string;
}

export const DOCS_FILE = 'docs/bug-classes.md';
