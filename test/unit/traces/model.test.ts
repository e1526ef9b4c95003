import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrace } from '../../../src/core/traces/model';
import { spansFromJaeger, spansFromOtlp } from '../../../src/core/traces/otlp';
import { spansFromDocument } from '../../../src/core/traces/readFile';
import { errorsFromTraceTree, spansFromTraceTree, spansFromTransaction } from '../../../src/core/traces/sentrySpans';
import { parseEnvelope } from '../../support/sentry-server/envelope';
import { span } from './spans';
import { referencePath } from '../../support/reference';

const REF = referencePath();
const json = (p: string) => JSON.parse(readFileSync(join(REF, p), 'utf8')) as unknown;

describe('traces: sources and model', () => {
  it('reads the OTLP/JSON example: hex ids, nanosecond strings to ms, attributes of every AnyValue kind', () => {
    const spans = spansFromOtlp(json('otel/opentelemetry-proto__examples__trace.json'));
    assert.equal(spans.length, 1);
    const [s] = spans;
    assert.equal(s.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(s.spanId, 'eee19b7ec3c1b174');
    assert.equal(s.parentSpanId, 'eee19b7ec3c1b173');
    assert.equal(s.name, "I'm a server span");
    assert.equal(s.start, 1544712660000);
    assert.equal(s.end, 1544712661000);
    assert.equal(s.service, 'my.service');
    assert.equal(s.op, 'server');
    assert.equal(s.attributes['my.span.attr'], 'some value');
  });

  it('reads both Jaeger shapes: the UI model with processes, and the anonymizer span array', () => {
    const ui = spansFromJaeger(json('otel/jaeger__uimodel-v1-json-fixtures__ui_01.json'))!;
    assert.ok(ui.length >= 2);
    const child = ui.find((s) => s.parentSpanId)!;
    assert.ok(
      ui.some((s) => s.spanId === child.parentSpanId),
      'CHILD_OF reference resolves to a span of the trace',
    );
    assert.ok(
      ui.every((s) => s.service),
      'service names come from processes',
    );
    assert.ok(
      ui.every((s) => s.end >= s.start && s.start > 1e12),
      'microseconds become epoch ms',
    );
    const anon = spansFromJaeger(json('otel/jaeger__anonymizer-uiconv-fixtures__trace_success.json'))!;
    assert.ok(anon.length >= 1);
    assert.ok(anon.every((s) => s.service));
  });

  it('reads Sentry: the trace endpoint tree (openapi and the mixed list with an issue), transaction events, SDK envelopes', () => {
    const tree = spansFromTraceTree(json('sentry/traces-logs/openapi-org-trace.example.json'), 'x');
    assert.equal(tree.length, 1);
    assert.equal(tree[0].end - tree[0].start, 250);
    const mixed = json('sentry/traces-logs/mcp-mocks__trace-mixed.json');
    const spans = spansFromTraceTree(mixed, 'b4d1aae7216b47ff8117cf4e09ce9d0b');
    assert.ok(spans.length >= 2, 'the issue object in the list is skipped, the nodes are read');
    const child = spans.find((s) => s.spanId === 'ad0f7c48fb294de3')!;
    assert.equal(child.op, 'http.client');
    assert.equal(child.attributes['http.status_code'], '200');
    assert.ok(Array.isArray(errorsFromTraceTree(mixed)));
    const perf = json('sentry/traces-logs/mcp-mocks__performance-event.json') as Record<string, unknown>;
    const tx = spansFromTransaction(perf);
    assert.equal(tx[0].spanId, '1234567890abcdef');
    assert.equal(tx.filter((s) => s.op === 'db.query').length, 3);
    // The Python SDK's transaction envelope, as captured by Spotlight.
    const envelope = parseEnvelope(readFileSync(join(REF, 'sentry/traces-logs/spotlight__envelope_python.txt')));
    const item = envelope.items.find((i) => i.header.type === 'transaction')!;
    const { spans: py, format } = spansFromDocument(JSON.parse(item.payload.toString('utf8')));
    assert.equal(format, 'sentry-transaction');
    assert.ok(py.filter((s) => s.op === 'db').length >= 20);
    const trace = buildTrace(py);
    assert.equal(trace.roots.length, 1, 'every span hangs under the transaction');
  });

  it('self time, the critical path, missing parents and clock skew, said in notes', () => {
    const root = span({ name: 'root', start: 0, end: 100 });
    const a = span({ name: 'a', start: 10, end: 40, parentSpanId: root.spanId });
    const b = span({ name: 'b', start: 30, end: 90, parentSpanId: root.spanId });
    const b1 = span({ name: 'b1', start: 35, end: 60, parentSpanId: b.spanId });
    const orphan = span({ name: 'orphan', start: 5, end: 6, parentSpanId: 'ffffffffffffffff' });
    const skewed = span({ name: 'skewed', start: 95, end: 130, parentSpanId: root.spanId });
    const t = buildTrace([root, a, b, b1, orphan, skewed, { ...a }]);
    assert.equal(t.spans.length, 6);
    // root: 100 ms minus its children covering [10,90] and [95,100] (the skewed one clipped) = 15
    assert.equal(t.selfTime.get(root.spanId), 15);
    assert.equal(t.selfTime.get(b.spanId), 35);
    assert.deepEqual(
      t.criticalPath.map((s) => s.name),
      ['root', 'skewed'],
    );
    assert.equal(t.roots.length, 2);
    assert.match(t.notes.join('\n'), /1 duplicate span id/);
    assert.match(t.notes.join('\n'), /1 span\(s\) name a parent that is not in the trace/);
    assert.match(t.notes.join('\n'), /1 span\(s\) start before or end after their parent \(clock skew/);
  });

  it('a chain of 100,000 spans builds without blowing the stack', () => {
    const spans = [span({ name: 'step 0', start: 0, end: 200_000 })];
    for (let i = 1; i < 100_000; i++)
      spans.push(span({ name: `step ${i}`, start: i, end: 200_000 - i, parentSpanId: spans[i - 1].spanId }));
    const t = buildTrace(spans);
    assert.equal(t.spans.length, 100_000);
    assert.equal(t.criticalPath.length, 100_000);
  });
});
