// A pasted log excerpt → the plain lines of the traces in it. Traces arrive from logs: each
// line behind whatever docker compose, kubectl, journald, a timestamping logger or a CI
// runner put in front, or inside a JSON log line (pino, winston, bunyan, ECS, Cloud
// Logging, Lambda). No list of known loggers: a prefix is recognised because it repeats —
// the same text (digits aside, so ticking timestamps match) in front of the `at` of
// several frame lines — and is then removed from every line that starts with it.
import { v8FrameStart } from './frameLine';

const FRAME_TEXT = /(?:^|\n)\s*at\s+\S|@\S*:\d+/;
const MAX_JSON_DEPTH = 8;

/** Every string in a JSON value that holds a stack, in document order; arrays of frame lines are joined. */
function stacksIn(value: unknown, out: string[], depth = 0): void {
  if (depth > MAX_JSON_DEPTH) return;
  if (typeof value === 'string') {
    if (value.includes('\n') && FRAME_TEXT.test(value) && !out.includes(value)) out.push(value);
  } else if (Array.isArray(value)) {
    if (value.length > 1 && value.every((v) => typeof v === 'string') && value.some((v) => /^\s*at\s/.test(v as string))) {
      stacksIn(value.join('\n'), out, depth + 1);
    } else for (const v of value) stacksIn(v, out, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) stacksIn(v, out, depth + 1);
  }
}

/** The stacks a JSON log line holds (behind any prefix), or undefined when it is not one. */
function stacksOfJsonLine(line: string): string[] | undefined {
  const open = line.indexOf('{"');
  if (open < 0 || !line.trimEnd().endsWith('}')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(open));
  } catch {
    return undefined;
  }
  const stacks: string[] = [];
  stacksIn(json, stacks);
  return stacks.length ? stacks : undefined;
}

const shapeOf = (prefix: string) => prefix.replace(/\d/g, '0');
const expandTabs = (line: string) => (line.includes('\t') ? line.replace(/\t/g, '    ') : line);

interface Prefix {
  readonly length: number;
  readonly shape: string;
}

/**
 * The prefixes that stand in front of frames: a prefix counts once it is in front of two
 * frame lines, or of one frame line and the line just before it (a header and its only frame).
 */
function repeatedPrefixes(lines: readonly string[]): Prefix[] {
  const seen = new Map<string, { count: number; length: number }>();
  const confirmed = new Map<string, Prefix>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!/\sat\s/.test(line)) continue;
    const start = v8FrameStart(line);
    if (start <= 0) continue;
    const prefix = line.slice(0, start).trimEnd();
    if (prefix === '') continue;
    const shape = shapeOf(prefix);
    const entry = seen.get(shape) ?? { count: 0, length: prefix.length };
    entry.count++;
    seen.set(shape, entry);
    if (entry.count >= 2 || (i > 0 && startsWithShape(lines[i - 1], shape))) confirmed.set(shape, { length: prefix.length, shape });
  }
  return [...confirmed.values()];
}

const ZERO = 48;
const NINE = 57;

/** Whether `line` starts with text of this shape; compares in place, as it runs on every line. */
function startsWithShape(line: string, shape: string): boolean {
  if (line.length < shape.length) return false;
  for (let i = 0; i < shape.length; i++) {
    const c = line.charCodeAt(i);
    const s = shape.charCodeAt(i);
    if (s === ZERO ? c < ZERO || c > NINE : c !== s) return false;
  }
  return true;
}

/** The prefix a line starts with, removed with one separating space; the line itself otherwise. */
function stripPrefix(line: string, prefixes: readonly Prefix[]): string {
  for (const p of prefixes) {
    if (startsWithShape(line, p.shape)) return line.charCodeAt(p.length) === 32 ? line.slice(p.length + 1) : line.slice(p.length);
  }
  return line;
}

/** The lines of the traces in `text`: JSON log lines opened, log prefixes removed, tabs as spaces. */
export function traceLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const stacks = raw.includes('{"') ? stacksOfJsonLine(raw) : undefined;
    if (stacks) {
      for (const s of stacks) for (const l of s.replace(/\r\n?/g, '\n').split('\n')) lines.push(expandTabs(l));
    } else {
      lines.push(expandTabs(raw));
    }
  }
  const prefixes = repeatedPrefixes(lines);
  if (prefixes.length === 0) return lines;
  // Longest first, so `web-1  |` wins over a shorter prefix it contains; a few at most.
  const longestFirst = prefixes.sort((a, b) => b.length - a.length).slice(0, 16);
  return lines.map((l) => stripPrefix(l, longestFirst));
}
