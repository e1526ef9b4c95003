// Incidents with no exception, investigated from traces and logs: the real @sentry/node
// SDK (spans streamed as span v2 items, or sent as transactions, and Sentry Logs) sends to
// the local Sentry-compatible server; `forensics triage` then reads the trace and the
// logs back over Sentry's web API (or from the files) and must name the cause with its
// numbers, the line, the commit and the hotfix.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/framework';
import { commands } from '../../src/cli/commands';
import { buildScenarioRepo, runTrigger, scratchDir, withSentry, type ScenarioRepo } from './harness';
import type { SentryServer } from '../support/sentry-server';

interface TriageJson {
  bugClass: { id: string; confidence: string; evidence: string[] } | null;
  failurePoint: { file: string; line: number } | null;
  commits: { sha: string; suspect: boolean }[];
  remediation: { immediate?: string[]; longTerm: string[] };
  steps: { id: string; status: string; summary: string; details: string[] }[];
  gaps: { source: string; reason: string }[];
  report: string;
}

async function forensics(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(commands, args, { stdout, stderr, stdin: new PassThrough(), env: { ...env }, cwd: process.cwd() }, 'test');
  return { code, stdout: out, stderr: err };
}

async function triage(args: string[], server?: SentryServer): Promise<TriageJson> {
  const connection = server ? ['--base-url', server.url, '--org', server.org] : [];
  const r = await forensics(['triage', ...args, ...connection, '--json'], server ? { SENTRY_AUTH_TOKEN: server.token } : {});
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as TriageJson;
}

function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `${needle} not in ${file}`);
  return index + 1;
}

function segmentTrace(server: SentryServer, name: string): string {
  for (const [traceId, spans] of server.telemetry.spans) for (const s of spans.values()) if (s.isSegment && (s.description === name || s.segmentName === name) && !s.parentSpanId) return traceId;
  throw new Error(`no trace with a root named ${name}; traces: ${[...server.telemetry.spans.keys()].join(', ')}`);
}

