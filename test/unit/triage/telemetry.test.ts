// Traces and logs as triage evidence: the signals they give (and do not give), the hotfix
// in words with the trace's numbers, and the incidents they make with no exception.
import { strict as assert } from 'node:assert';
import { analyzeTrace } from '../../../src/core/traces/analyze';
import { buildTrace, type Span } from '../../../src/core/traces/model';
import { classify } from '../../../src/core/triage/classify';
import type { Evidence } from '../../../src/core/triage/evidence';
import { investigate } from '../../../src/core/triage/investigation';
import { renderReport } from '../../../src/core/triage/report';
import { incidentFacts } from '../../../src/core/triage/facts';
import { incidentFromLogs, incidentFromTrace, type TraceEvidence } from '../../../src/core/triage/telemetryEvidence';
import { LogSummarizer } from '../../../src/core/logs/summary';
import { recordFromJson } from '../../../src/core/logs/record';
import { span } from '../traces/spans';

function traceEvidence(spans: Span[]): TraceEvidence {
  const trace = buildTrace(spans);
  return { analysis: analyzeTrace(trace), source: 'test', start: trace.start };
}

function evidenceOf(t: TraceEvidence): Evidence {
  const summary = incidentFromTrace(t);
  return { incident: incidentFacts(summary), event: { exceptions: [] }, trace: t };
}

function deliveries(fanOut: number, waves: number, backoff: boolean): Span[] {
  const root = span({ name: 'dispatch', start: 0, end: 100_000 });
  const spans = [root];
  let start = 0;
  for (let w = 0; w < waves; w++) {
    for (let i = 0; i < fanOut ** w; i++) {
      const a = span({
        name: 'deliver webhook',
        op: 'webhook.deliver',
        start: start + i * 0.01,
        end: start + 2,
        parentSpanId: root.spanId,
        attributes: { webhook_id: 'wh_9', attempt: w + 1 },
      });
      spans.push(
        a,
        span({
          name: 'POST',
          op: 'http.client',
          start: start + 0.5,
          end: start + 1.5,
          parentSpanId: a.spanId,
          status: 'error',
          attributes: { 'http.response.status_code': 503 },
        }),
      );
    }
    start += backoff ? 1000 * 2 ** w : 150;
  }
  return spans;
}

describe('triage: traces and logs as evidence', () => {
  it('a fan-out storm is a retry storm with high confidence and a hotfix carrying its numbers', () => {
    const inv = investigate(evidenceOf(traceEvidence(deliveries(5, 3, false))));
    const [top] = inv.candidates;
    assert.equal(top.bugClass, 'retry-storm');
    assert.equal(top.confidence, 'high');
    const hotfix = inv.steps.find((s) => s.id === 'hotfix')!;
    assert.equal(hotfix.status, 'found');
    assert.match(hotfix.summary, /Cap the attempts per webhook_id .*wh_9 was attempted 31 times/);
    assert.match(hotfix.details.join('\n'), /one retry per failure, not 5: attempts grew 1 → 5 → 25/);
    assert.match(renderReport(inv), /## Traces and logs[\s\S]*retried per webhook_id/);
  });

  it('three attempts with backoff, or a repeated step that is not parsing and carries no size, name no bug class', () => {
    assert.deepEqual(classify(evidenceOf(traceEvidence(deliveries(1, 3, true)))), []);
    const root = span({ name: 'job', start: 0, end: 1000 });
    const steps = Array.from({ length: 8 }, (_, i) =>
      span({ name: 'render page', op: 'render', start: i * 120, end: i * 120 + 110, parentSpanId: root.spanId }),
    );
    const t = traceEvidence([root, ...steps]);
    assert.ok(
      t.analysis.findings.some((f) => f.finding.kind === 'repeated-span'),
      'the repetition is shown',
    );
    assert.deepEqual(classify(evidenceOf(t)), [], 'but it is not called a payload problem');
  });

  it('logs make an incident from their warning and its stack, and say so when they hold none', () => {
    const s = new LogSummarizer();
    const stack =
      'MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 price listeners added to [EventEmitter]. MaxListeners is 10.\n    at _addListener (node:events:591:17)\n    at handleConnection (/srv/app/src/prices.js:13:10)\n    at main (/srv/app/src/server.js:4:3)';
    s.add(
      recordFromJson(
        {
          level: 40,
          time: 5,
          msg: 'Possible EventEmitter memory leak detected.',
          err: { type: 'Error', message: 'Possible EventEmitter memory leak detected.', stack },
        },
        1,
      )!,
    );
    const incident = incidentFromLogs({ summary: s.summary(), source: 'app.log', notes: [] });
    assert.match(incident.title, /^MaxListenersExceededWarning: Possible EventEmitter memory leak/);
    const frames = incident.latestEvent!.exceptions[0].frames;
    assert.equal(frames[frames.length - 1].function, '_addListener');
    assert.ok(frames.some((f) => f.function === 'handleConnection' && f.lineNo === 13));
    const quiet = new LogSummarizer();
    quiet.add(recordFromJson({ level: 30, time: 1, msg: 'ok' }, 1)!);
    assert.throws(
      () => incidentFromLogs({ summary: quiet.summary(), source: 'quiet.log', notes: [] }),
      /quiet\.log: the logs hold no warning or error to investigate/,
    );
  });
});
