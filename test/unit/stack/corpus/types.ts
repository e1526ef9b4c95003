// The shape of the trace corpus: real-world trace shapes (as Sentry's, TraceKit's and
// stack-utils' public fixtures show they exist), written for this project, each with the
// frames a correct parser must find. Frames are listed innermost first, as a trace reads.
export type Family =
  | 'node'
  | 'chrome'
  | 'gecko'
  | 'safari'
  | 'winjs-ie-edge'
  | 'react-native'
  | 'log-prefix'
  | 'json-log';

/** [function, filename, line, column, inApp]; `undefined` line/column: the trace has none; inApp omitted: not checked. */
export type ExpectedFrame = readonly [fn: string, file: string, line?: number, column?: number, inApp?: boolean];

export interface ExpectedException {
  /** Checked when given. */
  readonly type?: string;
  /** First line of the message, checked when given. */
  readonly value?: string;
  readonly frames: readonly ExpectedFrame[];
}

export interface CorpusTrace {
  readonly family: Family;
  readonly name: string;
  readonly text: string;
  /** In the order the text prints them: the thrown error first, then its causes. */
  readonly exceptions: readonly ExpectedException[];
  /** Set when the parser deliberately does not read this trace: the reason, printed by the test. */
  readonly unsupported?: string;
}

export const lines = (...l: string[]): string => l.join('\n');
