// Profiles: (1) mapping a large .cpuprofile to code (`forensics profile show`: load,
// self/total per function, top 20 to file:line) side by side with the nearest peer npm
// offers, speedscope's Chrome importer (@elg/speedscope, the fork that exports it), and
// JSON.parse alone, each in a child process of its own for its peak RSS; (2) the inspector's
// overhead on a busy local HTTP service: requests/s with no session, while a CPU profile
// records, while allocations are sampled, and while memory is watched. Loopback only, every
// phase bounded in time.
//   npm run bench -- bench/profileMapping.bench.ts
//   BENCH_CPUPROFILE_MB=50 BENCH_LOAD_S=3 npm run bench -- bench/profileMapping.bench.ts
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureAllocationProfile, captureCpuProfile } from '../src/core/profiles/capture';
import { watchMemory } from '../src/core/profiles/memoryWatch';
import { generateCpuProfile } from './lib/cpuProfiles';
import { MEASURE_MARK, profilePeersDir, type Method } from './lib/profileMeasure';
import type { BenchReport } from './lib/types';

/** Profile sizes in MB of JSON, comma-separated: a small one every method finishes, and the 200 MB one. */
const SIZES_MB = (process.env.BENCH_CPUPROFILE_MB ?? '10,200')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const LOAD_S = Math.min(30, Number(process.env.BENCH_LOAD_S ?? 3));
/** Phases run in rounds and each keeps its median: the machine is shared, so one round is noise. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_LOAD_ROUNDS ?? 3));
const CONCURRENCY = 8;
const TIMEOUT_MS = Number(process.env.BENCH_PROFILE_TIMEOUT_S ?? 180) * 1000;
const HEAP_LIMIT_MB = 6144;

type Outcome = { ok: true; ms: number; peakRssMb: number; detail: string } | { ok: false; error: string };

function ensureSpeedscope(log: (l: string) => void): string | undefined {
  if (existsSync(join(profilePeersDir, 'node_modules', '@elg', 'speedscope', 'package.json'))) return undefined;
  log(`installing the bench peer (@elg/speedscope) in ${profilePeersDir} ...`);
  const r = spawnSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'],
    { cwd: profilePeersDir, encoding: 'utf8', timeout: 300_000 },
  );
  if (r.error || r.status !== 0) return `npm install failed: ${r.error?.message ?? r.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}

function measure(method: Method, file: string, workspace: string): Promise<Outcome> {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', 'tsx', join(__dirname, 'lib', 'profileMeasure.ts'), method, file, workspace],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const at = out.lastIndexOf(MEASURE_MARK);
      if (code === 0 && at >= 0)
        resolve({ ok: true, ...(JSON.parse(out.slice(at + MEASURE_MARK.length)) as { ms: number; peakRssMb: number; detail: string }) });
      else
        resolve({
          ok: false,
          error: signal === 'SIGKILL' ? `time limit ${TIMEOUT_MS / 1000} s` : (err.trim().split('\n').at(-1) ?? `exit ${code}`),
        });
    });
  });
}

/** User + system CPU time of a process so far (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Requests completed in `seconds` with CONCURRENCY keep-alive clients. */
async function load(port: number, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const until = Date.now() + seconds * 1000;
  let done = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/order', agent }, (res) => {
        res.resume();
        res.once('end', () => resolve());
      });
      req.once('error', reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        await one();
        done++;
      }
    }),
  );
  agent.destroy();
  return done / seconds;
}

