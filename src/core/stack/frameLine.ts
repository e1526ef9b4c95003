// One line of a stack trace → one frame, for every engine a user can paste from. The
// maintained Sentry parsers do the reading (Node's for server paths; Chrome's, WinJS's and
// Gecko's for browsers and React Native) so frames match what Sentry shows; this module
// only routes each line to the right one, rewrites the few shapes they misread (nested
// eval, webpack query suffixes, no space before `(`, inspect's trailing ` {`, Firefox's
// `async*` markers) and decides in-app the same way for every family.
import type { StackFrame as SentryFrame, StackLineParserFn } from '@sentry/core';
import { nodeStackLineParser } from '@sentry/core/server';
import { chromeStackLineParser, geckoStackLineParser, winjsStackLineParser } from '@sentry/browser';
import type { StackFrame } from '../model/frame';

const [, node] = nodeStackLineParser();
const [, chrome] = chromeStackLineParser;
const [, winjs] = winjsStackLineParser;
const [, gecko] = geckoStackLineParser;

/** Longer lines are message text or minified noise, never a frame (Sentry cuts at 1024). */
export const MAX_FRAME_LINE = 2048;

const V8_START = /^\s*at\s+\S/;
// `webpack:///./src/x.jsx?a1b2:12:5` — the query is webpack's module id, not part of the path.
const WEBPACK_QUERY = /((?:webpack|webpack-internal):\/\/[^?\s()]*)\?[^:\s()]*(?=:\d)/g;
// `at Object.onPress(index.android.bundle:1:2)`: React Native and old webpack builds print no space.
const NO_SPACE_CALL = /^(\s*at\s+)([^\s()]+)\(([^()]+)\)\s*$/;
const REAL_LOCATION = /\(([^()]+?):(\d+):(\d+)\)/g;

/** The location part of a V8 line: the last top-level `( … )`, or what follows `at `. */
function locationOf(line: string): { location: string; start: number } {
  const end = line.lastIndexOf(')');
  if (end === line.length - 1) {
    let depth = 0;
    for (let i = end; i >= 0; i--) {
      if (line[i] === ')') depth++;
      else if (line[i] === '(' && --depth === 0) return { location: line.slice(i + 1, end), start: i };
    }
  }
  const at = /^\s*at\s+(?:async\s+)?/.exec(line);
  return { location: line.slice(at ? at[0].length : 0), start: -1 };
}

