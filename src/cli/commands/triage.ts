// `forensics triage`: the guided investigation of one Sentry incident against a checkout
// of the code, for CI and for terminals. Prints the seven steps (or JSON), and writes the
// same Markdown report the extension exports when --report is given.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { CliError, stringList, stringOption, type CliCommand, type CliIO, type OptionValues } from '../framework';
import { issueToSummary, withLatestEvent } from '../../core/sentry/normalize';
import type { IncidentSummary } from '../../core/model/incident';
import { parseMappingArgs } from '../../core/stack/pathResolve';
import { parseTarget, TargetError } from '../../core/postgres/target';
import { databaseSource } from '../../core/triage/databaseSource';
import type { EvidenceSources } from '../../core/triage/gather';
import { investigateInWorkspace } from '../../core/triage/investigateWorkspace';
import type { Investigation, StepStatus } from '../../core/triage/investigation';
import { redact } from '../../core/triage/redact';
import { renderReport } from '../../core/triage/report';
import { asCliError, connection, makeClient } from './sentry';

const STATUS_MARK: Record<StepStatus, string> = { found: '[x]', partial: '[~]', missing: '[ ]' };

async function pickIncident(values: OptionValues, positionals: string[], io: CliIO): Promise<IncidentSummary> {
  const client = makeClient(values, io);
  try {
    let summary: IncidentSummary | undefined;
    if (positionals[0]) {
      summary = issueToSummary(await client.getIssue(positionals[0]));
    } else {
      // No id: the unresolved incident with the most events, which is where an on-call starts.
      const { incidents } = await client.listIncidents({ projects: stringList(values, 'project'), environment: stringOption(values, 'environment'), sort: 'freq', limit: 1 });
      summary = incidents[0];
      if (!summary) throw new CliError('no unresolved incident matches; pass an ISSUE_ID or widen --project/--environment', 1);
    }
    return withLatestEvent(summary, await client.latestEvent(summary.id));
  } catch (err) {
    throw asCliError(err);
  }
}

async function workspaceFolders(values: OptionValues, io: CliIO): Promise<{ name: string; path: string }[]> {
  const dirs = stringList(values, 'workspace');
  const folders = (dirs.length ? dirs : [io.cwd]).map((d) => resolve(io.cwd, d));
  for (const path of folders) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) throw new CliError(`--workspace ${path} is not a folder; point it at the checkout of the code that crashed`, 2);
  }
  return folders.map((path) => ({ name: basename(path), path }));
}

function extraSources(values: OptionValues, io: CliIO): EvidenceSources {
  const url = stringOption(values, 'database-url') ?? io.env.DATABASE_URL;
  if (!url) return {};
  try {
    return { database: databaseSource(parseTarget(url)) };
  } catch (err) {
    if (err instanceof TargetError) throw new CliError(err.message, 2);
    throw err;
  }
}

function printSteps(inv: Investigation, gaps: { source: string; reason: string }[], io: CliIO): void {
  const out: string[] = [redact(`${inv.evidence.incident.shortId ?? inv.evidence.incident.id}: ${inv.evidence.incident.title}`), ''];
  for (const [i, step] of inv.steps.entries()) {
    out.push(`${STATUS_MARK[step.status]} ${i + 1}. ${step.title}: ${redact(step.summary)}`);
    for (const d of step.details) out.push(`      ${redact(d)}`);
    if (step.missing) out.push(`      missing: ${step.missing.what} -> ${step.missing.actionLabel}`);
  }
  if (gaps.length) out.push('', 'Could not gather:', ...gaps.map((g) => `  ${g.source}: ${redact(g.reason)}`));
  io.stdout.write(out.join('\n') + '\n');
}

const triage: CliCommand = {
  path: ['triage'],
  summary: 'Investigate a Sentry incident against this checkout: failure point, recent changes, bug class, blast radius, hotfix, long-term fix, monitoring.',
  usage: '[ISSUE_ID] --base-url URL --org ORG [--workspace DIR]... [--path-map FROM=TO]... [--database-url URL] [--report FILE] [--json]',
  options: {
    ...connection,
    project: { type: 'string', multiple: true },
    environment: { type: 'string' },
    workspace: { type: 'string', multiple: true },
    'path-map': { type: 'string', multiple: true },
    'database-url': { type: 'string' },
    report: { type: 'string' },
  },
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    let mappings;
    try {
      mappings = parseMappingArgs(stringList(values, 'path-map'));
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
    const folders = await workspaceFolders(values, io);
    const extra = extraSources(values, io);
    const summary = await pickIncident(values, positionals, io);
    const { investigation, gaps } = await investigateInWorkspace(summary, { folders, mappings, extra });
    const reportPath = stringOption(values, 'report');
    if (reportPath) {
      const target = resolve(io.cwd, reportPath);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, renderReport(investigation), 'utf8');
    }
    if (values.json) {
      // The report's redaction applies to JSON too: it may be pasted into a ticket.
      io.stdout.write(redact(JSON.stringify({ steps: investigation.steps, candidates: investigation.candidates, blast: investigation.blast, remediation: investigation.remediation, gaps }, null, 2)) + '\n');
    } else {
      printSteps(investigation, gaps, io);
      if (reportPath) io.stdout.write(`\nreport written to ${resolve(io.cwd, reportPath)}\n`);
    }
    return 0;
  },
};

export const triageCommands: readonly CliCommand[] = [triage];
