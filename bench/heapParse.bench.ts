// Parse time and peak memory of a real heap snapshot (~80 MB, from a leaking Node
// process captured through its inspector): the streaming typed-array parser, the full
// analysis (graph, dominators, retainers) and JSON.parse of the same file, side by side.
// Each measurement runs in its own Node process so peak RSS (maxRSS) is its own.
//   npx tsx bench/heapParse.bench.ts [--mb 80] [--keep]
// bench/run.mjs (npm run bench) calls `run()`; the report shape is bench/lib/types.ts's
// BenchReport, restated here so this file stands alone.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeapCapturer } from '../src/core/heap/capture';
import { SnapshotAnalysis } from '../src/core/heap/analysis';
import { parseSnapshotFile } from '../src/core/heap/parser/index';

type Method = 'stream' | 'analyse' | 'json';

export interface BenchRow {
  method: string;
  ms: number;
  peakRssMb: number;
  ok: boolean;
  error?: string;
}

export interface HeapParseBenchResult {
  file: string;
  fileMb: number;
  nodes: number;
  rows: BenchRow[];
  /** JSON.parse time divided by the streaming parse time. */
  ratio: number;
}

const fixture = join(__dirname, '..', 'test', 'unit', 'heap', 'fixtures', 'orders-app.js');

/** A leaking process serves requests until its snapshot is about `mb` MB, then one snapshot is captured. */
async function captureSnapshot(dir: string, mb: number): Promise<string> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', fixture], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /Debugger listening on ws:\/\/([^/]+)\//.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${err}`)));
    });
    // About 0.8 kB of snapshot per leaked request, over a ~4 MB base (measured).
    const requests = Math.max(0, Math.round(((mb - 4) * 1024 * 1024) / 800));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ok') && resolve());
      child.stdin.write(`serve ${requests}\n`);
    });
    const capturer = await HeapCapturer.open(address);
    try {
      return (await capturer.take(join(dir, `bench-${mb}mb.heapsnapshot`))).file;
    } finally {
      await capturer.close();
    }
  } finally {
    child.kill('SIGKILL');
  }
}

/** Runs in the measuring child: one method on one file, prints a JSON row. */
async function measure(method: Method, file: string): Promise<void> {
  const start = performance.now();
  let nodes: number;
  if (method === 'json') {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { node_count: number } };
    nodes = json.snapshot.node_count;
  } else {
    const raw = await parseSnapshotFile(file);
    nodes = raw.nodeCount;
    if (method === 'analyse') nodes = new SnapshotAnalysis(raw).graph.nodeCount;
  }
  const ms = performance.now() - start;
  process.stdout.write(JSON.stringify({ ms, nodes, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function runMeasure(method: Method, file: string): BenchRow & { nodes?: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--measure', method, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const label = {
    stream: 'streaming parser (typed arrays)',
    analyse: 'streaming parser + dominators + retainers',
    json: 'JSON.parse(readFileSync)',
  }[method];
  try {
    const r = JSON.parse(child.stdout) as { ms: number; nodes: number; peakRssMb: number };
    return { method: label, ms: r.ms, peakRssMb: r.peakRssMb, ok: true, nodes: r.nodes };
  } catch {
    return {
      method: label,
      ms: NaN,
      peakRssMb: NaN,
      ok: false,
      error: (child.stderr || `exit ${child.status}`).split('\n').find((l) => /Error/.test(l)) ?? 'failed',
    };
  }
}

export async function heapParseBench(
  options: { mb?: number; keep?: boolean; log?: (line: string) => void } = {},
): Promise<HeapParseBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'forensics-bench-heap-'));
  try {
    const file = await captureSnapshot(dir, options.mb ?? 80);
    const fileMb = statSync(file).size / 1024 / 1024;
    const rows = (['stream', 'analyse', 'json'] as const).map((m) => runMeasure(m, file));
    const stream = rows[0]!;
    const json = rows[2]!;
    const result = { file, fileMb, nodes: rows[0]!.nodes ?? 0, rows, ratio: json.ms / stream.ms };
    log(`heap snapshot parse: ${fileMb.toFixed(1)} MB, ${result.nodes} nodes (${file})`);
    log(`${'method'.padEnd(44)} ${'time'.padStart(9)} ${'peak RSS'.padStart(10)}`);
    for (const r of rows)
      log(
        `${r.method.padEnd(44)} ${r.ok ? `${(r.ms / 1000).toFixed(2)} s`.padStart(9) : 'failed'.padStart(9)} ${r.ok ? `${r.peakRssMb.toFixed(0)} MB`.padStart(10) : r.error}`,
      );
    log(
      json.ok
        ? `JSON.parse / streaming parse: ${result.ratio.toFixed(2)}x`
        : `JSON.parse failed (${json.error}); the streaming parser did not`,
    );
    return result;
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

interface BenchReport {
  readonly name: string;
  readonly setup: string;
  readonly tables: readonly { readonly title: string; readonly rows: readonly Record<string, string | number>[] }[];
  readonly summary: readonly string[];
}

export async function run(): Promise<BenchReport> {
  const r = await heapParseBench({ mb: Number(process.env.BENCH_HEAP_MB ?? 80), log: () => undefined });
  const stream = r.rows[0]!;
  return {
    name: 'heapParse',
    setup: `one ${r.fileMb.toFixed(1)} MB snapshot (${r.nodes} nodes) of a leaking Node process, captured through the inspector; each method in its own process`,
    tables: [
      {
        title: 'Parse a heap snapshot',
        rows: r.rows.map((row) => ({
          method: row.method,
          time: row.ok ? `${(row.ms / 1000).toFixed(2)} s` : 'failed',
          'peak RSS': row.ok ? `${row.peakRssMb.toFixed(0)} MB` : (row.error ?? ''),
        })),
      },
    ],
    summary: [
      r.rows[2]!.ok
        ? `streaming parse ${(stream.ms / 1000).toFixed(2)} s vs JSON.parse ${(r.rows[2]!.ms / 1000).toFixed(2)} s: JSON.parse / streaming = ${r.ratio.toFixed(2)}x`
        : `streaming parse ${(stream.ms / 1000).toFixed(2)} s; JSON.parse failed: ${r.rows[2]!.error}`,
    ],
  };
}

const argv = process.argv.slice(2);
if (require.main === module) {
  if (argv[0] === '--measure') void measure(argv[1] as Method, argv[2]!);
  else {
    const mbAt = argv.indexOf('--mb');
    void heapParseBench({ mb: mbAt >= 0 ? Number(argv[mbAt + 1]) : undefined, keep: argv.includes('--keep') });
  }
}
