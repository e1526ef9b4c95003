// The command-line framework: a table of commands addressed by words
// (`forensics sentry issues …`), node:util's parseArgs for options, and one rule for
// errors: a single line on stderr and a non-zero exit code, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on the first Ctrl-C; commands that can stop cleanly listen to it. */
  readonly signal?: AbortSignal;
}

export interface CliInvocation {
  readonly values: OptionValues;
  readonly positionals: string[];
  readonly io: CliIO;
}

export interface CliCommand {
  /** The words that name the command, e.g. ['sentry', 'issues']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** The usage line after `forensics <path>`, e.g. '--org ORG [--json]'. */
  readonly usage: string;
  readonly options: OptionSpec;
  /** How many positional arguments the command takes at most (default 0). */
  readonly maxPositionals?: number;
  /** Resolves to the process exit code. Throw CliError for a one-line failure. */
  run(invocation: CliInvocation): Promise<number>;
}

/** A failure the user can act on: printed as one line, exits with `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return String(v[v.length - 1]);
  return undefined;
}

export function requireString(values: OptionValues, name: string, hint?: string): string {
  const v = stringOption(values, name);
  if (!v) throw new CliError(`missing --${name}${hint ? ` (${hint})` : ''}`, 2);
  return v;
}

export function stringList(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

export function intOption(values: OptionValues, name: string, fallback: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} takes a whole number, got "${raw}"`, 2);
  return n;
}

/** Columns padded to the widest cell; the last column runs free. The first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

function findCommand(commands: readonly CliCommand[], argv: string[]): { command?: CliCommand; rest: string[] } {
  let best: CliCommand | undefined;
  for (const c of commands) {
    const matches = c.path.every((word, i) => argv[i] === word);
    if (matches && (!best || c.path.length > best.path.length)) best = c;
  }
  return { command: best, rest: best ? argv.slice(best.path.length) : argv };
}

export function helpText(commands: readonly CliCommand[], version: string): string {
  const lines = [`forensics ${version}: production forensics from the command line`, '', 'Usage:'];
  for (const c of commands) lines.push(`  forensics ${c.path.join(' ')} ${c.usage}`.trimEnd(), `      ${c.summary}`);
  lines.push('', 'Options common to all: --help. Secrets come from the environment (SENTRY_AUTH_TOKEN, DATABASE_URL), never from flags you would leave in shell history when avoidable.');
  return lines.join('\n') + '\n';
}

export async function runCli(commands: readonly CliCommand[], argv: string[], io: CliIO, version: string): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(helpText(commands, version));
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const { command, rest } = findCommand(commands, argv);
  if (!command) {
    io.stderr.write(`forensics: unknown command "${argv.join(' ')}"; run "forensics --help" for the list\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: forensics ${command.path.join(' ')} ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    io.stderr.write(`forensics: ${(err as Error).message}\n`);
    return 2;
  }
  if (parsed.positionals.length > (command.maxPositionals ?? 0)) {
    io.stderr.write(`forensics: unexpected argument "${parsed.positionals[command.maxPositionals ?? 0]}"; usage: forensics ${command.path.join(' ')} ${command.usage}\n`);
    return 2;
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`forensics: ${message.split('\n')[0]}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}
