// Real heap snapshots of a leaking process for the heap benches, cached under
// test-output/bench/snapshots (git-ignored) and reused across runs: generating a 600 MB
// pair takes minutes, parsing it is what we measure.
// Each size is a pair from ONE inspector session of test/unit/heap/fixtures/orders-app.js
// (so node ids match and the pair can be diffed): `base` after 90 % of the requests,
// `target` after all of them. Every leaked request keeps its RequestContext and listener.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HeapCapturer } from '../../src/core/heap/capture';

export const snapshotDir = resolve(__dirname, '..', '..', 'test-output', 'bench', 'snapshots');
const fixture = resolve(__dirname, '..', '..', 'test', 'unit', 'heap', 'fixtures', 'orders-app.js');

/** About 0.8 kB of snapshot per leaked request over a ~4 MB base (measured on Node 20). */
const BYTES_PER_REQUEST = 800;
const BASE_MB = 4;

export interface SnapshotPair {
  readonly mb: number;
  readonly base: string;
  readonly target: string;
  readonly targetMb: number;
}

/** Sizes from BENCH_SIZES ("30,300") or the default 30, 300 and 600 MB. */
export function benchSizes(env = process.env.BENCH_SIZES): number[] {
  if (!env) return [30, 300, 600];
  const sizes = env.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isFinite(n) || n <= 0))
    throw new Error(`BENCH_SIZES must be comma-separated positive sizes in MB, e.g. "30,300"; got "${env}"`);
  return sizes;
}

/** The cached pair for `mb`, generating it first when missing. */
export async function snapshotPair(mb: number, log: (line: string) => void): Promise<SnapshotPair> {
  const base = join(snapshotDir, `orders-leak-${mb}mb-base.heapsnapshot`);
  const target = join(snapshotDir, `orders-leak-${mb}mb-target.heapsnapshot`);
  if (!existsSync(base) || !existsSync(target)) {
    mkdirSync(snapshotDir, { recursive: true });
    log(`generating the ~${mb} MB snapshot pair in ${snapshotDir} (cached for later runs) ...`);
    await capturePair(mb, base, target);
  }
  return { mb, base, target, targetMb: statSync(target).size / 1024 / 1024 };
}

async function capturePair(mb: number, base: string, target: string): Promise<void> {
  const requests = Math.max(100, Math.round(((mb - BASE_MB) * 1024 * 1024) / BYTES_PER_REQUEST));
  const baseRequests = Math.round(requests * 0.9);
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', fixture], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const address = await inspectorAddress(child);
    let pending: (() => void) | undefined;
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ok')) pending?.();
    });
    const serve = (n: number): Promise<void> =>
      new Promise((done) => {
        pending = done;
        child.stdin.write(`serve ${n}\n`);
      });
    const capturer = await HeapCapturer.open(address);
    try {
      // Written under a temporary name and renamed, so an interrupted run leaves no half file in the cache.
      await serve(baseRequests);
      await capturer.take(`${base}.partial`);
      await serve(requests - baseRequests);
      await capturer.take(`${target}.partial`);
      renameSync(`${base}.partial`, base);
      renameSync(`${target}.partial`, target);
    } finally {
      await capturer.close();
    }
  } finally {
    child.kill('SIGKILL');
  }
}

function inspectorAddress(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolveAddress, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /Debugger listening on ws:\/\/([^/]+)\//.exec(err);
      if (m) resolveAddress(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`orders-app exited with ${code} before its inspector listened: ${err}`)));
  });
}
