// `forensics fixes scan [PATH…] [--rule ID]… [--json] [--fix]`: the quick-fix rules over
// a source tree, for CI (exit code 1 when anything is found) and for fixing in bulk.
// `forensics scan` is the same command under the name the investigation report uses.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, stringList, type CliCommand, type CliInvocation } from '../framework';

async function run({ values, positionals, io }: CliInvocation): Promise<number> {
  // The rules pull in the Babel parser: load them only when this command runs.
  const fixes = await import('../../core/fixes');
  const { scan, fixInPlace } = await import('../../core/fixes/scan');
  const rules = stringList(values, 'rule');
  const unknown = rules.filter((r) => !fixes.isRuleId(r));
  if (unknown.length) throw new CliError(`unknown rule ${unknown.map((r) => `"${r}"`).join(', ')}; the rules are ${fixes.RULE_IDS.join(', ')}`, 2);
  const root = io.cwd;
  const paths = (positionals.length ? positionals : ['.']).map((p) => resolve(root, p));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) throw new CliError(`no such file or folder: ${missing.join(', ')}`, 2);
  const options = rules.length ? { rules: rules.filter(fixes.isRuleId) } : {};
  const result = scan(root, paths, options);
  for (const u of result.unreadable) io.stderr.write(`forensics: skipped ${u.file}: ${u.reason.split('\n')[0]}\n`);

  if (values.fix) {
    const fixed = fixInPlace(root, result, options);
    for (const f of fixed) io.stdout.write(f.diff);
    const after = scan(root, paths, options);
    const left = after.files.reduce((n, f) => n + f.findings.length, 0);
    const applied = fixed.reduce((n, f) => n + f.applied.length, 0);
    io.stderr.write(`${applied} fix${applied === 1 ? '' : 'es'} applied in ${fixed.length} file${fixed.length === 1 ? '' : 's'}; ${left} finding${left === 1 ? '' : 's'} left\n`);
    return left > 0 ? 1 : 0;
  }

  const total = result.files.reduce((n, f) => n + f.findings.length, 0);
  if (values.json) {
    const findings = result.files.flatMap(({ file, findings: list }) => list.map((f) => ({
      rule: f.ruleId, severity: f.severity, file, line: f.range.startLine, column: f.range.startColumn, endLine: f.range.endLine, endColumn: f.range.endColumn,
      message: f.message, fixes: f.fixes.map((x) => ({ title: x.title, preferred: x.isPreferred })), docs: `${fixes.DOCS_FILE}#${f.docsAnchor}`,
    })));
    io.stdout.write(`${JSON.stringify({ filesScanned: result.filesScanned, findings, skipped: result.unreadable }, null, 2)}\n`);
  } else {
    for (const { file, findings: list } of result.files) {
      for (const f of list) {
        const fix = f.fixes.find((x) => x.isPreferred) ?? f.fixes[0];
        io.stdout.write(`${file}:${f.range.startLine}:${f.range.startColumn}  ${f.severity}  ${f.ruleId}\n  ${f.message}\n${fix ? `  fix: ${fix.title}\n` : ''}\n`);
      }
    }
    io.stdout.write(`${total} finding${total === 1 ? '' : 's'} in ${result.files.length} of ${result.filesScanned} file${result.filesScanned === 1 ? '' : 's'}${total ? ' (forensics fixes scan --fix applies the preferred fixes)' : ''}\n`);
  }
  return total > 0 ? 1 : 0;
}

const options = { json: { type: 'boolean' }, fix: { type: 'boolean' }, rule: { type: 'string', multiple: true } } as const;
const usage = '[PATH…] [--rule ID]… [--json] [--fix]';
const summary = 'Finds the bug classes behind real incidents (read-then-write, listener and pool-client leaks, unbounded retries…) in JS/TS files; exits 1 when any is found; --fix applies the preferred fixes and prints the diff.';

export const fixesCommands: CliCommand[] = [
  { path: ['fixes', 'scan'], summary, usage, options, maxPositionals: 100, run },
  { path: ['scan'], summary: 'Same as "forensics fixes scan".', usage, options, maxPositionals: 100, run },
];
