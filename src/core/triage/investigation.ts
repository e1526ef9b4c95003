// The investigation: the steps a senior engineer walks for one incident, each with what
// was found, links to the evidence, and what is still missing with the one action that
// gets it. Pure: evidence in, steps out.
import { blastRadius, overDuration, type BlastRadius } from './blastRadius';
import { counted } from '../stack/format';
import { classify, type Candidate } from './classify';
import type { CommitFacts, Evidence } from './evidence';
import { remediate, type Remediation } from './remediation';

export type StepId = 'failure-point' | 'recent-changes' | 'bug-class' | 'blast-radius' | 'hotfix' | 'long-term-fix' | 'monitoring';
export type StepStatus = 'found' | 'partial' | 'missing';
export type ActionId = 'connect-sentry' | 'open-workspace' | 'connect-database' | 'capture-heap-series' | 'scan-workspace';

export type StepLink =
  | { kind: 'open-frame'; label: string; file: string; line: number; column?: number }
  | { kind: 'open-commit'; label: string; sha: string; file: string }
  | { kind: 'apply-fix'; label: string; file: string; line: number; ruleId: string }
  | { kind: 'open-heap-diff'; label: string }
  | { kind: 'open-slow-queries'; label: string };

export interface InvestigationStep {
  id: StepId;
  title: string;
  status: StepStatus;
  summary: string;
  details: string[];
  links: StepLink[];
  missing?: { what: string; action: ActionId; actionLabel: string };
}

export interface Investigation {
  evidence: Evidence;
  candidates: Candidate[];
  blast: BlastRadius;
  remediation: Remediation;
  steps: InvestigationStep[];
}

export const STEP_TITLES: Record<StepId, string> = {
  'failure-point': 'Failure point',
  'recent-changes': 'Recent changes',
  'bug-class': 'Bug class',
  'blast-radius': 'Blast radius',
  hotfix: 'Immediate hotfix',
  'long-term-fix': 'Long-term fix and prevention',
  monitoring: 'Monitoring',
};

const short = (sha: string) => sha.slice(0, 7);

/**
 * The change most likely behind the incident: the commit that last changed the failing
 * line when it landed in the window before first seen; otherwise the newest commit in that
 * window that touched the file (the failing line may be old while the bug is new, e.g. an
 * early return added above it); otherwise the commit that last changed the line.
 */
export function suspectCommit(commits: readonly CommitFacts[]): CommitFacts | undefined {
  return commits.find((c) => c.introducedLine && c.inWindow) ?? commits.find((c) => c.inWindow) ?? commits.find((c) => c.introducedLine);
}

function failureStep(e: Evidence): InvestigationStep {
  const fp = e.failurePoint;
  const exc = e.event?.exceptions[e.event.exceptions.length - 1];
  if (!fp) {
    return {
      id: 'failure-point',
      title: STEP_TITLES['failure-point'],
      status: 'missing',
      summary: exc
        ? `${exc.type}: ${exc.value} — the culprit frame is not resolved in this workspace`
        : 'the latest event has not been loaded',
      details: [],
      links: [],
      missing: e.event
        ? {
            what: 'the workspace folder holding the failing code (or a path mapping for it)',
            action: 'open-workspace',
            actionLabel: 'Open the service’s folder',
          }
        : { what: 'the incident’s latest event', action: 'connect-sentry', actionLabel: 'Connect Sentry' },
    };
  }
  const where = `${fp.file}:${fp.line}${fp.frame.function ? ` in ${fp.frame.function}()` : ''}`;
  return {
    id: 'failure-point',
    title: STEP_TITLES['failure-point'],
    status: 'found',
    summary: `${exc ? `${exc.type}: ${exc.value} at ` : ''}${where}`,
    details: [...(fp.lineText ? [`\`${fp.lineText.trim()}\``] : []), ...(fp.drift ? [fp.drift] : [])],
    links: [{ kind: 'open-frame', label: `Open ${where}`, file: fp.file, line: fp.line, column: fp.column }],
  };
}

function changesStep(e: Evidence): InvestigationStep {
  const commits = e.commits ?? [];
  if (!e.failurePoint || commits.length === 0) {
    return {
      id: 'recent-changes',
      title: STEP_TITLES['recent-changes'],
      status: 'missing',
      summary: e.failurePoint
        ? 'no commits found for the failing file (not a git repository, or a shallow clone)'
        : 'needs the failure point first',
      details: [],
      links: [],
      missing: { what: 'the git history of the failing file', action: 'open-workspace', actionLabel: 'Open the service’s git repository' },
    };
  }
  const introduced = commits.find((c) => c.introducedLine);
  const suspect = suspectCommit(commits);
  const inWindow = commits.filter((c) => c.inWindow);
  const details = commits.slice(0, 8).map((c) => {
    const marks = [
      c.introducedLine ? 'introduced this line' : '',
      c.inWindow ? 'in the window before first seen' : '',
      ...(c.releases ?? []).map((r) => `shipped in ${r}`),
    ].filter(Boolean);
    return `${short(c.sha)} ${c.subject} — ${c.author}, ${c.date.slice(0, 10)}${marks.length ? ` (${marks.join('; ')})` : ''}`;
  });
  const first = e.incident.firstRelease ? ` First seen in ${e.incident.firstRelease}.` : '';
  const shipped = (c: CommitFacts) => (c.releases?.length ? `, and shipped in ${c.releases.join(', ')}` : '');
  const summary =
    suspect && suspect === introduced
      ? `${short(suspect.sha)} "${suspect.subject}" by ${suspect.author} last changed the failing line${suspect.inWindow ? ', in the window before the incident began' : ''}${shipped(suspect)}.${first}`
      : suspect
        ? `${short(suspect.sha)} "${suspect.subject}" by ${suspect.author} changed this file in the window before the incident began${shipped(suspect)}; the failing line itself is older${introduced ? ` (${short(introduced.sha)})` : ''}.${first}`
        : `${inWindow.length} commit(s) touched the file in the window before first seen.${first}`;
  return {
    id: 'recent-changes',
    title: STEP_TITLES['recent-changes'],
    status: suspect ? 'found' : 'partial',
    summary,
    details,
    links: commits
      .filter((c) => c.introducedLine || c.inWindow)
      .slice(0, 5)
      .map((c) => ({ kind: 'open-commit', label: `Diff of ${short(c.sha)}`, sha: c.sha, file: e.failurePoint?.file ?? '' })),
  };
}

