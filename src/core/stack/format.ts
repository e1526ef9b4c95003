// Plain-text renderings shared by the CLI and the extension.

/** "5 minutes ago", "3 days ago", "in 2 hours" (for clocks that disagree). */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  const abs = Math.abs(seconds);
  const units: [number, string][] = [
    [31_536_000, 'year'],
    [2_592_000, 'month'],
    [604_800, 'week'],
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return seconds >= 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return 'just now';
}

/** 1204 → "1,204" regardless of the machine's locale. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 1 → "1 event", 1204 → "1,204 events": a count with its noun, in English grammar. */
export function counted(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : pluralNoun}`;
}

/** `fn (path:line:col)` as a trace would print it. */
export function describeFrameLocation(f: {
  function?: string;
  absPath?: string;
  filename?: string;
  lineNo?: number;
  colNo?: number;
}): string {
  const where = [f.absPath ?? f.filename ?? '?', f.lineNo, f.colNo].filter((x) => x !== undefined).join(':');
  return f.function ? `${f.function} (${where})` : where;
}
