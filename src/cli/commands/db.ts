// `forensics db statements|activity|locks|explain` (also spelled `forensics pg
// slow-queries|activity|locks|explain`): the read-only PostgreSQL reports over src/core.
// The URL comes from --url, a named connection (--connection NAME reads
// FORENSICS_DATABASE_URL_NAME) or FORENSICS_DATABASE_URL / DATABASE_URL.
import {
  CliError,
  intOption,
  stringOption,
  table,
  type CliCommand,
  type CliInvocation,
  type OptionSpec,
  type OptionValues,
} from '../framework';
import { resolveTarget } from '../../core/postgres/connections';
import { PgForensicsError } from '../../core/postgres/errors';
import { DEFAULT_SESSION_SETTINGS, withSession, type ReadOnlySession, type SessionSettings } from '../../core/postgres/session';
import { TargetError } from '../../core/postgres/target';
import { sampleRates, slowStatements, STATEMENT_ORDERS, type StatementOrder } from '../../core/postgres/statements';
import { DEFAULT_ACTIVITY_OPTIONS, readActivity } from '../../core/postgres/activity';
import { readLocks } from '../../core/postgres/locks';
import { explainQueryId, explainSql } from '../../core/postgres/explain';
import { readPrivileges } from '../../core/postgres/privileges';
import { oneLine, renderActivity, renderLocks, renderPlan } from './dbFormat';
import { hiddenRatesNote, hiddenStatementsNote, nothingRanNote } from '../../core/postgres/visibilityNotes';

const CONNECTION_USAGE = '[--url URL | --connection NAME] [--statement-timeout MS] [--lock-timeout MS] [--json]';
const connectionOptions: OptionSpec = {
  url: { type: 'string' },
  connection: { type: 'string' },
  'statement-timeout': { type: 'string' },
  'lock-timeout': { type: 'string' },
  json: { type: 'boolean' },
};

function settingsFrom(values: OptionValues): SessionSettings {
  return {
    ...DEFAULT_SESSION_SETTINGS,
    statementTimeoutMs: intOption(values, 'statement-timeout', DEFAULT_SESSION_SETTINGS.statementTimeoutMs),
    lockTimeoutMs: intOption(values, 'lock-timeout', DEFAULT_SESSION_SETTINGS.lockTimeoutMs),
  };
}

/** Opens one read-only session for the command and turns every known failure into one line. */
async function onDatabase<T>({ values, io }: CliInvocation, job: (s: ReadOnlySession) => Promise<T>): Promise<T> {
  try {
    const target = resolveTarget({ url: stringOption(values, 'url'), connection: stringOption(values, 'connection'), env: io.env });
    return await withSession(target, settingsFrom(values), job);
  } catch (err) {
    if (err instanceof TargetError) throw new CliError(err.message, 2);
    if (err instanceof PgForensicsError) throw new CliError(err.message, err.kind === 'invalid-input' ? 2 : 1);
    throw err;
  }
}

function print(io: CliInvocation['io'], json: boolean, data: unknown, human: () => string): number {
  io.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : human());
  return 0;
}

const ms = (n: number | null) => (n === null ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(2));

const statements: CliCommand = {
  path: ['db', 'statements'],
  summary:
    'Top statements from pg_stat_statements (total, mean, calls, rows, hit ratio); --rates S samples twice S seconds apart and shows per-second rates instead.',
  usage: `[--limit N] [--order ${STATEMENT_ORDERS.join('|')}] [--rates SECONDS] ${CONNECTION_USAGE}`,
  options: { ...connectionOptions, limit: { type: 'string' }, order: { type: 'string' }, rates: { type: 'string' } },
  async run(invocation) {
    const { values, io } = invocation;
    const order = (stringOption(values, 'order') ?? 'total') as StatementOrder;
    if (!STATEMENT_ORDERS.includes(order)) throw new CliError(`--order takes one of ${STATEMENT_ORDERS.join(', ')}, got "${order}"`, 2);
    const limit = intOption(values, 'limit', 10);
    if (limit < 1) throw new CliError('--limit must be at least 1', 2);
    const rateSeconds = intOption(values, 'rates', 0);
    if (rateSeconds > 300) throw new CliError('--rates takes at most 300 seconds', 2);
    if (rateSeconds > 0) {
      const result = await onDatabase(invocation, (s) => sampleRates(s, rateSeconds * 1000, limit));
      return print(io, Boolean(values.json), result, () => {
        const note = hiddenRatesNote(result.visibility);
        const hidden = note ? `\n${note}\n` : '';
        if (!result.rates.length) return `${nothingRanNote(result.seconds, result.visibility)}\n${hidden}`;
        const rows = [['QUERY ID', 'CALLS/S', 'MS/S', 'MEAN MS', 'QUERY']];
        for (const r of result.rates)
          rows.push([r.queryId ?? '-', r.callsPerSecond.toFixed(2), r.msPerSecond.toFixed(2), ms(r.meanMsInWindow), oneLine(r.query)]);
        return `Rates over ${result.seconds.toFixed(1)} s (busiest first):\n${table(rows)}${hidden}`;
      });
    }
    const { report, privileges } = await onDatabase(invocation, async (s) => ({
      report: await slowStatements(s, { limit, order }),
      privileges: await readPrivileges(s),
    }));
    return print(io, Boolean(values.json), { ...report, privileges }, () => {
      const head = `PostgreSQL ${report.serverVersion}, pg_stat_statements ${report.extensionVersion}${report.statsReset ? `, counting since ${report.statsReset}` : ''}; by ${order}\n`;
      if (!report.statements.length) return `${head}No statements recorded yet in this database.\n`;
      const rows = [['QUERY ID', 'CALLS', 'TOTAL MS', 'MEAN MS', 'ROWS', 'HIT %', 'QUERY']];
      for (const x of report.statements) {
        const text = x.textVisible ? oneLine(x.query) : `(hidden: a statement of role ${x.role ?? '?'})`;
        rows.push([
          x.queryId ?? '-',
          String(x.calls),
          ms(x.totalMs),
          ms(x.meanMs),
          String(x.rows),
          x.hitRatio === null ? '-' : (x.hitRatio * 100).toFixed(1),
          text,
        ]);
      }
      const note = hiddenStatementsNote(report);
      const hidden = note ? `\n${note}\n` : '';
      return `${head}${table(rows)}${hidden}`;
    });
  },
};

