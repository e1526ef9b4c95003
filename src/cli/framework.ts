// The command-line framework: a table of commands addressed by words
// (`forensics sentry issues …`), node:util's parseArgs for options, and one rule for
// errors: a single line on stderr and a non-zero exit code, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { redactSecrets } from '../core/common/redactSecrets';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on the first Ctrl-C or SIGTERM (the reason is an Interrupted); commands that can stop cleanly listen to it. */
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

export type InterruptName = 'SIGINT' | 'SIGTERM';

export function interruptExitCode(name: InterruptName): number {
  return name === 'SIGTERM' ? 143 : 130;
}

/** The abort reason of `CliIO.signal`: which signal asked the command to stop. */
export class Interrupted extends Error {
  constructor(readonly signalName: InterruptName) {
    super(`interrupted by ${signalName}`);
    this.name = 'Interrupted';
  }

  get exitCode(): number {
    return interruptExitCode(this.signalName);
  }
}

/** The exit code for a command the interrupt signal stopped: 130 for Ctrl-C, 143 for SIGTERM. */
export function interruptedExitCode(signal: AbortSignal | undefined): number {
  const reason: unknown = signal?.reason;
  return reason instanceof Interrupted ? reason.exitCode : 130;
}

/** A failure the user can act on: printed as one line, exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
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
  lines.push(
    '',
    'Options common to all: --help. Secrets come from the environment (SENTRY_AUTH_TOKEN, DATABASE_URL), never from flags you would leave in shell history when avoidable.',
  );
  return lines.join('\n') + '\n';
}

type Write = NodeJS.WritableStream['write'];

/**
 * The one choke point for what the CLI prints: every write to stdout and stderr loses its
 * secrets first (an unknown command echoes its arguments, an error may quote a connection
 * string, a process list shows other programs' command lines). The stream is otherwise
 * the same object, so isTTY and columns still answer.
 */
export function redactingStream<T extends NodeJS.WritableStream>(stream: T): T {
  const clean = (chunk: unknown): unknown =>
    typeof chunk === 'string'
      ? redactSecrets(chunk)
      : chunk instanceof Uint8Array
        ? redactSecrets(Buffer.from(chunk).toString('utf8'))
        : chunk;
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write')
        return ((chunk: unknown, ...rest: unknown[]) => (target.write as (...a: unknown[]) => boolean)(clean(chunk), ...rest)) as Write;
      if (prop === 'end')
        return (chunk?: unknown, ...rest: unknown[]) =>
          (target.end as (...a: unknown[]) => unknown)(typeof chunk === 'function' || chunk === undefined ? chunk : clean(chunk), ...rest);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function runCli(commands: readonly CliCommand[], argv: string[], rawIo: CliIO, version: string): Promise<number> {
  const io: CliIO = { ...rawIo, stdout: redactingStream(rawIo.stdout), stderr: redactingStream(rawIo.stderr) };
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
    io.stderr.write(
      `forensics: unexpected argument "${parsed.positionals[command.maxPositionals ?? 0]}"; usage: forensics ${command.path.join(' ')} ${command.usage}\n`,
    );
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
