// Raw stack traces as pasted from logs or consoles, from any engine (Node, Chrome, Firefox,
// Safari, IE/Edge, React Native/Hermes). traceLines.ts opens JSON log lines and removes log
// prefixes; frameLine.ts reads each frame with Sentry's own line parsers so frames match
// what Sentry shows. This module finds the `Name: message` headers that split an excerpt
// into exceptions (`[cause]:`, `Caused by:` chains), keeps multi-line messages within a cap,
// adds the file Node names above a SyntaxError, and keeps the frames that matter when a
// trace has more than Sentry keeps.
import type { ExceptionInfo, StackFrame } from '../model/frame';
import { isInApp, MAX_FRAME_LINE, parseFrameLine } from './frameLine';
import { keepFrames, MAX_FRAMES_READ } from './keepFrames';
import { traceLines } from './traceLines';

// `TypeError: x`, `TypeError [ERR_X]: x`, `Uncaught Error: x`, `[cause]: Error: x`, `Caused by: Error: x`, bare `Error`.
const HEADER = /^(\s*)(?:Uncaught\s+|\[cause\]:\s*|caused by:\s*)?([A-Za-z_$][\w$.]*)(?:\s\[([A-Z0-9_]+)\])?(?::\s?(.*))?$/i;
const ERROR_LIKE_NAME = /(error|exception|warning|rejection|fault)$/i;
// Node before an uncaught SyntaxError (or throw): `/app/bad.cjs:3`, the source line, a caret.
const SOURCE_EXCERPT = /^((?:file:\/\/|\/|\\\\|[A-Za-z]:\\)\S.*):(\d+)$/;
const MAX_MESSAGE_LINES = 20;
const MAX_MESSAGE_CHARS = 4000;

interface Header {
  type: string;
  value: string;
}

function parseHeader(raw: string): Header | undefined {
  if (raw.length > MAX_FRAME_LINE) return undefined;
  const line = raw.replace(/^\(node:\d+\)\s+/, '');
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const [, indent, name, code, message] = m;
  const chained = /^\s*(\[cause\]:|caused by:|Uncaught\s)/i.test(line);
  // A line like `  code: '23514',` (a printed error property) is not a header: headers
  // either carry an error-like name or start at the left margin with a message.
  if (!ERROR_LIKE_NAME.test(name) && !(indent === '' && message !== undefined && /^[A-Z]/.test(name) && !chained)) return undefined;
  if (message === undefined && !ERROR_LIKE_NAME.test(name)) return undefined;
  // Node's `UnhandledPromiseRejectionWarning: Error: x` wraps the error that was thrown.
  if (name === 'UnhandledPromiseRejectionWarning' && message) {
    const inner = parseHeader(message);
    if (inner) return inner;
  }
  return { type: code ? `${name} [${code}]` : name, value: message ?? '' };
}

interface Excerpt {
  frame: StackFrame;
  /** Index of the line naming the file. */
  at: number;
}

/** `/app/bad.cjs:3` followed by the source line and a caret: the frame Node points at. */
function sourceExcerpt(lines: readonly string[], i: number): Excerpt | undefined {
  const m = SOURCE_EXCERPT.exec(lines[i]);
  // Without the caret under the source line, `/var/log/x.log:3` is just a path in the log.
  const caret = lines[i + 2];
  if (!m || caret === undefined || !/^\s*\^+\s*$/.test(caret)) return undefined;
  const file = m[1].startsWith('file://') ? m[1].slice(7).replace(/^\/([a-z]:)/i, '$1') : m[1];
  const frame: StackFrame = {
    filename: file,
    absPath: file,
    function: '?',
    lineNo: Number(m[2]),
    colNo: caret.indexOf('^') + 1,
    inApp: isInApp(file),
  };
  return { frame, at: i };
}

interface Block {
  header?: Header;
  /** Innermost first, as the text lists them; at most MAX_FRAMES_READ. */
  frames: StackFrame[];
  frameCount: number;
  messageLines: number;
  messageDropped: number;
  excerpt?: Excerpt;
}

function addMessageLine(block: Block, line: string): void {
  const header = block.header!;
  if (block.messageLines >= MAX_MESSAGE_LINES || header.value.length + line.length > MAX_MESSAGE_CHARS) {
    block.messageDropped++;
    return;
  }
  header.value += `\n${line}`;
  block.messageLines++;
}

function finish(block: Block): ExceptionInfo {
  const frames = block.frames;
  const ex = block.excerpt?.frame;
  // Node prints the excerpt for a throw too; add it only when no frame already points there.
  if (ex && !(frames[0]?.filename === ex.filename && frames[0]?.lineNo === ex.lineNo)) {
    frames.unshift(ex);
    block.frameCount++;
  }
  let value = block.header?.value.trimEnd() ?? '';
  if (block.messageDropped > 0)
    value += `\n… (${block.messageDropped} more line${block.messageDropped === 1 ? '' : 's'} of the message not kept)`;
  const kept = keepFrames(frames, block.frameCount);
  const info: ExceptionInfo = { type: block.header?.type ?? 'Error', value, frames: kept.reverse() };
  if (block.frameCount > info.frames.length) info.omittedFrames = block.frameCount - info.frames.length;
  return info;
}

/**
 * Every exception in the text, in Sentry's order for `exception.values`: the deepest cause
 * first, the thrown error last (the text shows them the other way round). Frames are
 * outermost first, innermost last, as Sentry stores them. Lines that are neither headers
 * nor frames (log noise, printed error properties, Node's source excerpt) are ignored.
 */
export function parseStackTrace(text: string): ExceptionInfo[] {
  const lines = traceLines(text);
  const blocks: Block[] = [];
  let current: Block | undefined;
  let excerpt: Excerpt | undefined;
  const newBlock = (header?: Header): Block => ({ header, frames: [], frameCount: 0, messageLines: 0, messageDropped: 0 });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const frame = parseFrameLine(line);
    if (frame) {
      if (!current) blocks.push((current = newBlock()));
      current.frameCount++;
      if (current.frames.length < MAX_FRAMES_READ) current.frames.push(frame);
      continue;
    }
    const header = parseHeader(line);
    if (header) {
      blocks.push((current = newBlock(header)));
      if (excerpt && i - excerpt.at <= 5) current.excerpt = excerpt;
      excerpt = undefined;
      continue;
    }
    excerpt = sourceExcerpt(lines, i) ?? excerpt;
    // A message that spans lines: everything between the header and the first frame.
    if (current?.header && current.frameCount === 0 && line.trim() !== '') addMessageLine(current, line);
  }
  const exceptions = blocks.map(finish);
  // Header-looking lines without frames are noise when real frames exist elsewhere;
  // a lone `Error: message` with no frames is still an exception worth showing.
  const withFrames = exceptions.filter((e) => e.frames.length > 0);
  return (withFrames.length > 0 ? withFrames : exceptions).reverse();
}