describe('scenarios: incidents without an exception, from traces and logs', function () {
  this.timeout(180_000);
  const repos: ScenarioRepo[] = [];
  after(() => repos.forEach((r) => r.repo.remove()));

  it('a webhook retry storm: each failed delivery schedules five retries, 1 → 5 → 25, no backoff, no cap', async () => {
    const s = buildScenarioRepo('webhook-fanout', { message: 'Retry failed webhooks on every registered endpoint', author: 'Sam Ortiz', daysAgo: 1 });
    repos.push(s);
    await withSentry(async (server) => {
      await runTrigger('webhook-fanout', s.dir, server);
      const traceId = segmentTrace(server, 'dispatch pending webhooks');
      await server.waitFor(() => (server.telemetry.spans.get(traceId)?.size ?? 0) > 600 && server.telemetry.logs.length >= 62, 'the storm’s spans and logs');
      assert.equal(server.store.events.length, 0, 'the storm raised no exception: it is seen in traces and logs only');
      const out = await triage(['--trace', traceId, '--workspace', s.dir], server);
      assert.deepEqual(out.gaps, []);
      assert.equal(out.bugClass?.id, 'retry-storm', JSON.stringify(out.bugClass));
      assert.equal(out.bugClass?.confidence, 'high');
      const evidence = out.bugClass!.evidence.join('\n');
      assert.match(evidence, /retried per webhook_id: wh_100[12] attempted 156 times/);
      assert.match(evidence, /attempts per wave 1 → 5 → 25 → 125/);
      assert.match(evidence, /geometric growth \(×5\.0 per wave\)/);
      assert.match(evidence, /no backoff/);
      assert.match(evidence, /no cap/);
      // The logs of that trace, from Sentry Logs: the same two keys failing 31 times each.
      assert.match(evidence, /logs: "webhook <id> delivery failed: <n> \(attempt <n>\)" ×62 for 2 id\(s\): wh_100[12] ×31, wh_100[12] ×31/);
      // The code that schedules the retries, and the change that made it fan out.
      assert.equal(out.failurePoint?.file, 'src/webhooks.js');
      assert.equal(out.failurePoint?.line, lineOf(join(s.dir, 'src/webhooks.js'), 'setTimeout(() => deliver(hook, url, attempt + 1)'));
      assert.equal(out.commits.find((c) => c.suspect)?.sha, s.breaking);
      const hotfix = (out.remediation.immediate ?? []).join('\n');
      assert.match(hotfix, /Cap the attempts per webhook_id/);
      assert.match(hotfix, /one retry per failure, not 5/);
      assert.match(hotfix, /exponential(ly)? .*jitter/);
      assert.match(hotfix, /circuit breaker/);
      assert.equal(out.steps.find((x) => x.id === 'hotfix')?.status, 'found');
      assert.match(out.report, /## Traces and logs/);
    });
  });

  it('a slow workflow: JSON.parse of a 20 MB state on each of 20 steps, finishing with no exception', async () => {
    const s = buildScenarioRepo('slow-workflow', { message: 'Load the workflow state at every step so any worker can resume', author: 'Ivo Novak', daysAgo: 2 });
    repos.push(s);
    await withSentry(async (server) => {
      await runTrigger('slow-workflow', s.dir, server);
      await server.waitFor(() => server.telemetry.transactions.size >= 1, 'the workflow transaction');
      assert.equal(server.store.events.length, 0, 'the workflow finished without an exception');
      const traceId = segmentTrace(server, 'workflow wf_7');
      const parseLine = lineOf(join(s.dir, 'src/workflow.js'), 'JSON.parse(json)');
      const check = (out: TriageJson) => {
        assert.equal(out.bugClass?.id, 'oversized-payload', JSON.stringify(out.bugClass));
        assert.equal(out.bugClass?.confidence, 'high');
        const evidence = out.bugClass!.evidence.join('\n');
        const m = /JSON\.parse \(workflow\.load_state\) ×20 — ([\d.]+) s of ([\d.]+) s \((\d+)%\)/.exec(evidence);
        assert.ok(m, evidence);
        assert.ok(Number(m[3]) >= 50, `parsing should dominate the trace: ${m[0]}`);
        assert.match(evidence, /state_size_bytes is 2\d\.\d MB/);
        assert.equal(out.failurePoint?.file, 'src/workflow.js');
        assert.equal(out.failurePoint?.line, parseLine);
        assert.equal(out.commits.find((c) => c.suspect)?.sha, s.breaking);
        const hotfix = (out.remediation.immediate ?? []).join('\n');
        assert.match(hotfix, /Parse the state once and pass the object/);
        assert.match(hotfix, /store it elsewhere|stream it/);
        assert.match(hotfix, /size limit on the state \(today state_size_bytes reaches 2\d\.\d MB\)/);
      };
      // From Sentry's trace endpoint…
      check(await triage(['--trace', traceId, '--workspace', s.dir], server));
      // …and from the transaction event as the SDK sent it, saved to a file.
      const saved = join(scratchDir(), 'transaction.json');
      writeFileSync(saved, JSON.stringify([...server.telemetry.transactions.values()][0].event));
      check(await triage(['--trace-file', saved, '--workspace', s.dir]));
    });
  });

  it('the EventEmitter leak from its pino logs alone: the real MaxListenersExceededWarning and its stack', async () => {
    const s = buildScenarioRepo('emitter-leak', { message: 'Simplify price subscriptions', author: 'Robin Park', daysAgo: 3 });
    repos.push(s);
    const logFile = join(scratchDir(), 'prices.log');
    await withSentry(async (server) => runTrigger('emitter-leak', s.dir, server, { LOG_FILE: logFile }));
    const text = readFileSync(logFile, 'utf8');
    assert.match(text, /"level":40.*Possible EventEmitter memory leak detected/);
    const out = await triage(['--logs', logFile, '--workspace', s.dir]);
    assert.equal(out.bugClass?.id, 'resource-leak', JSON.stringify(out.bugClass));
    assert.notEqual(out.bugClass?.confidence, 'low');
    assert.equal(out.failurePoint?.file, 'src/prices.js');
    assert.equal(out.failurePoint?.line, lineOf(join(s.dir, 'src/prices.js'), "prices.on('price'"));
    assert.equal(out.commits.find((c) => c.suspect)?.sha, s.breaking);
    assert.match(out.report, /MaxListenersExceededWarning ×1/);
    // The summary of the same file: the warning surfaced, the connects grouped with their keys.
    const logs = await forensics(['logs', '--file', logFile]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /Warnings:\n {2}MaxListenersExceededWarning ×1: Possible EventEmitter memory leak detected\. 11 price listeners/);
    assert.match(logs.stdout, /×25 +info +client <id> connected\n +25 distinct/);
  });
});
