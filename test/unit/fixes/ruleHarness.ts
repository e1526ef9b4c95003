// Shared by the rule tests: run one rule over a snippet, apply its fixes, and check that
// the result parses strictly (no error recovery) as the same language, so a fix never
// leaves a file that does not compile.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from '@babel/parser';
import { analyze, applyFix, type Finding, type Fix, type RuleId } from '../../../src/core/fixes';

export function findings(code: string, rule: RuleId, fileName = 'service.js'): Finding[] {
  return analyze(code, fileName, { rules: [rule] });
}

export function only(code: string, rule: RuleId, fileName = 'service.js'): Finding {
  const found = findings(code, rule, fileName);
  assert.equal(
    found.length,
    1,
    `expected one ${rule} finding, got ${found.length}: ${found.map((f) => `${f.range.startLine}: ${f.message}`).join('\n')}`,
  );
  return found[0];
}

export function assertQuiet(code: string, rule: RuleId, fileName = 'service.js'): void {
  const found = findings(code, rule, fileName);
  assert.deepEqual(
    found.map((f) => `${f.range.startLine}: ${f.message}`),
    [],
    `${rule} should stay quiet`,
  );
}

export function assertParses(code: string, fileName: string): void {
  const ts = /\.[cm]?tsx?$/.test(fileName);
  try {
    parse(code, {
      sourceType: 'unambiguous',
      plugins: ts ? ['typescript', ...(fileName.endsWith('x') ? ['jsx' as const] : [])] : ['jsx'],
      allowAwaitOutsideFunction: true,
    });
  } catch (err) {
    assert.fail(`the fixed ${fileName} does not parse: ${(err as Error).message}\n${code}`);
  }
}

/** Applies the fix (the preferred one, else the first suggestion, unless a title pattern is given), checks it parses and that the rule is then quiet. */
export function fixed(code: string, rule: RuleId, fileName = 'service.js', title?: RegExp): string {
  const finding = only(code, rule, fileName);
  const chosen: Fix | undefined = title
    ? finding.fixes.find((f) => title.test(f.title))
    : (finding.fixes.find((f) => f.isPreferred) ?? finding.fixes[0]);
  assert.ok(chosen, `no ${title ?? ''} fix among ${finding.fixes.map((f) => f.title).join(', ')}`);
  const out = applyFix(code, chosen);
  assertParses(out, fileName);
  assert.deepEqual(
    findings(out, rule, fileName).map((f) => f.message),
    [],
    `${rule} still fires after its fix:\n${out}`,
  );
  return out;
}

/** Loads CommonJS source from a file in `dir` (so the fixed code runs for real). */
export function loadModule<T>(dir: string, name: string, source: string): T {
  const file = join(dir, name);
  writeFileSync(file, source);
  return createRequire(file)(file) as T;
}

/** A scratch folder inside the repository, so fixed code can require the project's packages (pg). */
export function runDir(name: string): string {
  const base = join(__dirname, '..', '..', '..', 'test-output', 'fixes');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name}-`));
}
