import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTrace } from '../../../src/core/traces/analyze';
import { aggregateSpans, describeGroup } from '../../../src/core/traces/aggregate';
import { buildTrace, type Span } from '../../../src/core/traces/model';
import { detectNPlusOne, detectSlowDownstreams } from '../../../src/core/traces/patterns';
import { describeRetry, detectRetries } from '../../../src/core/traces/retries';
import { codeHint, locateFunction, measuredLine, schedulingLine } from '../../../src/core/traces/spanCode';
import { makeTempDir } from '../harness/git';
import { span } from './spans';

/** An attempt span with its http.client child answering `status`. */
function attempt(root: Span, key: string, n: number, start: number, status: number, extra: Record<string, string | number> = {}): Span[] {
  const a = span({
    name: 'deliver webhook',
    op: 'webhook.deliver',
    start,
    end: start + 5,
    parentSpanId: root.spanId,
    attributes: { webhook_id: key, attempt: n, ...extra },
  });
  const c = span({
    name: 'POST',
    op: 'http.client',
    start: start + 1,
    end: start + 4,
    parentSpanId: a.spanId,
    status: status >= 400 ? 'error' : 'ok',
    attributes: { 'http.response.status_code': status, 'server.address': 'hooks.example.com' },
  });
  return [a, c];
}

