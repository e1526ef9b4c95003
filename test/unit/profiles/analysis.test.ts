// The pure parts: time per function from a profile's tree, the memory verdict from a
// series, and every way a profile file can be wrong. Profiles here are small and written
// by hand in V8's format so each number can be checked by reasoning.
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  captureAllocationProfile,
  captureCpuProfile,
  checkSeconds,
  cpuIntervalFor,
  MAX_CPU_SAMPLES,
} from '../../../src/core/profiles/capture';
import { callOnLine } from '../../../src/core/profiles/codeMap';
import { cpuTimes } from '../../../src/core/profiles/cpuAnalysis';
import { allocationTotals } from '../../../src/core/profiles/allocAnalysis';
import { parseProfile, readProfileFile } from '../../../src/core/profiles/readProfile';
import { writeFileAtomic } from '../../../src/core/profiles/atomicFile';
import { lineNamesFunction } from '../../../src/core/profiles/report';
import { judgeTrend, type MemorySample } from '../../../src/core/profiles/trend';
import type { CpuProfile, ProfileCallFrame } from '../../../src/core/profiles/types';
import { makeTempDir } from '../harness/git';

const frame = (functionName: string, lineNumber = 0, url = 'file:///app/x.js'): ProfileCallFrame => ({
  functionName,
  scriptId: '1',
  url,
  lineNumber,
  columnNumber: 0,
});
const pseudo = (name: string): ProfileCallFrame => ({ functionName: name, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 });
const MB = 1024 * 1024;

describe('profile analysis', () => {
  it('self and total time per function; recursion counted once; GC, idle and program apart', () => {
    // root → main → walk → walk (recursion) → JSON work on walk's line 12; root → (garbage collector), (idle)
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: pseudo('(root)'), children: [2, 5, 6, 7] },
        { id: 2, callFrame: frame('main', 1), children: [3] },
        { id: 3, callFrame: frame('walk', 10), children: [4], positionTicks: [{ line: 12, ticks: 1 }] },
        {
          id: 4,
          callFrame: frame('walk', 10),
          positionTicks: [
            { line: 12, ticks: 3 },
            { line: 13, ticks: 1 },
          ],
        },
        { id: 5, callFrame: pseudo('(garbage collector)') },
        { id: 6, callFrame: pseudo('(idle)') },
        { id: 7, callFrame: pseudo('(program)') },
      ],
      startTime: 0,
      endTime: 9000,
      // Each sample stands for the gap to the next one: 1000 µs each.
      samples: [3, 4, 4, 4, 4, 5, 6, 6, 7],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const t = cpuTimes(profile);
    const fn = (name: string) => t.functions.find((f) => f.callFrame.functionName === name)!;
    assert.equal(fn('walk').selfUs, 5000);
    assert.equal(fn('walk').totalUs, 5000, 'the recursive call is not counted twice');
    assert.equal(fn('main').selfUs, 0);
    assert.equal(fn('main').totalUs, 5000);
    assert.deepEqual(t.runtime, { gcUs: 1000, idleUs: 2000, programUs: 1000 });
    assert.equal(
      t.functions.some((f) => f.callFrame.functionName.startsWith('(')),
      false,
    );
    // Line 12: node 3's 1000 µs (its only tick) + node 4's 3/4 of 4000 µs.
    assert.deepEqual(fn('walk').lines, [
      { line: 12, us: 4000 },
      { line: 13, us: 1000 },
    ]);
    assert.deepEqual(
      fn('walk').callers.map((c) => [c.callFrame.functionName, c.us]),
      [
        ['walk', 4000],
        ['main', 1000],
      ],
    );
  });

  it('never counts negative time from out-of-order deltas', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: pseudo('(root)'), children: [2] },
        { id: 2, callFrame: frame('f') },
      ],
      startTime: 0,
      endTime: 3000,
      samples: [2, 2, 2],
      timeDeltas: [1000, -50, 1050],
    };
    assert.ok(cpuTimes(profile).functions[0]!.selfUs >= 0);
  });

  it('alive bytes per allocating function, with the heaviest stack of callers', () => {
    const totals = allocationTotals({
      head: {
        callFrame: pseudo('(root)'),
        selfSize: 0,
        id: 1,
        children: [
          {
            callFrame: frame('handle', 5),
            selfSize: 100,
            id: 2,
            children: [{ callFrame: frame('Ctx', 20), selfSize: 300, id: 3, children: [] }],
          },
          {
            callFrame: frame('other', 40),
            selfSize: 0,
            id: 4,
            children: [{ callFrame: frame('Ctx', 20), selfSize: 50, id: 5, children: [] }],
          },
        ],
      },
      samples: [{ size: 300, nodeId: 3, ordinal: 1 }],
    });
    assert.equal(totals.aliveBytes, 450);
    assert.deepEqual(
      totals.sites.map((s) => [s.callFrame.functionName, s.aliveBytes, s.callers.map((c) => c.functionName)]),
      [
        ['Ctx', 350, ['handle']],
        ['handle', 100, []],
      ],
    );
  });

  it("checks that a function's mapped line names it", () => {
    assert.equal(lineNamesFunction('priceOrder', 'export function priceOrder(sku: string): number {'), true);
    assert.equal(lineNamesFunction('handler', 'const handler = async (req) => {'), true);
    assert.equal(lineNamesFunction('RequestContext', 'constructor(readonly id: number) {'), true);
    assert.equal(lineNamesFunction('a$b', 'function a$b() {'), true);
    assert.equal(lineNamesFunction('cpuTimes', '// a comment line'), false);
    assert.equal(lineNamesFunction('price', 'export function priceOrder() {'), false);
    assert.equal(lineNamesFunction('(anonymous)', 'anything'), true, 'anonymous functions cannot be checked by name');
  });

  it('names the call on a hot line', () => {
    assert.equal(callOnLine('const items = JSON.parse(catalogue) as Item[];'), 'JSON.parse');
    assert.equal(callOnLine('return this.cache.get(key) ?? load(key);'), 'this.cache.get');
    assert.equal(callOnLine('total += price * qty;'), undefined);
  });
});

