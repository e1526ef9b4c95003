// Traces and logs at size: parse and aggregate a 100,000-span OTLP/JSON file (one export
// request, as an SDK or the collector writes it), and scan a 1 GB JSON-lines log for one
// trace id beside `grep -c` on the same file, each run three times in turns with the best kept
// (so both see a warm page cache). Peak memory is sampled while each runs.
// BENCH_SPANS and BENCH_LOG_MB change the sizes (e.g. BENCH_LOG_MB=64 for a quick run).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { analyzeTrace } from '../src/core/traces/analyze';
import { readTraceFile } from '../src/core/traces/readFile';
import { scanLogFile } from '../src/core/logs/read';
import { LogSummarizer } from '../src/core/logs/summary';
import { ms, seededRandom, timeOnce, type BenchReport } from './lib/types';

const SPANS = Number(process.env.BENCH_SPANS ?? 100_000);
const LOG_MB = Number(process.env.BENCH_LOG_MB ?? 1024);
const TARGET = '4bf92f3577b34da6a3ce929d0e0e4736';
const MB = 1024 * 1024;
const ROUNDS = 3;

async function write(path: string, produce: (push: (s: string) => boolean) => Promise<void> | void): Promise<void> {
  const out = createWriteStream(path);
  await produce((s) => out.write(s));
  out.end();
  await once(out, 'finish');
}

const hex = (rnd: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');

async function otlpFile(path: string, count: number): Promise<void> {
  const rnd = seededRandom(7);
  const traceId = hex(rnd, 32);
  const t0 = 1_767_225_600_000;
  await write(path, async (push) => {
    push(
      `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},"scopeSpans":[{"scope":{"name":"bench"},"spans":[`,
    );
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = hex(rnd, 16);
      ids.push(id);
      // A root, 200 requests under it, and under each request db queries and JSON work.
      const parent = i === 0 ? '' : i <= 200 ? ids[0] : ids[1 + Math.floor(rnd() * Math.min(200, i - 1))];
      const start = t0 + i;
      const kind =
        i % 3 === 0
          ? { name: 'SELECT * FROM orders WHERE id = $1', attrs: `{"key":"db.system","value":{"stringValue":"postgresql"}}` }
          : i % 3 === 1
            ? { name: 'JSON.parse', attrs: `{"key":"state_size_bytes","value":{"intValue":"${1000 + i}"}}` }
            : { name: `GET /orders/${i}`, attrs: `{"key":"http.request.method","value":{"stringValue":"GET"}}` };
      const span = `{"traceId":"${traceId}","spanId":"${id}","parentSpanId":"${parent}","name":"${i === 0 ? 'batch' : kind.name}","kind":${i === 0 ? 2 : 3},"startTimeUnixNano":"${start}000000","endTimeUnixNano":"${start + 5 + Math.floor(rnd() * 20)}000000","attributes":[${kind.attrs}]}`;
      if (!push(i ? `,${span}` : span)) await new Promise((r) => setImmediate(r));
    }
    push(']}]}]}');
  });
}

async function logFile(path: string, mb: number): Promise<number> {
  const rnd = seededRandom(11);
  let bytes = 0;
  let targets = 0;
  await write(path, async (push) => {
    const t0 = 1_767_225_600_000;
    for (let i = 0; bytes < mb * MB; i++) {
      const trace = i % 1000 === 0 ? TARGET : hex(rnd, 32);
      if (trace === TARGET) targets++;
      const line = `{"level":${i % 50 === 0 ? 50 : 30},"time":${t0 + i},"pid":4242,"hostname":"api-1","trace_id":"${trace}","req_id":"req-${i}","msg":"request completed in ${i % 900} ms for order ord_${i % 5000}"}\n`;
      bytes += line.length;
      if (!push(line)) await new Promise((r) => setImmediate(r));
    }
  });
  return targets;
}

/** Peak RSS above the start while `fn` runs, sampled every 5 ms. */
async function withPeak<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const r = await timeOnce(fn);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { ...r, peakMb: (peak - base) / MB };
  } finally {
    clearInterval(timer);
  }
}

function grepCount(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('grep', ['-c', TARGET, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(Number(out.trim())));
  });
}

export async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'forensics-bench-traces-'));
  try {
    const otlp = join(dir, 'trace.json');
    await otlpFile(otlp, SPANS);
    const parsed = await withPeak(async () => analyzeTrace((await readTraceFile(otlp)).trace));
    const log = join(dir, 'app.log');
    const targets = await logFile(log, LOG_MB);
    const size = statSync(log).size;
    const ours: { ms: number; peakMb: number; matched: number }[] = [];
    const grep: { ms: number; matched: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const g = await timeOnce(() => grepCount(log));
      grep.push({ ms: g.ms, matched: g.value });
      const o = await withPeak(async () => {
        const s = new LogSummarizer();
        const stats = await scanLogFile(log, { traceId: TARGET }, (r) => s.add(r));
        return stats.matched;
      });
      ours.push({ ms: o.ms, peakMb: o.peakMb, matched: o.value });
    }
    const bestOurs = ours.reduce((a, b) => (b.ms < a.ms ? b : a));
    const bestGrep = grep.reduce((a, b) => (b.ms < a.ms ? b : a));
    if (bestOurs.matched !== targets || bestGrep.matched !== targets)
      throw new Error(`matched ${bestOurs.matched} (grep ${bestGrep.matched}), expected ${targets}`);
    const ratio = bestOurs.ms / bestGrep.ms;
    return {
      name: 'tracesLogs',
      setup: `${SPANS.toLocaleString('en-US')}-span OTLP/JSON file (${(statSync(otlp).size / MB).toFixed(0)} MB); ${(size / MB).toFixed(0)} MB JSON-lines log with ${targets.toLocaleString('en-US')} lines of one trace id`,
      tables: [
        {
          title: 'Parse and aggregate the OTLP file',
          rows: [
            {
              spans: parsed.value.spanCount,
              findings: parsed.value.findings.length,
              time: ms(parsed.ms),
              'peak RSS above start': `${parsed.peakMb.toFixed(0)} MB`,
            },
          ],
        },
        {
          title: `Scan the log for one trace id (best of ${ROUNDS} each, in turns)`,
          rows: [
            {
              tool: 'forensics logs (scanLogFile + summary)',
              time: ms(bestOurs.ms),
              'MB/s': (size / MB / (bestOurs.ms / 1000)).toFixed(0),
              matched: bestOurs.matched,
              'peak RSS above start': `${bestOurs.peakMb.toFixed(0)} MB`,
            },
            {
              tool: 'grep -c',
              time: ms(bestGrep.ms),
              'MB/s': (size / MB / (bestGrep.ms / 1000)).toFixed(0),
              matched: bestGrep.matched,
              'peak RSS above start': '(own process)',
            },
          ],
        },
      ],
      summary: [
        `${SPANS.toLocaleString('en-US')} spans parsed and analysed in ${ms(parsed.ms)}, peak +${parsed.peakMb.toFixed(0)} MB`,
        `log scan ${ratio.toFixed(2)}× the time of grep -c on the same ${(size / MB).toFixed(0)} MB file (${ratio <= 2 ? 'within' : 'NOT within'} 2×), peak +${bestOurs.peakMb.toFixed(0)} MB`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
