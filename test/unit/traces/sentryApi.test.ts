// The Sentry side of traces and logs: the local server fed with envelopes real SDKs sent
// (Spotlight's captures), read back through the client functions and the CLI.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SentryClient } from '../../../src/core/sentry/client';
import { getTraceTree, queryEvents, queryLogs } from '../../../src/core/sentry/traces';
import { runCli } from '../../../src/cli/framework';
import { commands } from '../../../src/cli/commands';
import { parseEnvelope } from '../../support/sentry-server/envelope';
import { startSentryServer, type SentryServer } from '../../support/sentry-server';
import { makeTempDir } from '../harness/git';
import { referencePath } from '../../support/reference';

const REF = referencePath();

function ingestEnvelope(server: SentryServer, file: string): void {
  const env = parseEnvelope(readFileSync(join(REF, file)));
  for (const item of env.items) server.telemetry.ingestItem('1', item.header.type, JSON.parse(item.payload.toString('utf8')));
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(commands, args, { stdout, stderr, stdin: new PassThrough(), env, cwd: process.cwd() }, 'test');
  return { code, out, err };
}

describe('traces and logs over Sentry’s web API (local server)', () => {
  let server: SentryServer;
  let client: SentryClient;
  let pythonTrace: string;
  before(async () => {
    server = await startSentryServer({ projects: [{ id: '1', slug: 'backend' }] });
    client = new SentryClient({ baseUrl: server.url, org: server.org, token: server.token, backoffBaseMs: 5 });
    ingestEnvelope(server, 'sentry/traces-logs/spotlight__envelope_python.txt');
    ingestEnvelope(server, 'sentry/traces-logs/spotlight__log_envelope.txt');
    pythonTrace = [...server.telemetry.spans.keys()][0];
    // 150 more logs in the SDK's log item shape, for pagination.
    const items = Array.from({ length: 150 }, (_, i) => ({
      timestamp: 1_700_000_000 + i,
      level: 'warn',
      body: `webhook wh_${i % 3} delivery failed`,
      trace_id: pythonTrace,
      severity_number: 13,
      attributes: { webhook_id: { value: `wh_${i % 3}`, type: 'string' } },
    }));
    server.telemetry.ingestItem('1', 'log', { items });
  });
  after(() => server.stop());

  it('serves the trace endpoint in the documented node shape, with asked-for attributes', async () => {
    const nodes = (await getTraceTree(client, pythonTrace, { attributes: ['db.system'] })) as Record<string, unknown>[];
    const keys = Object.keys(
      JSON.parse(readFileSync(join(REF, 'sentry/traces-logs/openapi-org-trace.example.json'), 'utf8'))[0] as object,
    ).filter((k) => !['browser_web_vital', 'mobile_app_vital'].includes(k));
    for (const k of keys) assert.ok(k in nodes[0], `node lacks ${k}`);
    assert.equal(nodes.length, 1);
    const all: Record<string, unknown>[] = [];
    const walk = (n: Record<string, unknown>) => (all.push(n), (n.children as Record<string, unknown>[]).forEach(walk));
    nodes.forEach(walk);
    const db = all.filter((n) => n.op === 'db');
    assert.ok(db.length >= 20, `${db.length} db nodes of ${all.length}`);
    assert.deepEqual(db[0].additional_attributes, { 'db.system': 'postgresql' });
    assert.ok(
      all.every((n) => !n.additional_attributes || Object.keys(n.additional_attributes as object).join() === 'db.system'),
      'only the attributes asked for',
    );
  });

  it('an unknown trace id is a clear not-found; a malformed one is refused before any request', async () => {
    await assert.rejects(getTraceTree(client, 'f'.repeat(32)), /Trace f{32} was not found in organization "acme"/);
    const before = server.requests.length;
    await assert.rejects(getTraceTree(client, 'nothex'), /is not a trace id/);
    assert.equal(server.requests.length, before);
  });

  it('follows Link cursors over the logs dataset, and waits out a 429', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: 0, path: '/events/' });
    const page = await queryLogs(client, { query: `trace:${pythonTrace}` });
    assert.equal(page.rows.length, 150);
    assert.equal(page.pages, 2);
    assert.ok(server.requests.some((r) => r.status === 429 && r.path.endsWith('/events/')));
    assert.deepEqual(Object.keys(page.rows[0]), ['sentry.item_id', 'trace', 'severity', 'severity_number', 'timestamp', 'message']);
    const spans = await queryEvents(client, {
      dataset: 'spans',
      fields: ['id', 'span.op', 'span.description', 'span.duration', 'trace'],
      query: 'span.op:db',
      sort: '-span.duration',
      limit: 5,
    });
    assert.equal(spans.rows.length, 5);
    assert.equal(spans.truncated, true);
    assert.ok(spans.rows.every((r) => r['span.op'] === 'db'));
    await assert.rejects(
      queryEvents(client, { dataset: 'spans', fields: ['id'], sort: '-span.duration' }),
      /Cannot sort by a field that is not selected/,
    );
  });

  it('an incident leads to its trace and the logs of that trace through contexts.trace.trace_id; one without a trace is left alone', async () => {
    const env = { SENTRY_AUTH_TOKEN: server.token };
    const dir = makeTempDir('forensics-follow-');
    const event = (id: string, trace?: string) => ({
      event_id: id,
      timestamp: Date.now() / 1000,
      level: 'error',
      exception: {
        values: [
          {
            type: 'Error',
            value: `boom ${id.slice(0, 4)}`,
            stacktrace: { frames: [{ filename: `/srv/${id.slice(0, 4)}.js`, function: `f${id.slice(0, 4)}`, lineno: 1, in_app: true }] },
          },
        ],
      },
      ...(trace ? { contexts: { trace: { trace_id: trace, span_id: '0123456789abcdef' } } } : {}),
    });
    const withTrace = server.store.ingest('1', event('a'.repeat(32), pythonTrace));
    const followed = await cli(
      ['triage', '--issue', withTrace.groupId, '--base-url', server.url, '--org', server.org, '--workspace', dir, '--json'],
      env,
    );
    assert.equal(followed.code, 0, followed.err);
    const out = JSON.parse(followed.out) as { report: string; gaps: { source: string }[] };
    assert.ok(out.report.includes(`Trace \`${pythonTrace}\` (Sentry trace ${pythonTrace})`), out.report);
    assert.match(out.report, /Logs \(Sentry Logs "trace:[0-9a-f]{32}"\): 150 record/);
    assert.ok(!out.gaps.some((g) => g.source === 'trace' || g.source === 'logs'));
    const alone = server.store.ingest('1', event('b'.repeat(32)));
    const plain = await cli(
      ['triage', '--issue', alone.groupId, '--base-url', server.url, '--org', server.org, '--workspace', dir, '--json'],
      env,
    );
    assert.equal(plain.code, 0, plain.err);
    const p = JSON.parse(plain.out) as { report: string; gaps: { source: string }[] };
    assert.ok(!/## Traces and logs/.test(p.report));
    assert.ok(!p.gaps.some((g) => g.source === 'trace' || g.source === 'logs'));
  });

  it('forensics trace show and forensics logs, from Sentry and from files; errors are one line', async () => {
    const env = { SENTRY_AUTH_TOKEN: server.token };
    const shown = await cli(['trace', 'show', pythonTrace, '--base-url', server.url, '--org', server.org], env);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, new RegExp(`^trace ${pythonTrace} — `));
    assert.match(shown.out, /Spans by operation/);
    const missing = await cli(['trace', 'show', 'e'.repeat(32), '--base-url', server.url, '--org', server.org], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Trace e{32} was not found/);
    assert.equal((await cli(['trace', 'show', 'xyz', '--base-url', server.url, '--org', server.org], env)).code, 2);
    const file = await cli(['trace', 'show', '--file', join(REF, 'otel/opentelemetry-proto__examples__trace.json'), '--json']);
    assert.equal(file.code, 0, file.err);
    assert.equal((JSON.parse(file.out) as { analysis: { spanCount: number } }).analysis.spanCount, 1);
    const logs = await cli(['logs', '--base-url', server.url, '--org', server.org, '--trace', pythonTrace], env);
    assert.equal(logs.code, 0, logs.err);
    assert.match(logs.out, /×150 +warn +webhook <id> delivery failed\n +3 distinct <id>: wh_0 ×50, wh_1 ×50, wh_2 ×50/);
    const dir = makeTempDir('forensics-tracecli-');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"not":"a trace"}');
    const notOtlp = await cli(['triage', '--trace-file', bad, '--workspace', dir]);
    assert.equal(notOtlp.code, 1);
    assert.match(notOtlp.err, /not a trace: expected OTLP\/JSON/);
    const secret = join(dir, 'app.log');
    writeFileSync(secret, '2026-01-01T10:00:00Z ERROR connect postgres://svc:s3cr3t@db/app failed\n');
    const redacted = await cli(['logs', '--file', secret, '--json']);
    assert.ok(!redacted.out.includes('s3cr3t'), redacted.out);
  });
});
