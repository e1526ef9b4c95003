// Raw stack traces as pasted from logs, parsed with Sentry's own Node stack-line parser
// so the frames match what Sentry shows for the same error. The parser handles the frame
// lines; this module finds the `Name: message` headers that split a log excerpt into
// exceptions (including `[cause]:` and `Caused by:` chains) and keeps multi-line messages.
import { createStackParser } from '@sentry/core';
import { nodeStackLineParser } from '@sentry/core/server';
import type { ExceptionInfo, StackFrame } from '../model/frame';

const parseFrames = createStackParser(nodeStackLineParser());

const FRAME_LINE = /^\s*at\s/;
// `TypeError: x`, `TypeError [ERR_X]: x`, `Uncaught Error: x`, `[cause]: Error: x`, `Caused by: Error: x`, bare `Error`.
const HEADER = /^(\s*)(?:Uncaught\s+|\[cause\]:\s*|Caused by:\s*)?([A-Za-z_$][\w$.]*)(?:\s\[([A-Z0-9_]+)\])?(?::\s?(.*))?$/;
const ERROR_LIKE_NAME = /(error|exception|warning|rejection|fault)$/i;

interface Header {
  type: string;
  value: string;
}

function parseHeader(line: string): Header | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const [, indent, name, code, message] = m;
  const chained = /^\s*(\[cause\]:|Caused by:|Uncaught\s)/.test(line);
  // A line like `  code: '23514',` (a printed error property) is not a header: headers
  // either carry an error-like name or start at the left margin with a message.
  if (!ERROR_LIKE_NAME.test(name) && !(indent === '' && message !== undefined && /^[A-Z]/.test(name) && !chained)) return undefined;
  if (message === undefined && !ERROR_LIKE_NAME.test(name)) return undefined;
  return { type: code ? `${name} [${code}]` : name, value: message ?? '' };
}

function toStackFrame(raw: ReturnType<typeof parseFrames>[number]): StackFrame {
  const frame: StackFrame = {};
  if (raw.filename !== undefined) {
    frame.filename = raw.filename;
    frame.absPath = raw.filename;
  }
  if (raw.module) frame.module = raw.module;
  if (raw.function) frame.function = raw.function;
  if (raw.lineno !== undefined) frame.lineNo = raw.lineno;
  if (raw.colno !== undefined) frame.colNo = raw.colno;
  if (raw.in_app !== undefined) frame.inApp = raw.in_app;
  // Sentry's parser only recognises `node_modules/`; a Windows trace writes `node_modules\`.
  if (frame.inApp && raw.filename?.includes('node_modules\\')) frame.inApp = false;
  return frame;
}

interface Block {
  header?: Header;
  frameLines: string[];
}

/**
 * Every exception in the text, in Sentry's order for `exception.values`: the deepest cause
 * first, the thrown error last (the text shows them the other way round). Frames are outermost first, innermost last, as Sentry stores them. Lines that
 * are neither headers nor frames (log prefixes, printed error properties, Node's source
 * excerpt) are ignored.
 */
export function parseStackTrace(text: string): ExceptionInfo[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.replace(/\t/g, '    ');
    if (FRAME_LINE.test(line)) {
      if (!current) blocks.push((current = { frameLines: [] }));
      current.frameLines.push(line);
      continue;
    }
    const header = parseHeader(line);
    if (header) {
      blocks.push((current = { header, frameLines: [] }));
      continue;
    }
    // A message that spans lines: everything between the header and the first frame.
    if (current?.header && current.frameLines.length === 0 && line.trim() !== '') {
      current.header.value += `\n${line}`;
    }
  }
  const exceptions = blocks.map((b) => ({
    type: b.header?.type ?? 'Error',
    value: b.header?.value.trimEnd() ?? '',
    frames: parseFrames(b.frameLines.join('\n')).map(toStackFrame),
  }));
  // Header-looking lines without frames are noise when real frames exist elsewhere;
  // a lone `Error: message` with no frames is still an exception worth showing.
  const withFrames = exceptions.filter((e) => e.frames.length > 0);
  return (withFrames.length > 0 ? withFrames : exceptions).reverse();
}