describe('memory trend verdict', () => {
  const series = (values: number[], stepMs = 1000): MemorySample[] =>
    values.map((v, i) => ({ tMs: i * stepMs, usedBytes: Math.round(v * MB), totalBytes: Math.round((v + 10) * MB) }));

  it('steady growth: a sawtooth whose baseline rises is growth, with its slope', () => {
    // Churn of 6 MB between collections, while the baseline rises 1 MB a second (60 MB/min).
    const values: number[] = [];
    for (let i = 0; i < 30; i++) values.push(20 + i + (i % 3) * 3);
    const trend = judgeTrend(series(values));
    assert.equal(trend.verdict, 'steady-growth', trend.summary);
    assert.ok(Math.abs(trend.slopeMBPerMin - 60) < 3, `${trend.slopeMBPerMin}`);
    assert.equal(trend.gc.falls, 9);
  });

  it('a sawtooth that returns to baseline is not growth', () => {
    const values: number[] = [];
    for (let i = 0; i < 30; i++) values.push(20 + (i % 5) * 4);
    const trend = judgeTrend(series(values));
    assert.equal(trend.verdict, 'sawtooth', trend.summary);
    assert.ok(Math.abs(trend.slopeMBPerMin) < 1);
    assert.match(trend.summary, /^sawtooth that returns to baseline: 5 collections/);
  });

  it('flat: jitter below the floors is neither growth nor sawtooth', () => {
    const trend = judgeTrend(series([30, 30.3, 29.9, 30.4, 30.1, 30.2, 29.8, 30.3, 30.0, 30.2]));
    assert.equal(trend.verdict, 'flat', trend.summary);
  });

  it('growth too small for a big heap stays flat (the 10% floor); too few samples are inconclusive', () => {
    // +4 MB on a 500 MB heap: above 2 MB but below a tenth of the heap.
    assert.equal(judgeTrend(series([500, 500.5, 501, 501.5, 502, 502.5, 503, 503.5, 504])).verdict, 'flat');
    assert.equal(judgeTrend(series([10, 30])).verdict, 'inconclusive');
  });
});

