// `forensics fixes scan [PATH…] [--rule ID]… [--exclude PATTERN]… [--json] [--fix]`: the
// quick-fix rules over a source tree, for CI and for fixing in bulk. Exit codes: 0 clean,
// 1 findings, 2 bad arguments, 3 some files could not be read or parsed (so the code a
// CI gate passes was really read), unless --skip-unparsable.
// `forensics scan` is the same command under the name the investigation report uses.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, stringList, type CliCommand, type CliInvocation, type CliIO } from '../framework';
import type { ScanResult } from '../../core/fixes/scan';

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
export const EXIT_UNPARSABLE = 3;

function reportSkipped(io: CliIO, result: ScanResult): void {
  for (const s of result.skipped) io.stderr.write(`forensics: skipped ${s.file}: ${s.reason}\n`);
  for (const u of result.unparsable) io.stderr.write(`forensics: could not parse ${u.file}: ${u.reason}\n`);
}

function unparsableLine(result: ScanResult, skipUnparsable: boolean): string {
  if (!result.unparsable.length) return '';
  return `${plural(result.unparsable.length, 'file')} could not be read or parsed, so ${result.unparsable.length === 1 ? 'its' : 'their'} code was not checked: ${result.unparsable.map((u) => u.file).join(', ')}${skipUnparsable ? ' (--skip-unparsable)' : ` (exit code ${EXIT_UNPARSABLE}; --skip-unparsable accepts this)`}\n`;
}

async function run({ values, positionals, io }: CliInvocation): Promise<number> {
  // The rules pull in the Babel parser: load them only when this command runs.
  const fixes = await import('../../core/fixes');
  const { scan, fixInPlace } = await import('../../core/fixes/scan');
  const rules = stringList(values, 'rule');
  const unknown = rules.filter((r) => !fixes.isRuleId(r));
  if (unknown.length)
    throw new CliError(`unknown rule ${unknown.map((r) => `"${r}"`).join(', ')}; the rules are ${fixes.RULE_IDS.join(', ')}`, 2);
  const root = io.cwd;
  const paths = (positionals.length ? positionals : ['.']).map((p) => resolve(root, p));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) throw new CliError(`no such file or folder: ${missing.join(', ')}`, 2);
  const options = rules.length ? { rules: rules.filter(fixes.isRuleId) } : {};
  const walk = { exclude: stringList(values, 'exclude') };
  const skipUnparsable = values['skip-unparsable'] === true;
  const result = scan(root, paths, options, walk);
  reportSkipped(io, result);
  const incomplete = result.unparsable.length > 0 && !skipUnparsable;

  if (values.fix) {
    const fixed = fixInPlace(result, options);
    const written = fixed.filter((f) => f.written);
    for (const f of written) io.stdout.write(f.diff);
    for (const f of fixed) if (!f.written) io.stderr.write(`forensics: not fixed ${f.file}: ${f.reason}\n`);
    const after = scan(root, paths, options, walk);
    const left = after.files.reduce((n, f) => n + f.findings.length, 0);
    const applied = written.reduce((n, f) => n + f.applied.length, 0);
    const notWritten = fixed.filter((f) => !f.written);
    io.stderr.write(
      `${plural(applied, 'fix', 'fixes')} applied in ${plural(written.length, 'file')}${written.length ? ` (${written.map((f) => f.file).join(', ')})` : ''}` +
        `${notWritten.length ? `; ${plural(notWritten.length, 'file')} not changed (${notWritten.map((f) => f.file).join(', ')})` : ''}; ${plural(left, 'finding')} left\n`,
    );
    io.stderr.write(unparsableLine(result, skipUnparsable));
    return incomplete ? EXIT_UNPARSABLE : left > 0 || notWritten.length > 0 ? 1 : 0;
  }

  const total = result.files.reduce((n, f) => n + f.findings.length, 0);
  if (values.json) {
    const findings = result.files.flatMap(({ file, findings: list }) =>
      list.map((f) => ({
        rule: f.ruleId,
        severity: f.severity,
        file,
        line: f.range.startLine,
        column: f.range.startColumn,
        endLine: f.range.endLine,
        endColumn: f.range.endColumn,
        message: f.message,
        fixes: f.fixes.map((x) => ({ title: x.title, preferred: x.isPreferred })),
        docs: `${fixes.DOCS_FILE}#${f.docsAnchor}`,
      })),
    );
    io.stdout.write(
      `${JSON.stringify({ filesScanned: result.filesScanned, findings, skipped: result.skipped, unparsable: result.unparsable }, null, 2)}\n`,
    );
  } else {
    for (const { file, findings: list } of result.files) {
      for (const f of list) {
        const fix = f.fixes.find((x) => x.isPreferred) ?? f.fixes[0];
        io.stdout.write(
          `${file}:${f.range.startLine}:${f.range.startColumn}  ${f.severity}  ${f.ruleId}\n  ${f.message}\n${fix ? `  ${fix.isPreferred ? 'fix' : 'suggestion'}: ${fix.title}\n` : ''}\n`,
        );
      }
    }
    const preferred = result.files.some((f) => f.findings.some((x) => x.fixes.some((y) => y.isPreferred)));
    io.stdout.write(
      `${plural(total, 'finding')} in ${result.files.length} of ${plural(result.filesScanned, 'file')}${result.skipped.length ? `, ${result.skipped.length} skipped (listed on stderr)` : ''}${preferred ? ' (forensics fixes scan --fix applies the safe fixes)' : ''}\n`,
    );
    io.stdout.write(unparsableLine(result, skipUnparsable));
  }
  return incomplete ? EXIT_UNPARSABLE : total > 0 ? 1 : 0;
}

const options = {
  json: { type: 'boolean' },
  fix: { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'skip-unparsable': { type: 'boolean' },
} as const;
const usage = '[PATH…] [--rule ID]… [--exclude PATTERN]… [--json] [--fix] [--skip-unparsable]';
const summary =
  'Finds the bug classes behind real incidents (read-then-write, listener and pool-client leaks, unbounded retries…) in JS/TS files, skipping only node_modules and what .gitignore or --exclude says (each skip is listed); exits 1 on findings, 3 when a file could not be parsed (unless --skip-unparsable); --fix applies the fixes that cannot change behaviour and prints the diff.';

export const fixesCommands: CliCommand[] = [
  { path: ['fixes', 'scan'], summary, usage, options, maxPositionals: 100, run },
  { path: ['scan'], summary: 'Same as "forensics fixes scan".', usage, options, maxPositionals: 100, run },
];
