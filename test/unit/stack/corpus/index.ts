// The whole corpus, and the comparison of a parse against an entry's expectation.
import type { ExceptionInfo, StackFrame } from '../../../../src/core/model/frame';
import { chromeTraces } from './chrome';
import { geckoTraces, safariTraces, winjsTraces } from './browsers';
import { logTraces } from './logs';
import { reactNativeTraces } from './mobile';
import { nodeTraces } from './node';
import { nodePrintedTraces } from './nodePrinted';
import type { CorpusTrace, ExpectedFrame } from './types';

export const corpus: readonly CorpusTrace[] = [...nodeTraces, ...nodePrintedTraces, ...chromeTraces, ...geckoTraces, ...safariTraces, ...winjsTraces, ...reactNativeTraces, ...logTraces];

const show = (f: StackFrame | undefined) => (f ? `${f.function ?? ''} ${f.filename ?? ''}:${f.lineNo ?? '-'}:${f.colNo ?? '-'} ${f.inApp === undefined ? '' : f.inApp ? 'app' : 'lib'}` : '(none)');
const showExpected = ([fn, file, line, col, inApp]: ExpectedFrame) => `${fn} ${file}:${line ?? '-'}:${col ?? '-'} ${inApp === undefined ? '' : inApp ? 'app' : 'lib'}`;

function frameDiff(actual: StackFrame | undefined, expected: ExpectedFrame): string | undefined {
  const [fn, file, line, col, inApp] = expected;
  const ok = actual !== undefined && actual.function === fn && actual.filename === file && actual.lineNo === line && actual.colNo === col && (inApp === undefined || actual.inApp === inApp);
  return ok ? undefined : `expected ${showExpected(expected)}, got ${show(actual)}`;
}

/** Why the parse does not match the entry, or undefined when it does. */
export function mismatch(entry: CorpusTrace, parsed: ExceptionInfo[]): string | undefined {
  // parseStackTrace orders exceptions as Sentry does (deepest cause first); the corpus as printed.
  const printed = [...parsed].reverse();
  if (printed.length !== entry.exceptions.length) return `expected ${entry.exceptions.length} exception(s), got ${printed.length}`;
  for (const [i, want] of entry.exceptions.entries()) {
    const got = printed[i];
    if (want.type !== undefined && got.type !== want.type) return `exception ${i}: type ${JSON.stringify(got.type)}, expected ${JSON.stringify(want.type)}`;
    if (want.value !== undefined && got.value.split('\n')[0] !== want.value) return `exception ${i}: value ${JSON.stringify(got.value.split('\n')[0])}, expected ${JSON.stringify(want.value)}`;
    const innermostFirst = [...got.frames].reverse();
    if (innermostFirst.length !== want.frames.length) return `exception ${i}: ${innermostFirst.length} frames, expected ${want.frames.length}; first: ${show(innermostFirst[0])}`;
    for (const [j, f] of want.frames.entries()) {
      const d = frameDiff(innermostFirst[j], f);
      if (d) return `exception ${i} frame ${j}: ${d}`;
    }
  }
  return undefined;
}