describe('profile files: bad input and bounds', () => {
  let dir: string;
  before(() => (dir = makeTempDir('forensics-profile-files-')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a corrupt, truncated or foreign file gets a clear error', async () => {
    const valid = JSON.stringify({
      nodes: [{ id: 1, callFrame: pseudo('(root)') }],
      startTime: 0,
      endTime: 1,
      samples: [1],
      timeDeltas: [1],
    });
    assert.throws(() => parseProfile(valid.slice(0, 40), 'cut.cpuprofile'), /cut\.cpuprofile is not valid JSON .*cut short/);
    assert.throws(() => parseProfile('[1,2]', 'a.json'), /not a profile: expected a JSON object/);
    assert.throws(() => parseProfile('{"x":1}', 'a.json'), /neither a CPU profile .* nor an allocation profile/);
    assert.throws(
      () => parseProfile('{"nodes":[],"startTime":0,"endTime":1}', 'e.cpuprofile'),
      /not a usable \.cpuprofile: it has no "nodes"/,
    );
    assert.throws(
      () => parseProfile(valid.replace('"samples":[1]', '"samples":[9]'), 'd.cpuprofile'),
      /a sample names node 9, which is not in "nodes"/,
    );
    assert.throws(() => parseProfile(valid.replace('"timeDeltas":[1]', '"timeDeltas":[]'), 'd.cpuprofile'), /1 samples but 0 time deltas/);
    assert.throws(() => parseProfile('{"head":{"selfSize":1}}', 'h.heapprofile'), /not a usable \.heapprofile/);
    assert.equal(parseProfile(valid, 'ok.cpuprofile').kind, 'cpu');
    await assert.rejects(readProfileFile(join(dir, 'missing.cpuprofile')), /cannot read .*missing\.cpuprofile: ENOENT/);
  });

  it('a 10-minute recording stays bounded: a seconds cap, and the interval raised to keep the sample count', () => {
    assert.throws(() => checkSeconds(601), /exceeds the 600 s cap/);
    assert.throws(() => checkSeconds(0), /above 0/);
    assert.equal(cpuIntervalFor(600), 1000, "ten minutes at V8's default 1 ms is 600,000 samples");
    assert.equal(cpuIntervalFor(600, 100), 1000, 'a finer interval is raised for a long window');
    assert.equal(cpuIntervalFor(10, 100), 100);
    assert.ok((600 * 1e6) / cpuIntervalFor(600, 50) <= MAX_CPU_SAMPLES);
  });

  it('refuses sampling intervals fine enough to slow the target, before connecting to it', async () => {
    // Port 1 answers nothing: the interval is refused before any connection is tried.
    await assert.rejects(
      captureCpuProfile({ address: '127.0.0.1:1', seconds: 1, outFile: join(dir, 'x.cpuprofile'), intervalUs: 10 }),
      /10 µs would slow the process down; use 100 µs or more/,
    );
    await assert.rejects(
      captureAllocationProfile({ address: '127.0.0.1:1', seconds: 1, outFile: join(dir, 'x.heapprofile'), intervalBytes: 64 }),
      /64 bytes would sample most allocations/,
    );
  });

  it('writes atomically: the file appears whole, and a failed write leaves nothing', async () => {
    const file = join(dir, 'a.cpuprofile');
    assert.equal(await writeFileAtomic(file, '{"x":1}'), 7);
    assert.deepEqual(readdirSync(dir), ['a.cpuprofile']);
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    await assert.rejects(writeFileAtomic(join(dir, 'blocker', 'b.cpuprofile'), '{}'), /cannot write .*b\.cpuprofile/);
    // The rename fails (a folder holds the name): the temporary file written first is removed.
    mkdirSync(join(dir, 'taken.cpuprofile', 'inside'), { recursive: true });
    await assert.rejects(writeFileAtomic(join(dir, 'taken.cpuprofile'), '{}'), /cannot write .*taken\.cpuprofile/);
    assert.deepEqual(readdirSync(dir).sort(), ['a.cpuprofile', 'blocker', 'taken.cpuprofile']);
  });
});
