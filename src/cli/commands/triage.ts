// `forensics triage`: the guided investigation of one Sentry incident against a checkout
// of the code, for CI and for terminals. Prints the seven steps (or JSON), and writes the
// same Markdown report the extension exports when --report is given.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { CliError, stringList, stringOption, type CliCommand, type CliIO, type OptionValues } from '../framework';
import { issueToSummary, withLatestEvent } from '../../core/sentry/normalize';
import type { IncidentSummary } from '../../core/model/incident';
import { parseMappingArgs } from '../../core/stack/pathResolve';
import { suspectCommit } from '../../core/triage/investigation';
import { parseTarget, TargetError } from '../../core/postgres/target';
import { databaseSource } from '../../core/triage/databaseSource';
import { heapFacts } from '../../core/triage/heapFacts';
import { compareSnapshotFiles } from '../../core/heap/compare';
import type { EvidenceSources } from '../../core/triage/gather';
import { incidentFromEvent } from '../../core/triage/facts';
import { investigateInWorkspace } from '../../core/triage/investigateWorkspace';
import type { Investigation, StepStatus } from '../../core/triage/investigation';
import { redact } from '../../core/triage/redact';
import { renderReport } from '../../core/triage/report';
import { asCliError, connection, makeClient } from './sentry';
import { checkOutFile, FORCE_OPTION } from '../outFile';
import { followedTrace, telemetryInput, telemetryOptions, wantsTelemetry } from './triageTelemetry';

const STATUS_MARK: Record<StepStatus, string> = { found: '[x]', partial: '[~]', missing: '[ ]' };

