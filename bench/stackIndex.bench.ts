// Frame path → workspace file in a generated 100,000-file monorepo: the workspace index
// (files bucketed by name) against the obvious alternative, a linear scan of every path
// for the longest common suffix, measured side by side on the same queries.
// BENCH_FILES changes the size; BENCH_DISK=0 skips the on-disk scan.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceIndex, pathSegments, scanFiles } from '../src/core/stack/workspaceIndex';
import { ms, seededRandom, timeEach, timeOnce, us, type BenchReport } from './lib/types';

const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const QUERIES = 2_000;
const DIRS = ['src', 'lib', 'components', 'services', 'utils', 'hooks', 'models', 'routes', 'handlers', 'db', 'api', 'test'];
// Common names repeat across packages as they do in real monorepos (index.ts everywhere).
const COMMON = ['index.ts', 'utils.ts', 'types.ts', 'constants.ts', 'client.ts', 'handler.ts', 'config.ts'];

function generatePaths(count: number): string[] {
  const rnd = seededRandom(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const paths = new Set<string>();
  while (paths.size < count) {
    const pkg = `packages/pkg-${Math.floor(rnd() * 400)}`;
    const depth = 1 + Math.floor(rnd() * 3);
    const dirs = Array.from({ length: depth }, () => pick(DIRS));
    const name =
      rnd() < 0.3
        ? pick(COMMON)
        : `${pick(['order', 'stock', 'cart', 'user', 'price', 'invoice', 'ship'])}${Math.floor(rnd() * 900)}.${pick(['ts', 'js', 'tsx'])}`;
    paths.add([pkg, ...dirs, name].join('/'));
  }
  return [...paths];
}

/** The alternative: compare the query with every path, keep the longest common suffix (same tie rule). */
class LinearSuffixScan {
  private readonly entries: { file: string; reversed: string[] }[];
  constructor(root: string, relPaths: readonly string[]) {
    this.entries = relPaths.map((p) => ({ file: join(root, p), reversed: pathSegments(p).reverse() }));
  }
  lookup(path: string): string | undefined {
    const q = pathSegments(path).reverse();
    let best: { file: string; reversed: string[] } | undefined;
    let bestScore = 0;
    for (const e of this.entries) {
      let score = 0;
      while (score < e.reversed.length && score < q.length && e.reversed[score] === q[score]) score++;
      if (score === 0) continue;
      const better =
        score > bestScore ||
        (score === bestScore &&
          best !== undefined &&
          (e.reversed.length < best.reversed.length ||
            (e.reversed.length === best.reversed.length && e.file.localeCompare(best.file) < 0)));
      if (better) {
        best = e;
        bestScore = score;
      }
    }
    return best?.file;
  }
}

function queriesFor(paths: readonly string[]): string[] {
  const rnd = seededRandom(7);
  const out: string[] = [];
  for (let i = 0; i < QUERIES; i++) {
    if (i % 10 === 9)
      out.push(`/app/packages/gone/src/missing${i}.ts`); // a file that is not there
    else out.push(`/app/${paths[Math.floor(rnd() * paths.length)]}`); // as a container reports it
  }
  return out;
}

export async function run(): Promise<BenchReport> {
  const root = '/workspace';
  const paths = generatePaths(FILES);
  const queries = queriesFor(paths);

  global.gc?.();
  const built = await timeOnce(() => {
    const index = new WorkspaceIndex();
    index.addRoot({ path: root, name: 'ws', caseSensitive: true }, paths);
    return index;
  });
  const index = built.value;
  const naive = new LinearSuffixScan(root, paths);

  // Both must agree before their speed means anything.
  for (const q of queries) {
    const a = index.lookup(q)?.file;
    const b = naive.lookup(q);
    if (a !== b) throw new Error(`index and linear scan disagree on ${q}: ${a} vs ${b}`);
  }

  const indexed = timeEach(queries, (q) => index.lookup(q));
  const linear = timeEach(queries.slice(0, 300), (q) => naive.lookup(q), 20);

  let disk: { scanMs: number; files: number } | undefined;
  if (process.env.BENCH_DISK !== '0') {
    const dir = mkdtempSync(join(tmpdir(), 'forensics-bench-'));
    try {
      for (const p of paths) {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), '');
      }
      global.gc?.();
      const scanned = await timeOnce(async () => WorkspaceIndex.build([{ path: dir, name: 'ws' }]));
      const scanOnly = await timeOnce(() => scanFiles(dir));
      disk = { scanMs: scanned.ms, files: scanOnly.value.length };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const ratio = linear.meanMs / indexed.meanMs;
  const row = (name: string, t: ReturnType<typeof timeEach>) => ({
    method: name,
    lookups: t.runs,
    mean: us(t.meanMs),
    p50: us(t.p50Ms),
    p99: us(t.p99Ms),
    max: us(t.maxMs),
  });
  const tables = [
    {
      title: `Lookup of a frame path (${FILES.toLocaleString('en-US')} files, 10% misses)`,
      rows: [row('workspace index', indexed), row('linear suffix scan', linear)],
    },
    {
      title: 'Building the index',
      rows: [
        { step: 'from a path list (in memory)', files: FILES, time: ms(built.ms, 1) },
        ...(disk ? [{ step: 'scan of the folder on disk + index', files: disk.files, time: ms(disk.scanMs, 1) }] : []),
      ],
    },
  ];
  return {
    name: 'stackIndex',
    setup: `Generated monorepo of ${FILES.toLocaleString('en-US')} files in 400 packages (30% common names like index.ts); ${QUERIES} container paths (/app/...) looked up; results checked identical for both methods.`,
    tables,
    summary: [
      `indexed lookup: mean ${us(indexed.meanMs)}, p99 ${us(indexed.p99Ms)} (${indexed.p99Ms < 1 ? 'well under' : 'NOT under'} 1 ms)`,
      `linear suffix scan: mean ${ms(linear.meanMs)}; the index is ${Math.round(ratio).toLocaleString('en-US')}x faster`,
      disk
        ? `index build from disk: ${ms(disk.scanMs, 0)} for ${disk.files.toLocaleString('en-US')} files (once per window: the folder scan runs in a worker thread, the insert in 5,000-file slices)`
        : 'on-disk build skipped (BENCH_DISK=0)',
    ],
  };
}
