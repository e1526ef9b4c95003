// Profiles of real Node processes through a real inspector: a TypeScript service built
// with source maps, profiled for a second or two, mapped back to its .ts lines.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InspectorSession, listTargets, parseInspectorAddress } from '../../../src/core/heap/inspector';
import { captureAllocationProfile, captureCpuProfile } from '../../../src/core/profiles/capture';
import { codeMapper } from '../../../src/core/profiles/codeMap';
import { allocationFacts, cpuFacts, leakSite, memoryTrendFacts, topSelfCallUnder } from '../../../src/core/profiles/evidence';
import { watchMemory } from '../../../src/core/profiles/memoryWatch';
import { readProfileFile } from '../../../src/core/profiles/readProfile';
import { allocationReport, cpuReport } from '../../../src/core/profiles/report';
import { isPseudoFunction } from '../../../src/core/profiles/types';
import { WorkspaceIndex } from '../../../src/core/stack/workspaceIndex';
import { startInspected, type InspectedProcess } from '../heap/nodeProcess';
import { makeTempDir } from '../harness/git';
import { buildServiceWorkspace, startService, ticks, whenAttached, type ServiceWorkspace } from './service';

async function mapperFor(ws: ServiceWorkspace) {
  const folders = [{ name: 'service', path: ws.root }];
  return codeMapper({ index: await WorkspaceIndex.build(folders), folders });
}

function partials(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.partial'));
}

