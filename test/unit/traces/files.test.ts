import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTraceFile, TraceFileError } from '../../../src/core/traces/readFile';
import { makeTempDir } from '../harness/git';
import { referencePath } from '../../support/reference';

const REF = referencePath();

function otlpLine(traceId: string, spans: { id: string; parent?: string; name: string; start: number; end: number }[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            scope: { name: 't' },
            spans: spans.map((s) => ({
              traceId,
              spanId: s.id,
              parentSpanId: s.parent ?? '',
              name: s.name,
              kind: 1,
              startTimeUnixNano: String(s.start * 1e6),
              endTimeUnixNano: String(s.end * 1e6),
            })),
          },
        ],
      },
    ],
  });
}

describe('traces: files', () => {
  const dir = makeTempDir('forensics-tracefiles-');
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads each reference format and says which it was', async () => {
    assert.equal((await readTraceFile(join(REF, 'otel/opentelemetry-proto__examples__trace.json'))).format, 'otlp');
    assert.equal((await readTraceFile(join(REF, 'otel/jaeger__uimodel-v1-json-fixtures__ui_01.json'))).format, 'jaeger');
    assert.equal((await readTraceFile(join(REF, 'sentry/traces-logs/mcp-mocks__trace-event.json'))).format, 'sentry-transaction');
    const env = await readTraceFile(join(REF, 'sentry/traces-logs/spotlight__envelope_python.txt'));
    assert.equal(env.format, 'sentry-envelope');
    assert.ok(env.trace.spans.length > 20);
    const span = await readTraceFile(join(REF, 'sentry/traces-logs/spotlight__envelope_with_only_span.txt'));
    assert.equal(span.trace.spans.length, 1);
  });

  it('reads the collector file exporter’s JSON lines, picks the biggest trace and says so, or the one asked for', async () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    const p = write(
      'export.jsonl',
      [
        otlpLine(a, [{ id: '1'.repeat(16), name: 'root', start: 1000, end: 2000 }]),
        otlpLine(b, [
          { id: '2'.repeat(16), name: 'r', start: 0, end: 5 },
          { id: '3'.repeat(16), parent: '2'.repeat(16), name: 'c', start: 1, end: 2 },
        ]),
        otlpLine(a, [{ id: '4'.repeat(16), parent: '1'.repeat(16), name: 'child', start: 1100, end: 1900 }]),
      ].join('\n') + '\n',
    );
    const picked = await readTraceFile(p);
    assert.equal(picked.format, 'otlp-lines');
    assert.equal(picked.trace.traceId, a, 'two spans each: the first seen wins the tie');
    assert.match(picked.trace.notes.join('\n'), /the file holds 2 traces/);
    assert.equal((await readTraceFile(p, { traceId: b.toUpperCase() })).trace.spans.length, 2);
    await assert.rejects(readTraceFile(p, { traceId: 'c'.repeat(32) }), /trace c{32} is not in the file/);
  });

  it('bad input: not OTLP, not JSON, truncated, a truncated last line, missing, a folder', async () => {
    await assert.rejects(
      readTraceFile(write('other.json', JSON.stringify({ hello: 'world' }))),
      (e: Error) => e instanceof TraceFileError && /not a trace: expected OTLP\/JSON \("resourceSpans"\)/.test(e.message),
    );
    await assert.rejects(readTraceFile(write('text.log', 'GET / 200\nGET / 500\n')), /is not JSON/);
    const full = readFileSync(join(REF, 'otel/opentelemetry-proto__examples__trace.json'), 'utf8');
    await assert.rejects(readTraceFile(write('cut.json', full.slice(0, full.length / 2))), /not valid JSON .*truncated/);
    const a = 'a'.repeat(32);
    const line = otlpLine(a, [{ id: '1'.repeat(16), name: 'root', start: 0, end: 10 }]);
    const cut = await readTraceFile(write('cut.jsonl', `${line}\n${line.slice(0, 40)}`));
    assert.equal(cut.trace.spans.length, 1);
    assert.match(cut.trace.notes.join('\n'), /1 line\(s\) were not trace data .*line 2/);
    await assert.rejects(readTraceFile(join(dir, 'missing.json')), /no such file/);
    await assert.rejects(readTraceFile(dir), /is not a file/);
  });
});
