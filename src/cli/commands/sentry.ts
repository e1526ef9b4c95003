// `forensics sentry issues` and `forensics sentry event`: the incidents list and one
// incident's normalised latest event, from any Sentry (sentry.io, regional, self-hosted).
// The token comes from SENTRY_AUTH_TOKEN only, never from a flag.
import {
  CliError,
  intOption,
  requireString,
  stringList,
  stringOption,
  table,
  type CliCommand,
  type CliIO,
  type OptionValues,
} from '../framework';
import { ISSUE_SORTS, SentryClient, type IssueSort } from '../../core/sentry/client';
import { SentryApiError } from '../../core/sentry/errors';
import type { StackFrame } from '../../core/model/frame';

export const connection = {
  'base-url': { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  // Plain http:// to a non-loopback host sends the token in clear: only when asked for.
  'allow-insecure-http': { type: 'boolean' },
} as const;

export function makeClient(values: OptionValues, io: CliIO): SentryClient {
  const token = io.env.SENTRY_AUTH_TOKEN;
  if (!token)
    throw new CliError('SENTRY_AUTH_TOKEN is not set; create a token with event:read, project:read and org:read scopes and export it', 2);
  const baseUrl = stringOption(values, 'base-url') ?? io.env.SENTRY_URL;
  if (!baseUrl)
    throw new CliError('missing --base-url (e.g. https://sentry.io, https://de.sentry.io or your self-hosted URL; or set SENTRY_URL)', 2);
  const org = stringOption(values, 'org') ?? io.env.SENTRY_ORG ?? requireString(values, 'org', 'the organization slug; or set SENTRY_ORG');
  try {
    return new SentryClient({ baseUrl, org, token, userAgent: 'forensics-cli', allowInsecureHttp: values['allow-insecure-http'] === true });
  } catch (err) {
    throw asCliError(err);
  }
}

export function asCliError(err: unknown): unknown {
  if (err instanceof SentryApiError) return new CliError(err.message, err.kind === 'badRequest' ? 2 : 1);
  return err;
}

function relative(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(s)) return iso;
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

function frameLine(f: StackFrame): string {
  const where = f.absPath ?? f.filename ?? '?';
  const pos = [f.lineNo, f.colNo].filter((n) => n !== undefined).join(':');
  return `${f.function ?? '<anonymous>'} (${where}${pos ? `:${pos}` : ''})`;
}

const issues: CliCommand = {
  path: ['sentry', 'issues'],
  summary: 'List Sentry issues (unresolved by default), most recent first. Token from SENTRY_AUTH_TOKEN.',
  usage:
    '--base-url URL --org ORG [--project SLUG]... [--environment E] [--query Q] [--sort date|new|freq|user|trends|inbox] [--limit N] [--allow-insecure-http] [--json]',
  options: {
    ...connection,
    project: { type: 'string', multiple: true },
    environment: { type: 'string' },
    query: { type: 'string' },
    sort: { type: 'string' },
    limit: { type: 'string' },
  },
  async run({ values, io }) {
    const sort = stringOption(values, 'sort');
    if (sort !== undefined && !ISSUE_SORTS.includes(sort as IssueSort))
      throw new CliError(`--sort takes one of ${ISSUE_SORTS.join(', ')}, got "${sort}"`, 2);
    const limit = intOption(values, 'limit', 25);
    if (limit < 1) throw new CliError('--limit must be at least 1', 2);
    const client = makeClient(values, io);
    let result;
    try {
      result = await client.listIncidents({
        projects: stringList(values, 'project'),
        environment: stringOption(values, 'environment'),
        query: stringOption(values, 'query'),
        sort: sort as IssueSort | undefined,
        limit,
      });
    } catch (err) {
      throw asCliError(err);
    }
    if (values.json) {
      io.stdout.write(`${JSON.stringify(result.incidents, null, 2)}\n`);
      return 0;
    }
    if (!result.incidents.length) {
      io.stdout.write('No issues match.\n');
      return 0;
    }
    const rows = [['ID', 'SHORT ID', 'LEVEL', 'EVENTS', 'USERS', 'LAST SEEN', 'TITLE']];
    for (const i of result.incidents)
      rows.push([
        i.id,
        i.shortId,
        i.level,
        String(i.count),
        String(i.userCount),
        relative(i.lastSeen),
        `${i.title}${i.culprit ? `  — ${i.culprit}` : ''}`,
      ]);
    io.stdout.write(table(rows));
    if (result.truncated) io.stdout.write(`(first ${limit}; raise --limit for more)\n`);
    return 0;
  },
};

const event: CliCommand = {
  path: ['sentry', 'event'],
  summary: "Show an issue's latest event, normalised: exceptions with frames, culprit frame, release, environment, tags.",
  usage: 'ISSUE_ID --base-url URL --org ORG [--json]',
  options: connection,
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const issueId = positionals[0];
    if (!issueId) throw new CliError('missing ISSUE_ID (the numeric id from `forensics sentry issues`)', 2);
    const client = makeClient(values, io);
    let ev;
    try {
      ev = await client.latestEvent(issueId);
    } catch (err) {
      throw asCliError(err);
    }
    if (values.json) {
      io.stdout.write(`${JSON.stringify(ev, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [`${ev.title ?? '(untitled)'}`, `event ${ev.eventId}  ${ev.dateCreated ?? ''}`.trimEnd()];
    out.push(`release ${ev.release ?? '-'}  environment ${ev.environment ?? '-'}`);
    if (ev.culprit) out.push(`culprit ${frameLine(ev.culprit)}`);
    // Printed like a runtime stack trace: the raised exception first, innermost frame first.
    for (const exc of [...ev.exceptions].reverse()) {
      out.push('', `${exc.type}: ${exc.value}${exc.mechanism?.handled === false ? '  (unhandled)' : ''}`);
      for (const f of [...exc.frames].reverse())
        out.push(`    ${f === ev.culprit ? '>' : ' '} at ${frameLine(f)}${f.inApp ? '' : '  [lib]'}`);
    }
    const tags = Object.entries(ev.tags);
    if (tags.length) out.push('', 'tags: ' + tags.map(([k, v]) => `${k}=${v}`).join('  '));
    io.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};

export const sentryCommands: readonly CliCommand[] = [issues, event];
