// `forensics profile …` and `forensics memory watch` as a user runs them, against the real
// TypeScript service; Ctrl-C against the real `forensics` process.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InspectedProcess } from '../heap/nodeProcess';
import { runForensics } from '../harness/cli';
import type { CpuReport } from '../../../src/core/profiles/report';
import { buildServiceWorkspace, startService, ticks, whenAttached, type ServiceWorkspace } from './service';

describe('forensics profile / memory (CLI)', function () {
  this.timeout(60000);
  let ws: ServiceWorkspace;
  let parse: InspectedProcess;
  before(async () => {
    ws = buildServiceWorkspace();
    parse = await startService(ws, 'parse');
  });
  after(async () => {
    await parse.stop();
    rmSync(ws.root, { recursive: true, force: true });
  });
  const cli = (argv: string[]) => runForensics(argv, {}, { cwd: ws.root });

  it('profile cpu writes a .cpuprofile; profile show maps it to the .ts lines', async () => {
    const rec = await cli(['profile', 'cpu', '--inspect', parse.address, '--seconds', '1', '--out', 'out/p.cpuprofile', '--json']);
    assert.equal(rec.code, 0, rec.err);
    const written = JSON.parse(rec.out) as { file: string; samples: number; settings: { intervalUs: number } };
    assert.equal(written.file, join(ws.root, 'out', 'p.cpuprofile'));
    assert.ok(written.samples > 100);
    assert.equal(written.settings.intervalUs, 1000);

    const text = await cli(['profile', 'show', 'out/p.cpuprofile', '--top', '3']);
    assert.equal(text.code, 0, text.err);
    assert.match(
      text.out,
      /^CPU profile: [\d.]+ s, [\d,]+ samples\nV8 itself: \(garbage collector\) [\d,.]+ ms [\d.]+%, \(idle\) [\d,.]+ ms [\d.]+%, \(program\) /,
    );
    const hotLine = ws.lineOf('JSON.parse(catalogue)');
    assert.match(
      text.out,
      new RegExp(
        `Bottom-up \\(self time\\):\\n.*\\n.* priceOrder  \\(src/orders\\.ts:${ws.lineOf('export function priceOrder')}\\)\\n +hot line src/orders\\.ts:${hotLine} \\([\\d,.]+ ms, in JSON\\.parse\\): const items = JSON\\.parse\\(catalogue\\)`,
      ),
    );
    assert.match(text.out, /\nTop-down \(total time\):\n/);

    const json = await cli(['profile', 'show', 'out/p.cpuprofile', '--json', '--workspace', '.']);
    const report = JSON.parse(json.out) as CpuReport;
    assert.equal(report.kind, 'cpu');
    assert.equal(report.bottomUp[0]!.hotLine!.location!.line, hotLine);
  });

  it('profile alloc and show on a .heapprofile; memory watch gates with exit 3 on a leak', async () => {
    const leak = await startService(ws, 'leak');
    try {
      const rec = await cli(['profile', 'alloc', '--inspect', leak.address, '--seconds', '1', '--out', 'out/a.heapprofile']);
      assert.equal(rec.code, 0, rec.err);
      assert.match(rec.out, /a\.heapprofile {2}[\d.]+ [kM]?B, \d+ samples in [\d.]+ s/);
      const shown = await cli(['profile', 'show', 'out/a.heapprofile', '--top', '5']);
      assert.equal(shown.code, 0, shown.err);
      assert.match(shown.out, new RegExp(`handleLeaky  \\(src/orders\\.ts:${ws.lineOf('export function handleLeaky')}\\)`));
      assert.match(shown.out, /RequestContext {2}\(src\/orders\.ts:\d+\) {2}← handleLeaky \(src\/orders\.ts:\d+\)/);

      const gated = await cli([
        'memory',
        'watch',
        '--inspect',
        leak.address,
        '--seconds',
        '3',
        '--interval-ms',
        '250',
        '--fail-on-slope',
        '5',
      ]);
      assert.equal(gated.code, 3, gated.err);
      assert.match(gated.out, /^steady growth: the heap after collections rises/);
      assert.match(gated.err, /^forensics: memory grows [\d.]+ MB\/min, above --fail-on-slope 5 MB\/min \(steady-growth\)\n$/);
    } finally {
      await leak.stop();
    }
  });

  it('bad input: seconds beyond the cap, no inspector, corrupt and empty profiles', async () => {
    const capped = await cli(['profile', 'cpu', '--inspect', parse.address, '--seconds', '601', '--out', 'x.cpuprofile']);
    assert.equal(capped.code, 2);
    assert.match(capped.err, /--seconds 601 exceeds the 600 s cap/);
    const missing = await cli(['profile', 'cpu', '--inspect', parse.address, '--seconds', '1']);
    assert.match(missing.err, /missing --out/);
    const none = await cli(['memory', 'watch', '--inspect', '127.0.0.1:1', '--seconds', '1']);
    assert.equal(none.code, 1);
    assert.match(none.err, /^forensics: no Node inspector answers on 127\.0\.0\.1:1/);
    writeFileSync(
      join(ws.root, 'cut.cpuprofile'),
      '{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","scriptId":"0","url":"","lineNu',
    );
    const cut = await cli(['profile', 'show', 'cut.cpuprofile']);
    assert.equal(cut.code, 1);
    assert.match(cut.err, /cut\.cpuprofile is not valid JSON .*was it cut short/);
    writeFileSync(
      join(ws.root, 'empty.cpuprofile'),
      JSON.stringify({
        nodes: [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 } }],
        startTime: 0,
        endTime: 5,
        samples: [],
        timeDeltas: [],
      }),
    );
    const empty = await cli(['profile', 'show', 'empty.cpuprofile']);
    assert.equal(empty.code, 1);
    assert.match(empty.err, /the profile has no samples/);
  });

  /** `forensics profile cpu` as a real process, interrupted with `signal` once the profiler runs. */
  async function interruptedProfile(signal: NodeJS.Signals, dir: string): Promise<{ code: number | null; err: string }> {
    const main = join(__dirname, '../../../src/cli/main.ts');
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = spawn(
      process.execPath,
      ['--import', tsx, main, 'profile', 'cpu', '--inspect', parse.address, '--seconds', '30', '--out', join(dir, 'i.cpuprofile')],
      { cwd: ws.root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    // Interrupt once the profiler runs: the target says "Debugger attached." when the CLI connects.
    await whenAttached(parse);
    await new Promise((r) => setTimeout(r, 500));
    child.kill(signal);
    return { code: await exited, err };
  }

  async function assertRunsUnpaused(): Promise<void> {
    const before = await ticks(parse);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok((await ticks(parse)) > before, 'the event loop still turns');
  }

  it('Ctrl-C stops a profile cleanly: exit 130, no file, and the process runs on unpaused', async () => {
    const dir = join(ws.root, 'interrupted');
    const { code, err } = await interruptedProfile('SIGINT', dir);
    assert.equal(code, 130, err);
    assert.match(err, /cancelling; stopping the CPU profile \(the process keeps running\)/);
    assert.match(err, /forensics: CPU profile cancelled; the process keeps running and no file was written\n$/);
    assert.equal(existsSync(dir) && readdirSync(dir).length > 0, false);
    await assertRunsUnpaused();
  });

  it("SIGTERM mid-profile: no file, and the process runs on unpaused (V8 drops a session's profile when it disconnects)", async () => {
    const dir = join(ws.root, 'terminated');
    const { code } = await interruptedProfile('SIGTERM', dir);
    assert.notEqual(code, 0);
    assert.equal(existsSync(dir) && readdirSync(dir).length > 0, false);
    await assertRunsUnpaused();
    // Nothing was left recording: a new profile starts and ends normally.
    const again = await cli(['profile', 'cpu', '--inspect', parse.address, '--seconds', '0.3', '--out', 'after-term.cpuprofile']);
    assert.equal(again.code, 0, again.err);
  });
});
