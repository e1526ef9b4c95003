// The incident report in Markdown: written for the post-incident review, in the order the
// investigation went, with every quoted value passed through redaction.
import { suspectCommit, type Investigation, type StepId } from './investigation';
import { redact } from './redact';
import { counted } from '../stack/format';
import { telemetrySection } from './telemetryReport';

export interface ReportOptions {
  generatedAt?: Date;
  /** Notes the user added to steps, by step id. */
  notes?: Partial<Record<StepId, string>>;
  /** Steps the user marked done. */
  done?: StepId[];
}

function codeFence(lang: string, body: string): string {
  const fence = body.includes('```') ? '````' : '```';
  return `${fence}${lang}\n${body.replace(/\n$/, '')}\n${fence}`;
}

function languageOf(file: string): string {
  const ext = /\.(\w+)$/.exec(file)?.[1] ?? '';
  return (
    ({ js: 'js', cjs: 'js', mjs: 'js', ts: 'ts', tsx: 'tsx', jsx: 'jsx', py: 'python', go: 'go', sql: 'sql' } as Record<string, string>)[
      ext
    ] ?? ''
  );
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderReport(inv: Investigation, options: ReportOptions = {}): string {
  const e = inv.evidence;
  const top = inv.candidates[0];
  const fp = e.failurePoint;
  const exc = e.event?.exceptions[e.event.exceptions.length - 1];
  const introduced = (e.commits ?? []).find((c) => c.introducedLine);
  const suspect = suspectCommit(e.commits ?? []);
  const out: string[] = [];
  const generated = (options.generatedAt ?? new Date()).toISOString();

  out.push(`# Incident report: ${e.incident.title}`, '');
  out.push(
    `${e.incident.shortId ? `**${e.incident.shortId}** · ` : ''}${e.incident.level ?? 'error'} · generated ${generated}${e.incident.permalink ? ` · [open in Sentry](${e.incident.permalink})` : ''}`,
    '',
  );

  out.push('## Summary', '');
  const sentences = [
    `Between ${inv.blast.firstSeen} and ${inv.blast.lastSeen}, ${counted(inv.blast.events, 'event')} affected ${counted(inv.blast.users, 'user')}${inv.blast.environments.length ? ` in ${inv.blast.environments.join(', ')}` : ''}${e.incident.firstRelease ? `, starting with release ${e.incident.firstRelease}` : ''}.`,
    fp
      ? `The failure surfaces at \`${fp.file}:${fp.line}\`${fp.frame.function ? ` in \`${fp.frame.function}()\`` : ''}${exc ? ` as \`${exc.type}: ${exc.value}\`` : ''}.`
      : '',
    top ? `Most likely cause: **${top.label}** (${top.confidence} confidence): ${top.evidence[0]}.` : 'The cause is not yet established.',
    suspect
      ? `${suspect === introduced ? 'The failing line was last changed by' : 'The file was changed just before, by'} ${suspect.sha.slice(0, 7)} "${suspect.subject}" (${suspect.author}, ${suspect.date.slice(0, 10)})${suspect.releases?.length ? `, shipped in ${suspect.releases.join(', ')}` : ''}.`
      : '',
    inv.remediation.hotfix ? `Hotfix: ${inv.remediation.hotfix.title}.` : '',
  ].filter(Boolean);
  out.push(sentences.join(' '), '');

  out.push('## Timeline', '');
  const timeline: [string, string][] = [];
  for (const c of e.commits ?? [])
    if (c.inWindow || c.introducedLine)
      timeline.push([
        c.date,
        `commit ${c.sha.slice(0, 7)} "${c.subject}" by ${c.author}${c.introducedLine ? ' — last changed the failing line' : ''}`,
      ]);
  timeline.push([e.incident.firstSeen, `first event${e.incident.firstRelease ? ` (release ${e.incident.firstRelease})` : ''}`]);
  timeline.push([e.incident.lastSeen, `latest event (${inv.blast.trend}: ${inv.blast.trendReason})`]);
  timeline.push([generated, 'this report']);
  timeline.sort((a, b) => a[0].localeCompare(b[0]));
  out.push(
    '| when (UTC) | what |',
    '| --- | --- |',
    ...timeline.map(([when, what]) => `| ${when.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} | ${cell(what)} |`),
    '',
  );

  out.push('## Failure point', '');
  if (fp) {
    out.push(
      `\`${fp.file}:${fp.line}${fp.column ? `:${fp.column}` : ''}\`${fp.frame.function ? ` in \`${fp.frame.function}()\`` : ''}${exc ? `: \`${exc.type}: ${exc.value}\`` : ''}`,
      '',
    );
    if (fp.drift) out.push(`> ${fp.drift}`, '');
    if (fp.excerpt) {
      const width = String(fp.excerpt.startLine + fp.excerpt.lines.length).length;
      const body = fp.excerpt.lines
        .map((l, i) => {
          const n = fp.excerpt!.startLine + i;
          return `${n === fp.line ? '>' : ' '} ${String(n).padStart(width)} | ${l}`;
        })
        .join('\n');
      out.push(codeFence(languageOf(fp.file), body), '');
    }
  } else if (e.failurePointUnresolved) out.push(`Not resolved in the workspace: ${e.failurePointUnresolved}.`, '');
  else out.push('Not resolved in the workspace: open the service’s folder or add a path mapping (`forensics.pathMappings`).', '');

  out.push('## Correlation with changes', '');
  if (e.commits?.length) {
    out.push('| commit | subject | author | date | markers |', '| --- | --- | --- | --- | --- |');
    for (const c of e.commits.slice(0, 10)) {
      const marks = [
        c.introducedLine ? 'introduced the failing line' : '',
        c.inWindow ? 'in the window before first seen' : '',
        ...(c.releases ?? []).map((r) => `shipped in ${r}`),
      ]
        .filter(Boolean)
        .join('; ');
      out.push(`| \`${c.sha.slice(0, 7)}\` | ${cell(c.subject)} | ${cell(c.author)} | ${c.date.slice(0, 10)} | ${cell(marks)} |`);
    }
    out.push('');
    if (suspect?.diff) out.push(`The change to the failing file in ${suspect.sha.slice(0, 7)}:`, '', codeFence('diff', suspect.diff), '');
  } else out.push('No commit history was available for the failing file.', '');

  out.push(...telemetrySection(e));
  out.push('## Classification', '');
  if (inv.candidates.length) {
    for (const c of inv.candidates.slice(0, 3)) {
      out.push(`### ${c.label} — ${c.confidence} confidence`, '', ...c.evidence.map((x) => `- ${x}`));
      if (c.confidence !== 'high') out.push(...c.toConfirm.map((x) => `- To confirm: ${x}`));
      out.push('');
    }
  } else out.push('No evidence points to a known bug class yet.', '');

  out.push('## Blast radius', '');
  out.push(
    `- Events: ${inv.blast.events.toLocaleString('en-US')}`,
    `- Users: ${inv.blast.users.toLocaleString('en-US')}`,
    `- Duration: ${inv.blast.duration} (${inv.blast.firstSeen} → ${inv.blast.lastSeen})`,
  );
  if (inv.blast.environments.length) out.push(`- Environments: ${inv.blast.environments.join(', ')}`);
  if (inv.blast.releases.length) out.push(`- Releases: ${inv.blast.releases.join(', ')}`);
  out.push(`- Trend: ${inv.blast.trend} — ${inv.blast.trendReason}`, '');

  out.push('## Hotfix', '');
  if (inv.remediation.immediate?.length) out.push(...inv.remediation.immediate.map((x) => `- ${x}`), '');
  if (inv.remediation.hotfix)
    out.push(
      `${inv.remediation.hotfix.title} (rule \`${inv.remediation.hotfix.ruleId}\`, \`${inv.remediation.hotfix.file}:${inv.remediation.hotfix.line}\`):`,
      '',
      codeFence('diff', inv.remediation.hotfix.diff),
      '',
    );
  else out.push(inv.remediation.noHotfixReason ?? 'None.', '');

  out.push(
    '## Long-term fix and prevention',
    '',
    ...inv.remediation.longTerm.map((x) => `- ${x}`),
    `- Test that would have caught it: ${inv.remediation.regressionTest}`,
    '',
  );
  out.push('## Monitoring', '', `- Alert: ${inv.remediation.monitoring.alert}`, `- Dashboard: ${inv.remediation.monitoring.dashboard}`, '');

  out.push('## Open questions', '');
  const open = inv.steps
    .filter((s) => s.missing && !options.done?.includes(s.id))
    .map((s) => `- ${s.title}: missing ${s.missing!.what} (${s.missing!.actionLabel}).`);
  if (top && top.confidence !== 'high') open.push(`- Is it really ${top.label.toLowerCase()}? ${top.toConfirm[0]}`);
  out.push(...(open.length ? open : ['- None left open by the investigation.']), '');

  const notes = Object.entries(options.notes ?? {}).filter(([, v]) => v && v.trim());
  if (notes.length) {
    out.push('## Investigator notes', '');
    for (const [id, text] of notes) out.push(`- **${inv.steps.find((s) => s.id === id)?.title ?? id}**: ${text}`);
    out.push('');
  }
  return redact(out.join('\n'));
}
