// The stack frame every part of the tool speaks: Sentry's frame fields, camel-cased as
// Sentry's web API serves them, so frames read from Sentry, parsed from a raw trace, or
// mapped through a source map are interchangeable. Order: outermost first, innermost
// (the crashing frame) last, as Sentry stores them.
export interface StackFrame {
  /** Path as reported, relative or app-rooted (`app:///src/x.js`, `/app/src/x.js`, `src/x.js`). */
  filename?: string;
  /** Absolute path or URL as reported by the runtime. */
  absPath?: string;
  module?: string;
  function?: string;
  /** 1-based line. */
  lineNo?: number;
  /** 1-based column. */
  colNo?: number;
  contextLine?: string;
  preContext?: string[];
  postContext?: string[];
  inApp?: boolean;
}

export interface ExceptionInfo {
  type: string;
  value: string;
  mechanism?: { type?: string; handled?: boolean };
  /** Outermost first, innermost last. */
  frames: StackFrame[];
  /** Frames the trace had beyond those kept (the innermost frame and in-app ones are kept first). */
  omittedFrames?: number;
}

/** The innermost in-app frame: where the application's own code failed. */
export function culpritFrame(frames: readonly StackFrame[]): StackFrame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].inApp) return frames[i];
  return frames[frames.length - 1];
}