describe('profiles of real processes', function () {
  this.timeout(60000);
  let ws: ServiceWorkspace;
  let out: string;
  const running: InspectedProcess[] = [];
  const start = async (mode: 'parse' | 'leak' | 'steady'): Promise<InspectedProcess> => {
    const app = await startService(ws, mode);
    running.push(app);
    return app;
  };
  before(() => {
    ws = buildServiceWorkspace();
    out = makeTempDir('forensics-profiles-out-');
  });
  after(async () => {
    await Promise.all(running.map((a) => a.stop()));
    rmSync(ws.root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('a CPU profile names JSON.parse on its .ts line under priceOrder, with GC and idle apart', async () => {
    const app = await start('parse');
    const file = join(out, 'parse.cpuprofile');
    const result = await captureCpuProfile({ address: app.address, seconds: 1.5, outFile: file });
    assert.ok(result.samples > 200, `${result.samples} samples`);
    // The file is exactly V8's Profile object, which DevTools and VS Code open.
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).sort(), ['endTime', 'nodes', 'samples', 'startTime', 'timeDeltas']);
    assert.deepEqual(partials(out), []);

    const loaded = await readProfileFile(file);
    assert.equal(loaded.kind, 'cpu');
    const report = await cpuReport(loaded as Extract<typeof loaded, { kind: 'cpu' }>, await mapperFor(ws), 10);
    const top = report.bottomUp[0]!;
    assert.equal(top.name, 'priceOrder');
    assert.equal(top.location?.file, ws.source, 'mapped through the source map to the .ts file');
    assert.equal(top.location?.line, ws.lineOf('export function priceOrder'));
    assert.equal(top.hotLine?.location?.line, ws.lineOf('JSON.parse(catalogue)'));
    assert.equal(top.hotCall, 'JSON.parse');
    assert.ok(top.selfPercent > 30, `priceOrder self ${top.selfPercent}%`);
    assert.ok(top.hotLine!.generatedLine !== top.hotLine!.location!.line, 'the generated line differs from the source line');
    for (const f of [...report.bottomUp, ...report.topDown])
      assert.ok(!isPseudoFunction(f.name), `${f.name} is V8's own time, reported apart`);
    assert.ok(report.runtime.gcMs >= 0 && report.runtime.idleMs >= 0);
    assert.ok(report.bottomUp.every((f, i, a) => i === 0 || a[i - 1]!.selfMs >= f.selfMs));
    // Top-down: the timer callback that calls priceOrder holds at least its time.
    const caller = report.topDown.find((f) => f.location?.line === ws.lineOf('setInterval(() => {'));
    assert.ok(caller && caller.totalMs >= top.totalMs, 'the setInterval callback totals at least priceOrder');

    const facts = cpuFacts(report, ws.root);
    assert.deepEqual(topSelfCallUnder(facts, 'priceOrder'), {
      file: 'src/orders.ts',
      line: ws.lineOf('JSON.parse(catalogue)'),
      text: 'const items = JSON.parse(catalogue) as CatalogueItem[];',
      selfPercent: top.selfPercent,
    });
    assert.equal(topSelfCallUnder(facts, 'handleSteady'), undefined);
    assert.ok((await ticks(app)) > 0);
  });

  it('code transpiled in memory (tsx) with no map on disk: places marked unverified, no hot line claimed', async () => {
    // tsx hands V8 transformed code under the .ts file's own URL: V8's lines are not the file's.
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const app = await startInspected(ws.source, ['parse'], ['--inspect=127.0.0.1:0', '--import', tsx]);
    running.push(app);
    const file = join(out, 'tsx.cpuprofile');
    await captureCpuProfile({ address: app.address, seconds: 1, outFile: file });
    const loaded = await readProfileFile(file);
    const report = await cpuReport(loaded as Extract<typeof loaded, { kind: 'cpu' }>, await mapperFor(ws), 10);
    const ours = [...report.bottomUp, ...report.topDown].filter((f) => f.location?.file === ws.source);
    const price = ours.find((f) => f.name === 'priceOrder');
    assert.ok(price, 'priceOrder is in the profile');
    assert.match(price.unverified ?? '', /does not name priceOrder/);
    for (const f of ours) {
      assert.ok(f.unverified, `${f.name} at line ${f.location!.line} is marked`);
      assert.equal(f.hotLine?.location, undefined, `${f.name} claims no hot line`);
      assert.equal(f.hotCall, undefined);
    }
  });

  it('a listener leak: allocation sampling names the allocating code, the trend says steady growth', async () => {
    const app = await start('leak');
    const file = join(out, 'leak.heapprofile');
    const [result, watched] = await Promise.all([
      captureAllocationProfile({ address: app.address, seconds: 2, outFile: file }),
      watchMemory({ address: app.address, seconds: 4, intervalMs: 250 }),
    ]);
    assert.ok(result.samples > 10, `${result.samples} samples`);
    assert.deepEqual(result.settings, {
      samplingInterval: 32768,
      stackDepth: 128,
      includeObjectsCollectedByMajorGC: false,
      includeObjectsCollectedByMinorGC: false,
    });
    const loaded = await readProfileFile(file);
    const report = await allocationReport(loaded as Extract<typeof loaded, { kind: 'alloc' }>, await mapperFor(ws), 10);
    const inWorkspace = report.sites.filter((s) => s.location);
    const top = inWorkspace[0]!;
    assert.equal(top.location?.file, ws.source);
    // What leaks is allocated by handleLeaky (the context object and the listener closure
    // that keeps it) and by RequestContext's constructor (its payload), called from there.
    assert.equal(top.name, 'handleLeaky');
    assert.equal(top.location?.line, ws.lineOf('export function handleLeaky'));
    const ctor = inWorkspace.find((s) => s.name === 'RequestContext');
    assert.equal(ctor?.location?.line, ws.lineOf('constructor(readonly id: number)'));
    assert.equal(ctor?.callers[0]?.name, 'handleLeaky');
    assert.equal(ctor?.callers[0]?.location?.line, ws.lineOf('export function handleLeaky'));
    assert.ok(top.percent + ctor!.percent > 60, `the leak's two sites hold ${top.percent + ctor!.percent}% of what survived`);

    const { trend } = watched;
    assert.equal(trend.verdict, 'steady-growth', trend.summary);
    assert.ok(trend.slopeMBPerMin > 10, trend.summary);
    assert.ok(trend.rssSlopeMBPerMin !== undefined && watched.samples.every((s) => s.rssBytes! > s.usedBytes));
    assert.match(trend.summary, /^steady growth: the heap after collections rises [\d.]+ MB/);
    const site = leakSite(memoryTrendFacts(trend), allocationFacts(report, ws.root));
    assert.equal(site?.function, 'handleLeaky');
    assert.equal(site?.file, 'src/orders.ts');
  });

  it('a steady service: the trend says flat, no false alarm', async () => {
    const app = await start('steady');
    await new Promise((r) => setTimeout(r, 500));
    const { trend, samples } = await watchMemory({ address: app.address, seconds: 4, intervalMs: 250 });
    assert.ok(samples.length >= 12, `${samples.length} samples`);
    assert.equal(trend.verdict, 'flat', trend.summary);
    assert.equal(
      leakSite(memoryTrendFacts(trend), {
        kind: 'alloc',
        aliveBytes: 1,
        sites: [{ function: 'x', aliveBytes: 1, percent: 100, place: { file: 'a.ts', line: 1 }, calledFrom: [] }],
      }),
      undefined,
    );
  });

  it('a cancelled profile or sampling leaves no file and the process running, unpaused', async () => {
    const app = await start('parse');
    for (const kind of ['cpu', 'alloc'] as const) {
      const file = join(out, `cancelled.${kind}`);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 400);
      const started = Date.now();
      const options = { address: app.address, seconds: 20, outFile: file, signal: controller.signal };
      await assert.rejects(kind === 'cpu' ? captureCpuProfile(options) : captureAllocationProfile(options), { name: 'AbortError' });
      assert.ok(Date.now() - started < 5000, 'the cancel is heard at once');
      assert.equal(existsSync(file), false);
      const before = await ticks(app);
      await new Promise((r) => setTimeout(r, 300));
      assert.ok((await ticks(app)) > before, 'the event loop still turns');
    }
    assert.deepEqual(partials(out), []);
    // Profiling it again works: nothing was left started.
    const again = await captureCpuProfile({ address: app.address, seconds: 0.3, outFile: join(out, 'again.cpuprofile') });
    assert.ok(again.samples > 0);
  });

  it('says clearly when no inspector answers, and when the process exits mid-profile', async () => {
    await assert.rejects(
      captureCpuProfile({ address: '127.0.0.1:1', seconds: 1, outFile: join(out, 'none.cpuprofile') }),
      /no Node inspector answers on 127\.0\.0\.1:1/,
    );
    await assert.rejects(watchMemory({ address: '127.0.0.1:1', seconds: 1 }), /no Node inspector answers/);
    const app = await start('parse');
    const file = join(out, 'exited.cpuprofile');
    void whenAttached(app).then(() => setTimeout(() => void app.stop(), 500));
    await assert.rejects(
      captureCpuProfile({ address: app.address, seconds: 10, outFile: file }),
      /exited or closed its inspector [\d.]+ s into the recording; nothing was written/,
    );
    assert.equal(existsSync(file), false);
    // A memory watch keeps what it measured before the process went away, and says so.
    const watched = await start('steady');
    void whenAttached(watched).then(() => setTimeout(() => void watched.stop(), 1500));
    const partial = await watchMemory({ address: watched.address, seconds: 10, intervalMs: 250 });
    assert.ok(partial.samples.length >= 3 && partial.samples.length < 20, `${partial.samples.length} samples`);
    assert.match(partial.notes.join('\n'), /^stopped after [\d.]+ s: the process behind .* exited or closed its inspector/);
    assert.notEqual(partial.trend.verdict, 'steady-growth');
  });

  it('another inspector session: CPU profiles of both sessions coexist; allocation sampling stopped by the other says so', async () => {
    const app = await start('parse');
    const [target] = await listTargets(parseInspectorAddress(app.address));
    // V8 accepts several sessions at once (a debugger, DevTools, this tool), each with its own CPU profile.
    const other = await InspectorSession.connect(target!, () => undefined);
    try {
      await other.send('Profiler.enable');
      await other.send('Profiler.start');
      const mine = await captureCpuProfile({ address: app.address, seconds: 0.5, outFile: join(out, 'shared.cpuprofile') });
      assert.ok(mine.samples > 0);
      const theirs = (await other.send('Profiler.stop')) as { profile: { samples: number[] } };
      assert.ok(theirs.profile.samples.length > 0, 'the other session kept its own profile');
      // The sampling heap profiler is one per process: the other session stopping it ends ours.
      const sampling = captureAllocationProfile({ address: app.address, seconds: 1.5, outFile: join(out, 'stolen.heapprofile') });
      await new Promise((r) => setTimeout(r, 500));
      await other.send('HeapProfiler.stopSampling');
      await assert.rejects(sampling, /another inspector session stopped the allocation sampling/);
      assert.equal(existsSync(join(out, 'stolen.heapprofile')), false);
    } finally {
      other.close();
    }
    assert.ok((await ticks(app)) > 0);
  });
});