async function overhead(dir: string): Promise<BenchReport['tables'][number]> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', join(__dirname, 'lib', 'busyService.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [port, inspector] = await Promise.all([
      new Promise<number>((resolve) =>
        child.stdout.on('data', (d: Buffer) => {
          const m = /port (\d+)/.exec(d.toString());
          if (m) resolve(Number(m[1]));
        }),
      ),
      new Promise<string>((resolve) => {
        let e = '';
        child.stderr.on('data', (d: Buffer) => {
          e += d.toString();
          const m = /ws:\/\/([^/]+)\//.exec(e);
          if (m) resolve(m[1]!);
        });
      }),
    ]);
    await load(port, 1); // warm-up: JIT, sockets
    const phases: { phase: string; run: () => Promise<number> }[] = [
      { phase: 'no inspector session', run: () => load(port, LOAD_S) },
      {
        phase: 'CPU profile (1 ms interval)',
        run: async () =>
          (
            await Promise.all([
              load(port, LOAD_S),
              captureCpuProfile({ address: inspector, seconds: LOAD_S, outFile: join(dir, 'load.cpuprofile') }),
            ])
          )[0],
      },
      {
        phase: 'allocation sampling (32 KB)',
        run: async () =>
          (
            await Promise.all([
              load(port, LOAD_S),
              captureAllocationProfile({ address: inspector, seconds: LOAD_S, outFile: join(dir, 'load.heapprofile') }),
            ])
          )[0],
      },
      {
        phase: 'memory watch (1 s)',
        run: async () => (await Promise.all([load(port, LOAD_S), watchMemory({ address: inspector, seconds: LOAD_S })]))[0],
      },
    ];
    // Requests/s swing with whatever else the machine runs; the target's own CPU time per
    // request (from /proc) is what the profiler adds to each request, and barely does.
    const seen = new Map<string, number[]>();
    const cpu = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of phases) {
        const before = cpuMs(child.pid!);
        const rps = await p.run();
        const used = cpuMs(child.pid!) - before;
        seen.set(p.phase, [...(seen.get(p.phase) ?? []), rps]);
        cpu.set(p.phase, [...(cpu.get(p.phase) ?? []), (used * 1000) / (rps * LOAD_S)]);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rates = phases.map((p) => ({
      phase: p.phase,
      rps: median(seen.get(p.phase)!),
      all: seen.get(p.phase)!.map(Math.round).join(' / '),
      cpuUs: median(cpu.get(p.phase)!),
    }));
    const base = rates[0]!.rps;
    const baseCpu = rates[0]!.cpuUs;
    return {
      title: `Inspector overhead: requests/s of a busy HTTP service (${CONCURRENCY} keep-alive clients, ${LOAD_S} s per phase, median of ${ROUNDS} interleaved rounds, loopback)`,
      rows: rates.map((r) => ({
        phase: r.phase,
        'requests/s': Math.round(r.rps),
        'vs no session': `${(((r.rps - base) / base) * 100).toFixed(1)}%`,
        rounds: r.all,
        'target CPU µs/request': Math.round(r.cpuUs),
        'CPU vs no session': `${(((r.cpuUs - baseCpu) / baseCpu) * 100).toFixed(1)}%`,
      })),
    };
  } finally {
    child.kill('SIGKILL');
  }
}

export async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'forensics-profile-bench-'));
  const loadAverage = loadavg()[0]!.toFixed(1);
  try {
    const peerError = ensureSpeedscope((l) => console.log(l));
    const tables: BenchReport['tables'][number][] = [];
    const summary: string[] = [];
    const setups: string[] = [];
    for (const size of SIZES_MB) {
      const started = performance.now();
      const gen = await generateCpuProfile(join(dir, `p${size}`), size);
      const mb = (gen.bytes / 1e6).toFixed(0);
      console.log(
        `  generated ${mb} MB: ${gen.nodes} nodes, ${gen.samples} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      setups.push(`${mb} MB (${gen.nodes.toLocaleString('en-US')} nodes, ${gen.samples.toLocaleString('en-US')} samples)`);
      const rows: Record<string, string | number>[] = [];
      const results = new Map<Method, Outcome>();
      for (const method of ['ours', 'json', 'speedscope'] as const) {
        const o: Outcome =
          method === 'speedscope' && peerError
            ? { ok: false, error: `unavailable: ${peerError}` }
            : await measure(method, gen.file, gen.workspace);
        results.set(method, o);
        const label = {
          ours: 'ours: profile show (load + self/total + top 20 to file:line)',
          json: 'JSON.parse(readFileSync) only',
          speedscope: '@elg/speedscope importFromChromeCPUProfile',
        }[method];
        rows.push(
          o.ok
            ? { method: label, time: `${(o.ms / 1000).toFixed(2)} s`, 'peak RSS': `${Math.round(o.peakRssMb)} MB`, detail: o.detail }
            : { method: label, time: 'failed', 'peak RSS': '', detail: o.error },
        );
      }
      tables.push({ title: `Mapping a ${mb} MB .cpuprofile`, rows });
      const ours = results.get('ours');
      const peer = results.get('speedscope');
      if (ours?.ok)
        summary.push(
          `${mb} MB .cpuprofile to code: ours ${(ours.ms / 1000).toFixed(1)} s / ${Math.round(ours.peakRssMb)} MB peak; speedscope's importer ${peer?.ok ? `${(peer.ms / 1000).toFixed(1)} s / ${Math.round(peer.peakRssMb)} MB (no file:line)` : `failed: ${peer?.error}`}`,
        );
      rmSync(join(dir, `p${size}`), { recursive: true, force: true });
    }
    const over = await overhead(dir);
    tables.push(over);
    for (const r of over.rows.slice(1))
      summary.push(`${r.phase}: ${r['vs no session']} requests/s, ${r['CPU vs no session']} target CPU per request`);
    return {
      name: 'profileMapping',
      setup: `${setups.length ? `Generated .cpuprofiles of ${setups.join(' and ')} into a workspace of 300 modules, each method in its own Node process (--max-old-space-size=${HEAP_LIMIT_MB}, time limit ${TIMEOUT_MS / 1000} s); then a` : 'A'} busy HTTP service on loopback under load with and without an inspector recording (load average at the start ${loadAverage}, on ${cpus().length} cores shared with other work).`,
      tables,
      summary,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
