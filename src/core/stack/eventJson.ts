// Exceptions out of a Sentry event in either shape it comes in: the web API's
// (`entries[type=exception]`, camelCase `lineNo`, `context: [[n, line]]`) and the raw
// event the SDK sends and the event page downloads (`exception.values[]`, `lineno`,
// `abs_path`, `in_app`, `context_line`, `pre_context`, `post_context`).
import type { ExceptionInfo, StackFrame } from '../model/frame';

export interface EventExceptions {
  readonly exceptions: ExceptionInfo[];
  readonly release?: string;
  /** When the event happened, ISO. */
  readonly date?: string;
  readonly title?: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

function frameFrom(raw: Json): StackFrame {
  const f: StackFrame = {};
  const set = <K extends keyof StackFrame>(k: K, v: StackFrame[K] | undefined) => {
    if (v !== undefined) f[k] = v;
  };
  set('filename', str(raw.filename));
  set('absPath', str(raw.absPath) ?? str(raw.abs_path));
  set('module', str(raw.module));
  set('function', str(raw.function));
  const lineNo = num(raw.lineNo) ?? num(raw.lineno);
  set('lineNo', lineNo);
  set('colNo', num(raw.colNo) ?? num(raw.colno));
  const inApp = raw.inApp ?? raw.in_app;
  if (typeof inApp === 'boolean') f.inApp = inApp;
  set('contextLine', str(raw.contextLine) ?? str(raw.context_line));
  set('preContext', strs(raw.preContext) ?? strs(raw.pre_context));
  set('postContext', strs(raw.postContext) ?? strs(raw.post_context));
  // The web API serves context as [[lineNo, text], ...] around the frame's line.
  if (Array.isArray(raw.context) && lineNo !== undefined && f.contextLine === undefined) {
    const pairs = raw.context.filter(
      (p): p is [number, string] => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'string',
    );
    const at = pairs.find((p) => p[0] === lineNo);
    if (at) {
      f.contextLine = at[1];
      f.preContext = pairs.filter((p) => p[0] < lineNo).map((p) => p[1]);
      f.postContext = pairs.filter((p) => p[0] > lineNo).map((p) => p[1]);
    }
  }
  return f;
}

function exceptionFrom(raw: Json): ExceptionInfo {
  const stack = isObj(raw.stacktrace) ? raw.stacktrace : isObj(raw.rawStacktrace) ? raw.rawStacktrace : undefined;
  const frames = Array.isArray(stack?.frames) ? stack.frames.filter(isObj).map(frameFrom) : [];
  const mech = isObj(raw.mechanism) ? raw.mechanism : undefined;
  const info: ExceptionInfo = { type: str(raw.type) ?? 'Error', value: str(raw.value) ?? '', frames };
  if (mech) info.mechanism = { type: str(mech.type), handled: typeof mech.handled === 'boolean' ? mech.handled : undefined };
  return info;
}

/** Throws with an actionable message when the JSON is not an event with an exception. */
export function exceptionsFromEvent(json: unknown): EventExceptions {
  if (!isObj(json)) throw new Error("the event JSON must be an object (a Sentry event from the API or the event page's JSON download)");
  let values: unknown[] | undefined;
  if (Array.isArray(json.entries)) {
    const entry = json.entries.find((e) => isObj(e) && e.type === 'exception');
    if (isObj(entry) && isObj(entry.data) && Array.isArray(entry.data.values)) values = entry.data.values;
  }
  if (!values && isObj(json.exception) && Array.isArray(json.exception.values)) values = json.exception.values;
  if (!values && Array.isArray(json.exception)) values = json.exception;
  if (!values) {
    throw new Error('the event has no exception: expected `entries` with type "exception" (web API) or `exception.values` (raw event)');
  }
  const release = str(json.release) ?? (isObj(json.release) ? str(json.release.version) : undefined);
  const ts = json.timestamp;
  const date = str(json.dateCreated) ?? (typeof ts === 'number' ? new Date(ts * 1000).toISOString() : str(ts));
  return { exceptions: values.filter(isObj).map(exceptionFrom), release, date, title: str(json.title) };
}