describe('traces: detectors', () => {
  it('a fan-out storm: each failure schedules five attempts, constant gaps, far past any cap', () => {
    const root = span({ name: 'dispatch', op: 'queue.process', start: 0, end: 1000 });
    const spans = [root];
    let start = 0;
    for (const [wave, count] of [1, 5, 25].entries()) {
      for (let i = 0; i < count; i++) spans.push(...attempt(root, 'wh_1', wave + 1, start + i * 0.1, 503));
      start += 200;
    }
    const [f] = detectRetries(buildTrace(spans));
    assert.ok(f);
    assert.equal(f.key, 'webhook_id');
    assert.deepEqual(f.attemptsPerKey, [{ value: 'wh_1', attempts: 31, failures: 31 }]);
    assert.deepEqual(f.waves, [1, 5, 25]);
    assert.equal(f.growth, 'geometric');
    assert.equal(f.ratio!.toFixed(1), '5.0');
    assert.equal(f.backoff, false);
    assert.equal(f.capped, false);
    assert.equal(f.storm, true);
    assert.match(
      describeRetry(f),
      /wh_1 attempted 31 times \(31 failed\); attempts per wave 1 → 5 → 25, each retried 19\d ms after a failure: geometric growth \(×5\.0 per wave\); no backoff/,
    );
  });

  it('a bigger wave takes longer to fail: the wait after each failure is what says backoff, and it stays 150 ms', () => {
    const root = span({ name: 'dispatch', start: 0, end: 10_000 });
    const spans = [root];
    let start = 0;
    for (const [wave, [count, duration]] of [
      [1, 5],
      [5, 100],
      [25, 400],
      [125, 1600],
    ].entries()) {
      for (let i = 0; i < count; i++) {
        const a = span({
          name: 'deliver webhook',
          op: 'webhook.deliver',
          start,
          end: start + duration,
          parentSpanId: root.spanId,
          status: 'error',
          attributes: { webhook_id: 'wh_1', attempt: wave + 1 },
        });
        spans.push(a);
      }
      start += duration + 150;
    }
    const [f] = detectRetries(buildTrace(spans));
    assert.deepEqual(f.waves, [1, 5, 25, 125]);
    assert.deepEqual(f.gaps, [150, 150, 150]);
    assert.equal(f.backoff, false, 'the waves start 155, 250 and 550 ms apart, yet nothing waits longer');
  });

  it('a loop hammering one key back to back (no attempt attribute): one attempt after another, no backoff, no cap', () => {
    const root = span({ name: 'job', start: 0, end: 100 });
    const spans = [root];
    for (let i = 0; i < 8; i++) {
      const [a, c] = attempt(root, 'job-9', i + 1, i * 10, 429);
      delete a.attributes.attempt;
      spans.push(a, c);
    }
    const [f] = detectRetries(buildTrace(spans));
    assert.deepEqual(f.waves, [1, 1, 1, 1, 1, 1, 1, 1]);
    assert.equal(f.growth, 'steady');
    assert.equal(f.backoff, false);
    assert.equal(f.capped, false);
  });

  it('three capped attempts with exponential backoff are retries, not a storm; polling with successes is not a retry', () => {
    const root = span({ name: 'job', start: 0, end: 10_000 });
    const spans = [
      root,
      ...attempt(root, 'wh_2', 1, 0, 503),
      ...attempt(root, 'wh_2', 2, 1000, 503),
      ...attempt(root, 'wh_2', 3, 3000, 200),
    ];
    for (let i = 0; i < 6; i++)
      spans.push(
        span({
          name: 'GET /jobs/7',
          op: 'http.client',
          start: 4000 + i * 100,
          end: 4000 + i * 100 + 5,
          parentSpanId: root.spanId,
          attributes: { job_id: 'job_7', 'http.response.status_code': 200 },
        }),
      );
    const found = detectRetries(buildTrace(spans));
    assert.equal(found.length, 1);
    assert.equal(found[0].storm, false);
    assert.equal(found[0].capped, undefined);
  });

  it('aggregates a repeated step into one row with its share and size attribute, and skips the root', () => {
    const root = span({ name: 'workflow wf_7', op: 'workflow.run', start: 0, end: 52_000 });
    const spans = [root];
    for (let i = 0; i < 20; i++) {
      const step = span({ name: `step s${i}`, op: 'workflow.step', start: i * 2500, end: i * 2500 + 2500, parentSpanId: root.spanId });
      spans.push(
        step,
        span({
          name: 'JSON.parse',
          op: 'workflow.load_state',
          start: i * 2500,
          end: i * 2500 + 2400,
          parentSpanId: step.spanId,
          attributes: { state_size_bytes: 50 * 1024 * 1024, 'code.function': 'loadState' },
        }),
      );
    }
    const trace = buildTrace(spans);
    const all = aggregateSpans(trace);
    assert.equal(all[0].name, 'JSON.parse', 'ranked by self time: the parse did the work');
    assert.equal(all.find((g) => g.name === 'workflow ?')?.share, 1, 'the root covers the whole trace and did almost nothing itself');
    const parse = aggregateSpans(trace).find((g) => g.name === 'JSON.parse')!;
    assert.equal(parse.count, 20);
    assert.equal(
      describeGroup(parse, trace.duration),
      'JSON.parse (workflow.load_state) ×20 — 48.0 s of 52.0 s (92%), 2.40 s each, state_size_bytes up to 50.0 MB',
    );
    const analysis = analyzeTrace(trace);
    assert.equal(analysis.groups[0].name, 'JSON.parse', 'the analysis groups what runs under the root');
    const repeated = analysis.findings.filter((f) => f.finding.kind === 'repeated-span').map((f) => f.summary);
    assert.ok(
      repeated.some((s) => s.startsWith('JSON.parse')),
      repeated.join('\n'),
    );
    assert.ok(!repeated.some((s) => s.startsWith('workflow')));
    const parseView = analysis.findings.find((f) => f.summary.startsWith('JSON.parse'))!;
    assert.equal(parseView.code.function, 'loadState');
    assert.equal(parseView.line?.pattern.source, measuredLine('JSON.parse')!.source);
  });

  it('N+1: twelve similar queries under one parent; the Python SDK’s varied queries are not one', () => {
    const root = span({ name: 'GET /orders', op: 'http.server', start: 0, end: 500 });
    const spans = [root];
    for (let i = 0; i < 12; i++)
      spans.push(
        span({
          name: `SELECT * FROM products WHERE supplier_sku = '${i}'`,
          op: 'db',
          start: i * 30,
          end: i * 30 + 25,
          parentSpanId: root.spanId,
          attributes: { 'db.system': 'postgresql' },
        }),
      );
    for (let i = 0; i < 9; i++)
      spans.push(span({ name: `SELECT * FROM users WHERE id = ${i}`, op: 'db', start: 400 + i, end: 401 + i, parentSpanId: root.spanId }));
    const found = detectNPlusOne(buildTrace(spans));
    assert.equal(found.length, 1, 'nine lookups stay under the threshold of ten');
    assert.equal(found[0].count, 12);
    assert.equal(found[0].statement, "SELECT * FROM products WHERE supplier_sku = '?'");
  });

  it('slow downstreams: a host taking most of the trace, and one that times out', () => {
    const root = span({ name: 'checkout', start: 0, end: 1000 });
    const slow = span({
      name: 'POST https://payments.example.com/charge',
      op: 'http.client',
      start: 50,
      end: 900,
      parentSpanId: root.spanId,
      attributes: { 'url.full': 'https://payments.example.com/charge' },
    });
    const timeout = span({
      name: 'GET',
      op: 'http.client',
      start: 10,
      end: 40,
      parentSpanId: root.spanId,
      status: 'deadline_exceeded',
      attributes: { 'server.address': 'tax.example.com' },
    });
    const quick = span({
      name: 'GET',
      op: 'http.client',
      start: 905,
      end: 910,
      parentSpanId: root.spanId,
      attributes: { 'server.address': 'cdn.example.com' },
    });
    const found = detectSlowDownstreams(buildTrace([root, slow, timeout, quick]));
    assert.deepEqual(
      found.map((f) => [f.host, f.timeouts]),
      [
        ['payments.example.com', 0],
        ['tax.example.com', 1],
      ],
    );
  });

  it('span → code: code.* attributes old and new, and a function found in the workspace with the line it measures', async () => {
    assert.deepEqual(codeHint({ 'code.filepath': 'src/a.js', 'code.lineno': 12, 'code.function': 'run', 'sentry.origin': 'manual' }), {
      file: 'src/a.js',
      line: 12,
      function: 'run',
      origin: 'manual',
    });
    assert.deepEqual(codeHint({ 'code.file.path': 'src/b.ts', 'code.line.number': '7', 'code.function.name': 'com.x.serve' }), {
      file: 'src/b.ts',
      line: 7,
      function: 'com.x.serve',
      origin: undefined,
    });
    assert.equal(codeHint({}, 'JSON.parse').function, undefined, 'a built-in is not a workspace function');
    const dir = makeTempDir('forensics-spancode-');
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'x', 'index.js'), 'function loadState() { return JSON.parse(a) }\n');
    writeFileSync(
      join(dir, 'src', 'state.js'),
      [
        '// state',
        'const loadState = (store) => {',
        '  const json = store.get();',
        '  return JSON.parse(json);',
        '};',
        '',
        'function deliver(h) {}',
        'function retry(h) {',
        '  setTimeout(() => deliver(h), 10);',
        '}',
        '',
      ].join('\n'),
    );
    const parse = await locateFunction('loadState', [{ path: dir }], measuredLine('JSON.parse'));
    assert.equal(parse?.file, join(dir, 'src', 'state.js'));
    assert.equal(parse?.line, 4);
    const sched = await locateFunction('deliver', [{ path: dir }], schedulingLine('deliver'), 'file');
    assert.equal(sched?.line, 9);
    assert.equal(await locateFunction('nowhere', [{ path: dir }]), undefined);
  });
});
