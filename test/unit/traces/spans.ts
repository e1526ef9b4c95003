// Spans built by hand for the detector tests: times in ms from a fixed epoch.
import type { Span } from '../../../src/core/traces/model';

export const T0 = Date.UTC(2026, 0, 1);
let next = 1;

export function span(p: Partial<Span> & { name: string; start: number; end: number }): Span {
  const id = (next++).toString(16).padStart(16, '0');
  return { spanId: id, traceId: 'a'.repeat(32), attributes: {}, ...p, start: T0 + p.start, end: T0 + p.end };
}
