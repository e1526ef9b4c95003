// The quick-fix rules as an ESLint plugin, for teams that already run ESLint in CI: one
// ESLint rule per Forensics rule (`production-forensics/<rule>`), built on the same engine
// as the CLI and the editor. A safe fix becomes ESLint's `fix` (applied by `--fix`), a
// suggestion becomes `suggest` (offered in the editor, never applied by `--fix`).
// The engine parses the text itself (Babel), so the plugin works under any ESLint parser.
import type { ESLint, Linter, Rule, SourceCode } from 'eslint';
import { analyze, DOCS_FILE, RULES, type Finding, type Fix, type RuleId } from '../core/fixes';

const PLUGIN = 'production-forensics';
const DOCS_URL = `https://github.com/production-forensics/production-forensics/blob/main/${DOCS_FILE}`;

/** All findings of a file, computed once however many of the rules are enabled. */
const perFile = new WeakMap<SourceCode, Finding[] | Error>();

function findingsOf(sourceCode: SourceCode, fileName: string): Finding[] | Error {
  let found = perFile.get(sourceCode);
  if (!found) {
    try {
      found = analyze(sourceCode.text, fileName);
    } catch (err) {
      found = err as Error;
    }
    perFile.set(sourceCode, found);
  }
  return found;
}

const fixer =
  (fix: Fix): Rule.ReportFixer =>
  (f) =>
    fix.edits.map((e) => f.replaceTextRange([e.start, e.end], e.newText));

function eslintRule(id: RuleId, title: string): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: { description: title, url: `${DOCS_URL}#${id}` },
      fixable: 'code',
      hasSuggestions: true,
      schema: [],
    },
    create(context) {
      return {
        'Program:exit'() {
          const found = findingsOf(context.sourceCode, context.filename);
          // ESLint already reports files it cannot parse; one the engine cannot read adds nothing.
          if (found instanceof Error) return;
          for (const finding of found) {
            if (finding.ruleId !== id) continue;
            const safe = finding.fixes.find((x) => x.isPreferred);
            const { range } = finding;
            context.report({
              message: finding.message,
              loc: {
                start: { line: range.startLine, column: range.startColumn - 1 },
                end: { line: range.endLine, column: range.endColumn - 1 },
              },
              fix: safe ? fixer(safe) : null,
              suggest: finding.fixes.filter((x) => x !== safe).map((x) => ({ desc: x.title, fix: fixer(x) })),
            });
          }
        },
      };
    },
  };
}

const rules: Record<string, Rule.RuleModule> = Object.fromEntries(RULES.map((r) => [r.id, eslintRule(r.id, r.title)]));

const ESLINT_LEVEL = { error: 'error', warning: 'warn', info: 'warn', hint: 'warn' } as const;

const plugin: ESLint.Plugin & { configs: Record<string, Linter.Config> } = {
  meta: { name: `eslint-plugin-${PLUGIN}`, version: '0.1.0' },
  rules,
  configs: {},
};
/** Every rule at its default severity (flat config): `export default [forensics.configs.recommended]`. */
plugin.configs.recommended = {
  name: `${PLUGIN}/recommended`,
  plugins: { [PLUGIN]: plugin },
  rules: Object.fromEntries(RULES.map((r) => [`${PLUGIN}/${r.id}`, ESLINT_LEVEL[r.defaultSeverity]])),
};

export default plugin;
export { rules };