function classStep(e: Evidence, candidates: Candidate[]): InvestigationStep {
  const top = candidates[0];
  if (!top) {
    return {
      id: 'bug-class',
      title: STEP_TITLES['bug-class'],
      status: 'missing',
      summary: 'no evidence points to a known bug class yet',
      details: [],
      links: [],
      missing: {
        what: 'runtime evidence: database activity or a heap snapshot series',
        action: e.database ? 'capture-heap-series' : 'connect-database',
        actionLabel: e.database ? 'Capture a heap snapshot series' : 'Connect a database',
      },
    };
  }
  const others = candidates.slice(1, 3).map((c) => `also possible: ${c.label} (${c.confidence})`);
  // What holds the growing objects, in words: the retainer path is the lead for a leak fix.
  const held = (e.heap?.suspects ?? [])
    .filter((x) => x.retainerPath)
    .slice(0, 2)
    .map((x) => `heap: ${x.className} +${x.countDelta} held by ${x.retainerPath}${x.culprit ? ` (${x.culprit})` : ''}`);
  const links: StepLink[] = [];
  if (e.heap) links.push({ kind: 'open-heap-diff', label: 'Open the heap diff' });
  if (e.database?.slowStatements?.length) links.push({ kind: 'open-slow-queries', label: 'Open slow queries' });
  const step: InvestigationStep = {
    id: 'bug-class',
    title: STEP_TITLES['bug-class'],
    status: top.confidence === 'low' ? 'partial' : 'found',
    summary: `${top.label} — ${top.confidence} confidence`,
    details: [...top.evidence, ...held, ...(top.confidence === 'high' ? [] : top.toConfirm.map((t) => `to confirm: ${t}`)), ...others],
    links,
  };
  if (top.confidence !== 'high') {
    if (!e.database)
      step.missing = { what: 'database activity and slow statements', action: 'connect-database', actionLabel: 'Connect a database' };
    else if (!e.heap && top.bugClass === 'resource-leak')
      step.missing = { what: 'a heap snapshot series', action: 'capture-heap-series', actionLabel: 'Capture a heap snapshot series' };
  }
  return step;
}

export function investigate(evidence: Evidence, now = new Date()): Investigation {
  const candidates = classify(evidence);
  const blast = blastRadius(evidence.incident, now);
  const remediation = remediate(evidence, candidates[0]?.bugClass);
  const steps: InvestigationStep[] = [failureStep(evidence), changesStep(evidence), classStep(evidence, candidates)];
  steps.push({
    id: 'blast-radius',
    title: STEP_TITLES['blast-radius'],
    status: 'found',
    summary: `${counted(blast.events, 'event')}, ${counted(blast.users, 'user')} ${overDuration(blast.duration)}; trend ${blast.trend}`,
    details: [
      `first seen ${blast.firstSeen}, last seen ${blast.lastSeen}`,
      ...(blast.environments.length ? [`environments: ${blast.environments.join(', ')}`] : []),
      ...(blast.releases.length ? [`releases: ${blast.releases.join(', ')}`] : []),
      `trend: ${blast.trendReason}`,
    ],
    links: [],
  });
  const r = remediation;
  steps.push(
    r.hotfix
      ? {
          id: 'hotfix',
          title: STEP_TITLES.hotfix,
          status: 'found',
          summary: `${r.hotfix.title} (${r.hotfix.ruleId})`,
          details: [`${r.hotfix.file}:${r.hotfix.line}`, ...(r.immediate ?? [])],
          links: [{ kind: 'apply-fix', label: 'Apply the fix', file: r.hotfix.file, line: r.hotfix.line, ruleId: r.hotfix.ruleId }],
        }
      : r.immediate?.length
        ? {
            id: 'hotfix',
            title: STEP_TITLES.hotfix,
            status: 'found',
            summary: r.immediate[0],
            details: [...r.immediate.slice(1), `quick fix: ${r.noHotfixReason ?? 'none'}`],
            links: [],
          }
        : {
            id: 'hotfix',
            title: STEP_TITLES.hotfix,
            status: 'missing',
            summary: r.noHotfixReason ?? 'no hotfix',
            details: [],
            links: [],
            missing: { what: 'a quick-fix finding in the failing code', action: 'scan-workspace', actionLabel: 'Scan the workspace' },
          },
  );
  steps.push({
    id: 'long-term-fix',
    title: STEP_TITLES['long-term-fix'],
    status: candidates.length ? 'found' : 'partial',
    summary: r.longTerm[0],
    details: [...r.longTerm.slice(1), `test that would have caught it: ${r.regressionTest}`],
    links: [],
  });
  steps.push({
    id: 'monitoring',
    title: STEP_TITLES.monitoring,
    status: candidates.length ? 'found' : 'partial',
    summary: r.monitoring.alert,
    details: [`dashboard: ${r.monitoring.dashboard}`],
    links: [],
  });
  return { evidence, candidates, blast, remediation, steps };
}