/** `eval at f (eval at g (/app/x.js:3:7)), <anonymous>:1:1` → `/app/x.js:3:7`: the file that ran the eval. */
function evalCallSite(location: string): string | undefined {
  for (const m of location.matchAll(REAL_LOCATION)) {
    if (!m[1].startsWith('eval at ') && m[1] !== '<anonymous>') return `${m[1]}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

function rewriteV8(raw: string): string {
  let line = raw
    .trimEnd()
    .replace(/\s+\{$/, '')
    .replace(WEBPACK_QUERY, '$1');
  const noSpace = NO_SPACE_CALL.exec(line);
  if (noSpace) line = `${noSpace[1]}${noSpace[2]} (${noSpace[3]})`;
  const { location, start } = locationOf(line);
  if (start > 0 && location.startsWith('eval at ')) {
    const site = evalCallSite(location);
    if (site) line = `${line.slice(0, start)}(${site})`;
  }
  return line;
}

const SCHEME_URL = /^[a-z][\w+.-]*:\/\//i;
const WASM_LOCATION = /^(.+?):wasm-function\[\d+\]:0x[0-9a-f]+$/i;
/** Browser and React Native locations go to Chrome's parser; server paths to Node's. */
function isBrowserLocation(location: string): boolean {
  const loc = location.replace(/^async\s+/, '');
  if (loc.startsWith('address at ') || loc.startsWith('blob:') || loc.startsWith('data:') || /bundle|\[native code\]/.test(loc))
    return true;
  if (SCHEME_URL.test(loc) && !loc.startsWith('file://')) return true;
  // Node's parser wants line and column; Chrome's takes a frame without a column.
  return !/:\d+:\d+$/.test(loc);
}

const NOT_APP_FILES =
  /^(?:native|native code|\[native code\]|<anonymous>|eval code|Function code|debugger eval code|InternalBytecode\.js|index \d+|<data:.*>)$/;

/** One rule for every family: dependencies, runtimes and engine natives are not the app. */
export function isInApp(file: string | undefined): boolean {
  if (!file || NOT_APP_FILES.test(file) || /node_modules[\\/]/.test(file)) return false;
  if (file.startsWith('node:') || /^internal[\\/]/.test(file)) return false;
  if (SCHEME_URL.test(file) || file.startsWith('blob:')) return true;
  if (file.startsWith('/') || file.startsWith('\\\\') || file.startsWith('.') || /^[a-z]:[\\/]/i.test(file)) return true;
  // A bare name is an app bundle on a device (index.android.bundle, main.jsbundle), else unknown.
  return /\.(?:jsbundle|bundle|hbc)$/.test(file);
}

/** `file:///C:/x.js` → `C:/x.js`, `file:///srv/x.js` → `/srv/x.js`, as Sentry's Node parser does. */
function fileUrlToPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  const path = file.slice(7);
  return /^\/[a-z]:/i.test(path) ? path.slice(1) : path;
}

function toStackFrame(raw: SentryFrame): StackFrame {
  const frame: StackFrame = {};
  if (raw.filename !== undefined) {
    let file = fileUrlToPath(raw.filename.replace(WEBPACK_QUERY, '$1'));
    // `cartQuery.tsx?33f8`: webpack's module hash on a bare file name; a URL keeps its query.
    if (!SCHEME_URL.test(file)) file = file.replace(/\?[^/\\]*$/, '');
    frame.filename = file;
    frame.absPath = file;
  }
  if (raw.module) frame.module = raw.module;
  if (raw.function) frame.function = raw.function.replace(/^async\s+/, '');
  if (raw.lineno !== undefined) frame.lineNo = raw.lineno;
  if (raw.colno !== undefined) frame.colNo = raw.colno;
  frame.inApp = isInApp(frame.filename);
  return frame;
}

const SERVER_PATH_WITHOUT_COLUMN = /^(?:\/|\\\\|[a-z]:\\)[^:]*:\d+$/i;

function parseV8(line: string): StackFrame | undefined {
  let rewritten = rewriteV8(line);
  const found = locationOf(rewritten);
  const { start } = found;
  let { location } = found;
  // A server path without a column: Node's parser (and its naming) wants one, and reads a
  // column of 0 as none.
  if (start > 0 && SERVER_PATH_WITHOUT_COLUMN.test(location)) {
    rewritten = `${rewritten.slice(0, -1)}:0)`;
    location += ':0';
  }
  const where = location.replace(/^(?:async|address at)\s+/, '');
  // WebAssembly: `Cart::total(int) const (http://x/cart.wasm:wasm-function[190]:0x5aeb)` — no
  // line to give, and C++ names with parentheses that no regex of a JS engine expects.
  const wasm = WASM_LOCATION.exec(where);
  if (wasm && start > 0) {
    const fn = rewritten
      .slice(0, start)
      .replace(/^\s*at\s+/, '')
      .trim();
    return toStackFrame({ function: fn || '?', filename: wasm[1] });
  }
  // `at least 3 items (see docs)` in prose is no frame: a frame names a line, an engine native or a data: URL.
  if (!/:\d+$/.test(where) && !NOT_APP_FILES.test(where) && !where.startsWith('data:')) return undefined;
  const parsers: StackLineParserFn[] = isBrowserLocation(where) ? [chrome, winjs] : [node, chrome];
  for (const parse of parsers) {
    const raw = parse(rewritten);
    if (raw?.filename) return toStackFrame(raw);
  }
  return undefined;
}

// Firefox marks async boundaries: `async*fn@…`, `setTimeout handler*fn@…`, `promise callback*fn@…`.
const GECKO_ASYNC_MARK = /^[\w$. ]*\*(?=[^*]*@)/;
// A Gecko/JSC frame ends in a location: `:line`, `:line:col` or `[native code]`.
const GECKO_END = /(?:@\S*?:\d+(?::\d+)?|@\[native code\])$|^\[native code\]$|^[a-z][\w+.-]*:\/\/\S+:\d+:\d+$/i;
const GECKO_FALLBACK = /^(.*?)@(.+?):(\d+)(?::(\d+))?$/;

/** Gecko's regex backtracks cubically on parentheses (800 of them: half a second a line); frames have a few. */
const MAX_GECKO_LINE = 1024;
const MAX_GECKO_PARENS = 6;

function parseGecko(raw: string): StackFrame | undefined {
  if (raw.length > MAX_GECKO_LINE || (!raw.includes('@') && !raw.includes('[native code]') && !raw.includes('://'))) return undefined;
  let parens = 0;
  for (let i = raw.indexOf('('); i >= 0; i = raw.indexOf('(', i + 1)) if (++parens > MAX_GECKO_PARENS) return undefined;
  const line = raw.trim().replace(GECKO_ASYNC_MARK, '');
  if (!GECKO_END.test(line) && !/@.+:\d+(?::\d+)?$/.test(line)) return undefined;
  // A message such as `see http://x/docs: 3` is not a frame: frames have no `: ` before the location.
  if (/:\s/.test(line.slice(0, Math.max(0, line.lastIndexOf('@'))))) return undefined;
  const parsed = gecko(line);
  if (parsed?.filename && (parsed.filename === '[native code]' || !/\s/.test(parsed.filename))) return toStackFrame(parsed);
  // What Gecko's regex misses (`@debugger eval code:1:7`, a relative path); `ops@host:443` in prose is no frame.
  const m = GECKO_FALLBACK.exec(line);
  if (!m || !(m[2].includes('/') || / code$/.test(m[2]))) return undefined;
  return toStackFrame({ function: m[1] || '?', filename: m[2], lineno: Number(m[3]), colno: m[4] ? Number(m[4]) : undefined });
}

/** The frame a line holds, or undefined when the line is not a frame. */
export function parseFrameLine(line: string): StackFrame | undefined {
  if (line.length > MAX_FRAME_LINE) return undefined;
  if (V8_START.test(line)) return parseV8(line);
  return parseGecko(line);
}

/** Where a V8 `at` frame starts in a line with text before it (a log prefix), or -1. */
export function v8FrameStart(line: string): number {
  if (line.length > MAX_FRAME_LINE) return -1;
  // A prefix holds an `at` or two at most (`… at 10:00 …`); more attempts would make a line of `at`s quadratic.
  let attempts = 0;
  for (let at = line.indexOf('at '); at >= 0 && attempts < 3; at = line.indexOf('at ', at + 3)) {
    if (at > 0 && line[at - 1] !== ' ') continue;
    attempts++;
    const rest = line.slice(at);
    if (/[:(]\d|\((?:native|<anonymous>|index \d+)\)/.test(rest) && parseV8(rest)) return at;
  }
  return -1;
}