/** An incident from a saved event (web API shape or raw SDK event), for triage without Sentry access. */
async function incidentFromEventFile(file: string, io: CliIO): Promise<IncidentSummary> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(resolve(io.cwd, file), 'utf8'));
  } catch (err) {
    throw new CliError(
      `--event ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(err as Error).message})`}`,
      2,
    );
  }
  try {
    return incidentFromEvent(parsed);
  } catch (err) {
    throw new CliError(`--event ${file}: ${(err as Error).message}`, 2);
  }
}

async function pickIncident(values: OptionValues, positionals: string[], io: CliIO): Promise<IncidentSummary> {
  const eventFile = stringOption(values, 'event');
  if (eventFile) return incidentFromEventFile(eventFile, io);
  const client = makeClient(values, io);
  const issueId = stringOption(values, 'issue') ?? positionals[0];
  try {
    let summary: IncidentSummary | undefined;
    if (issueId) {
      summary = issueToSummary(await client.getIssue(issueId));
    } else {
      // No id: the unresolved incident with the most events, which is where an on-call starts.
      const { incidents } = await client.listIncidents({
        projects: stringList(values, 'project'),
        environment: stringOption(values, 'environment'),
        sort: 'freq',
        limit: 1,
      });
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
    if (!info?.isDirectory())
      throw new CliError(`--workspace ${path} is not a folder; point it at the checkout of the code that crashed`, 2);
  }
  return folders.map((path) => ({ name: basename(path), path }));
}

const isSnapshot = (arg: string) => arg.endsWith('.heapsnapshot');

function extraSources(values: OptionValues, positionals: string[], io: CliIO): EvidenceSources {
  const sources: EvidenceSources = {};
  // `--heap BASE TARGET [FINAL]`: parseArgs binds only the first file to --heap; the others
  // arrive as positionals, recognised by their extension.
  const snapshots = [...stringList(values, 'heap'), ...positionals.filter(isSnapshot)].map((f) => resolve(io.cwd, f));
  if (snapshots.length === 1 || snapshots.length > 3)
    throw new CliError(`--heap takes two snapshots (base, target) or three (baseline, target, final); got ${snapshots.length}`, 2);
  if (snapshots.length) sources.heap = async () => heapFacts(await compareSnapshotFiles(snapshots));
  const url = stringOption(values, 'db') ?? stringOption(values, 'database-url') ?? io.env.DATABASE_URL;
  if (!url) return sources;
  try {
    sources.database = databaseSource(parseTarget(url));
    return sources;
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
  summary:
    'Investigate a Sentry incident against this checkout: failure point, recent changes, bug class, blast radius, hotfix, long-term fix, monitoring.',
  usage:
    '(--issue ID --base-url URL --org ORG | --event FILE.json | --trace TRACE_ID | --trace-file FILE | --logs FILE) [--trace …] [--trace-file …] [--logs FILE [--since T --until T]] [--workspace DIR]... [--path-map FROM=TO]... [--db URL] [--heap BASE TARGET [FINAL]] [--out FILE.md [--force]] [--json]',
  options: {
    ...connection,
    project: { type: 'string', multiple: true },
    environment: { type: 'string' },
    workspace: { type: 'string', multiple: true },
    'path-map': { type: 'string', multiple: true },
    issue: { type: 'string' },
    event: { type: 'string' },
    db: { type: 'string' },
    heap: { type: 'string', multiple: true },
    'database-url': { type: 'string' },
    out: { type: 'string' },
    report: { type: 'string' },
    ...FORCE_OPTION,
    ...telemetryOptions,
  },
  maxPositionals: 3,
  async run({ values, positionals, io }) {
    if (positionals.filter((p) => !isSnapshot(p)).length > 1)
      throw new CliError(
        `unexpected arguments ${positionals.slice(1).join(' ')}; give one incident (--issue ID) and heap snapshots as --heap BASE TARGET [FINAL]`,
        2,
      );
    let mappings;
    try {
      mappings = parseMappingArgs(stringList(values, 'path-map'));
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
    const reportFlag = stringOption(values, 'out') !== undefined ? '--out' : '--report';
    const reportPath = stringOption(values, 'out') ?? stringOption(values, 'report');
    // Checked before Sentry, git and the database are asked anything.
    const target = reportPath ? resolve(io.cwd, reportPath) : undefined;
    if (target) await checkOutFile(target, reportFlag, values.force === true);
    const folders = await workspaceFolders(values, io);
    const extra = extraSources(values, positionals, io);
    const incidentArgs = positionals.filter((p) => !isSnapshot(p));
    // Traces and logs alone make the incident; beside --issue/--event they are evidence.
    const standalone =
      wantsTelemetry(values) && !stringOption(values, 'issue') && !stringOption(values, 'event') && incidentArgs.length === 0;
    const telemetry = wantsTelemetry(values) ? await telemetryInput(values, io, standalone) : undefined;
    Object.assign(extra, telemetry?.sources);
    const summary = telemetry?.incident ?? (await pickIncident(values, incidentArgs, io));
    // From Sentry with no trace given: the incident's own trace and its logs, when it has one.
    if (!telemetry && !stringOption(values, 'event')) Object.assign(extra, followedTrace(makeClient(values, io), summary.id, io.signal));
    const { investigation, gaps } = await investigateInWorkspace(summary, { folders, mappings, extra });
    const report = renderReport(investigation);
    if (target) await writeFile(target, report, { encoding: 'utf8', flag: values.force === true ? 'w' : 'wx' });
    if (values.json) {
      const e = investigation.evidence;
      const top = investigation.candidates[0];
      const point = e.failurePoint;
      const suspect = suspectCommit(e.commits ?? []);
      const output = {
        bugClass: top ? { id: top.bugClass, label: top.label, confidence: top.confidence, evidence: top.evidence } : null,
        failurePoint: point
          ? { file: point.file, line: point.line, column: point.column, lineText: point.lineText, drift: point.drift }
          : null,
        // The suspect's diff is in the report; here each commit is one line of facts.
        commits: (e.commits ?? []).map((c) => ({
          sha: c.sha,
          subject: c.subject,
          author: c.author,
          date: c.date,
          introducedLine: !!c.introducedLine,
          inWindow: !!c.inWindow,
          releases: c.releases ?? [],
          suspect: c === suspect,
        })),
        fix: investigation.remediation.hotfix ?? null,
        steps: investigation.steps,
        candidates: investigation.candidates,
        blast: investigation.blast,
        remediation: investigation.remediation,
        gaps,
        report,
      };
      // The report's redaction applies to JSON too: it may be pasted into a ticket.
      io.stdout.write(redact(JSON.stringify(output, null, 2)) + '\n');
    } else {
      printSteps(investigation, gaps, io);
      if (target) io.stdout.write(`\nreport written to ${target}\n`);
    }
    return 0;
  },
};

export const triageCommands: readonly CliCommand[] = [triage];