const activity: CliCommand = {
  path: ['db', 'activity'],
  summary:
    'Connections by state and application, idle-in-transaction sessions, lock waits, long-running statements and pool-exhaustion signals.',
  usage: `[--long-running S] [--idle-in-transaction S] ${CONNECTION_USAGE}`,
  options: { ...connectionOptions, 'long-running': { type: 'string' }, 'idle-in-transaction': { type: 'string' } },
  async run(invocation) {
    const { values, io } = invocation;
    const options = {
      longRunningSeconds: intOption(values, 'long-running', DEFAULT_ACTIVITY_OPTIONS.longRunningSeconds),
      idleInTransactionSeconds: intOption(values, 'idle-in-transaction', DEFAULT_ACTIVITY_OPTIONS.idleInTransactionSeconds),
    };
    const report = await onDatabase(invocation, (s) => readActivity(s, options));
    return print(io, Boolean(values.json), report, () => renderActivity(report));
  },
};

const locks: CliCommand = {
  path: ['db', 'locks'],
  summary: 'Who blocks whom (pg_blocking_pids): both statements, lock modes, the table and how long the waiter has waited.',
  usage: CONNECTION_USAGE,
  options: connectionOptions,
  async run(invocation) {
    const report = await onDatabase(invocation, readLocks);
    return print(invocation.io, Boolean(invocation.values.json), report, () => renderLocks(report));
  },
};

const explain: CliCommand = {
  path: ['db', 'explain'],
  summary:
    'EXPLAIN (FORMAT JSON) of a pg_stat_statements entry (generic plan for $n parameters) or of given SQL, planned and never run; --analyze runs a read (SELECT/WITH/VALUES/TABLE) in a read-only transaction that is rolled back. Summary and index suggestion.',
  usage: `(--query-id ID | --sql SQL) [--analyze] ${CONNECTION_USAGE}`,
  options: { ...connectionOptions, 'query-id': { type: 'string' }, sql: { type: 'string' }, analyze: { type: 'boolean' } },
  async run(invocation) {
    const { values, io } = invocation;
    const queryId = stringOption(values, 'query-id');
    const sql = stringOption(values, 'sql');
    if (Boolean(queryId) === Boolean(sql))
      throw new CliError('give exactly one of --query-id ID (from `forensics db statements`) or --sql "SELECT …"', 2);
    const analyze = Boolean(values.analyze);
    if (analyze && queryId)
      throw new CliError(
        '--analyze needs --sql with literal values: a pg_stat_statements entry has $n parameters and no values to run it with',
        2,
      );
    const result = await onDatabase(invocation, (s) => (queryId ? explainQueryId(s, queryId) : explainSql(s, sql as string, { analyze })));
    return print(io, Boolean(values.json), result, () => renderPlan(result));
  },
};

const dbCommands = [statements, activity, locks, explain];
const PG_NAMES: Record<string, string> = { statements: 'slow-queries', activity: 'activity', locks: 'locks', explain: 'explain' };

export const postgresCommands: readonly CliCommand[] = [
  ...dbCommands,
  // The names the issue tracker and older docs use.
  ...dbCommands.map((c) => ({ ...c, path: ['pg', PG_NAMES[c.path[1]]], summary: `Same as forensics ${c.path.join(' ')}.` })),
];
