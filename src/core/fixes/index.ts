// The fixes engine: source text in, findings with their fixes out. Pure and synchronous;
// callers load this module lazily (it pulls in the Babel parser).
import { createContext, rangeOf } from './context';
import { applyEdits, nonOverlapping } from './edits';
import type { Rule } from './rule';
import { checkThenInsert } from './rules/checkThenInsert';
import { floatingPromise } from './rules/floatingPromise';
import { intervalLeak } from './rules/intervalLeak';
import { listenerLeak } from './rules/listenerLeak';
import { poolClientLeak } from './rules/poolClientLeak';
import { readThenWrite } from './rules/readThenWrite';
import { unboundedCache } from './rules/unboundedCache';
import { unboundedRetry } from './rules/unboundedRetry';
import type { Finding, RuleId, Severity } from './types';

export * from './types';
export { applyEdits, applyFix, unifiedDiff } from './edits';
export { ParseFailure } from './context';
export { isAnalyzableFile } from './files';

export const RULES: readonly Rule[] = [
  readThenWrite,
  checkThenInsert,
  poolClientLeak,
  listenerLeak,
  intervalLeak,
  floatingPromise,
  unboundedRetry,
  unboundedCache,
];

export function ruleById(id: RuleId): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export interface AnalyzeOptions {
  /** Only these rules (default: all). */
  readonly rules?: readonly RuleId[];
  /** Severity per rule, overriding the defaults; 'off' disables a rule. */
  readonly severities?: Partial<Record<RuleId, Severity | 'off'>>;
}

export function analyze(text: string, fileName: string, options: AnalyzeOptions = {}): Finding[] {
  const ctx = createContext(text, fileName);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (options.rules && !options.rules.includes(rule.id)) continue;
    const severity = options.severities?.[rule.id] ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    for (const raw of rule.check(ctx)) {
      findings.push({ ruleId: rule.id, message: raw.message, severity, range: rangeOf(raw.node), fixes: raw.fixes, docsAnchor: rule.id });
    }
  }
  return findings.sort((a, b) => a.range.startOffset - b.range.startOffset);
}

/**
 * Applies the preferred fix of every finding, re-analysing between rounds so fixes
 * whose edits overlap are applied one after the other against fresh offsets.
 */
export function fixAll(text: string, fileName: string, options: AnalyzeOptions = {}): { text: string; applied: Finding[] } {
  let current = text;
  const applied: Finding[] = [];
  for (let round = 0; round < 10; round++) {
    const findings = analyze(current, fileName, options).filter((f) => f.fixes.some((x) => x.isPreferred));
    const chosen = nonOverlapping(findings.map((f) => f.fixes.find((x) => x.isPreferred)!));
    if (chosen.length === 0) break;
    current = applyEdits(
      current,
      chosen.flatMap((f) => f.edits),
    );
    applied.push(...findings.filter((f) => chosen.includes(f.fixes.find((x) => x.isPreferred)!)));
  }
  return { text: current, applied };
}
