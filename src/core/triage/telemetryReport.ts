// The report's "Traces and logs" section: the trace's findings with their numbers and the
// log templates of the window. The report redacts everything after.
import { formatMs } from '../traces/model';
import type { Evidence } from './evidence';

export function telemetrySection(e: Evidence): string[] {
  if (!e.trace && !e.logs) return [];
  const out = ['## Traces and logs', ''];
  if (e.trace) {
    const a = e.trace.analysis;
    out.push(`Trace \`${a.traceId}\` (${e.trace.source}): ${a.rootName ?? 'root'} — ${formatMs(a.duration)}, ${a.spanCount} spans.`, '');
    out.push(...a.findings.map((f) => `- ${f.summary}`));
    if (!a.findings.length) out.push('- No repeated step, retry storm, N+1 or slow downstream in this trace.');
    out.push(...a.notes.map((n) => `- Note: ${n}`), '');
  }
  if (e.logs) {
    const s = e.logs.summary;
    out.push(`Logs (${e.logs.source}): ${s.records.toLocaleString('en-US')} record(s).`, '');
    for (const w of s.warnings.slice(0, 5)) out.push(`- ${w.type} ×${w.count}: ${w.message}`);
    for (const t of s.templates.slice(0, 8)) {
      const key = t.keys[0];
      out.push(
        `- ×${t.count} ${t.level ?? ''} \`${t.template}\`${
          key
            ? ` — ${key.distinct} distinct ${key.name}: ${key.top
                .slice(0, 3)
                .map((x) => `${x.value} ×${x.count}`)
                .join(', ')}`
            : ''
        }`,
      );
    }
    out.push(...[...s.notes, ...e.logs.notes].map((n) => `- Note: ${n}`), '');
  }
  return out;
}
