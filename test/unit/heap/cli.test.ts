// `forensics heap …` end to end over real snapshots of a real process, and the worker
// thread entry bundled by esbuild as the build does.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runForensics, spawnForensics } from '../harness/cli';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseSnapshots } from '../../../src/core/heap/analyse';
import { compareSnapshotFiles } from '../../../src/core/heap/compare';
import type { CompareStage } from '../../../src/core/heap/compare';
import type { HeapComparison } from '../../../src/core/heap/report';
import { makeTempDir } from '../harness/git';
import { bundleHeapWorkers } from '../../support/heapWorkers';
import { ordersApp, startInspected } from './nodeProcess';
import { captureOrdersSeries } from './snapshots';
import { recordedSessions } from '../../../src/core/heap/sessionRecord';

const cli = (argv: string[], cwd: string) => runForensics(argv, {}, { cwd });

describe('forensics heap (CLI)', function () {
  this.timeout(180000);
  let dir: string;
  let files: string[];
  before(async () => {
    dir = makeTempDir('forensics-heap-cli-');
    files = await captureOrdersSeries(dir, 'leak', 120);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('heap capture writes a snapshot from --inspect HOST:PORT', async () => {
    const app = await startInspected(ordersApp);
    try {
      const r = await cli(['heap', 'capture', '--inspect', app.address, '--out', 'cli.heapsnapshot', '--json'], dir);
      assert.equal(r.code, 0, r.err);
      const [result] = JSON.parse(r.out) as { file: string; bytes: number }[];
      assert.equal(result!.file, join(dir, 'cli.heapsnapshot'));
      assert.ok(existsSync(result!.file) && result!.bytes > 100000);
    } finally {
      await app.stop();
    }
    const bad = await cli(['heap', 'capture', '--inspect', '127.0.0.1:1', '--out', 'x.heapsnapshot'], dir);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^forensics: no Node inspector answers on 127\.0\.0\.1:1/);
  });

  it('heap capture --series records its session, so a later diff matches the three files by id', async () => {
    const app = await startInspected(ordersApp);
    try {
      const r = await cli(
        ['heap', 'capture', '--inspect', app.address, '--series', '--interval', '0', '--out-dir', 'series', '--prefix', 's', '--json'],
        dir,
      );
      assert.equal(r.code, 0, r.err);
      const written = (JSON.parse(r.out) as { file: string }[]).map((x) => x.file);
      assert.equal(written.length, 3);
      const sessions = await recordedSessions(written);
      assert.ok(sessions[0] && sessions.every((id) => id === sessions[0]), `recorded sessions: ${JSON.stringify(sessions)}`);
    } finally {
      await app.stop();
    }
  });

  // Ctrl-C and SIGTERM stop a capture the same way; only the exit code says which signal it was.
  for (const [signal, code, folder] of [
    ['SIGINT', 130, 'interrupted'],
    ['SIGTERM', 143, 'terminated'],
  ] as const) {
    it(`heap capture stops cleanly on ${signal}: exit ${code}, no partial file, and the process lives on`, async () => {
      const app = await startInspected(ordersApp);
      try {
        await app.command('serve 3000');
        const sub = join(dir, folder);
        const { child, exited } = spawnForensics(['heap', 'capture', '--inspect', app.address, '--out', `${folder}/s.heapsnapshot`], dir);
        // The signal once the snapshot is being written (a capture that ends first fails below).
        while (child.exitCode === null && !(existsSync(sub) && readdirSync(sub).some((f) => f.endsWith('.partial'))))
          await new Promise((r) => setTimeout(r, 5));
        child.kill(signal);
        const r = await exited;
        assert.equal(r.code, code, r.err);
        assert.match(r.err, /cancelling; the process finishes the snapshot it has started/);
        assert.match(r.err, /forensics: heap capture cancelled; no snapshot file was left behind\n$/);
        assert.deepEqual(readdirSync(sub), []);
        assert.match(await app.command('serve 1'), /^ok /);
      } finally {
        await app.stop();
      }
    });
  }

  it('--out is checked before connecting: an existing file needs --force, a folder or an unwritable path fails at once', async () => {
    // Nothing listens on port 1: a check made after connecting would report that instead.
    const existing = join(dir, 'kept.heapsnapshot');
    writeFileSync(existing, 'precious');
    const refused = await cli(['heap', 'capture', '--inspect', '127.0.0.1:1', '--out', 'kept.heapsnapshot'], dir);
    assert.equal(refused.code, 2);
    assert.equal(refused.err, `forensics: --out ${existing} already exists; pass --force to replace it, or choose another name\n`);
    assert.equal(readFileSync(existing, 'utf8'), 'precious');
    const folder = await cli(['heap', 'capture', '--inspect', '127.0.0.1:1', '--out', '.'], dir);
    assert.equal(folder.code, 2);
    assert.match(folder.err, /^forensics: --out .* is a folder; give the path of the file to write/);
    const throughFile = await cli(['heap', 'capture', '--inspect', '127.0.0.1:1', '--out', 'kept.heapsnapshot/x.heapsnapshot'], dir);
    assert.equal(throughFile.code, 2);
    assert.match(throughFile.err, /cannot write there: a part of the path is a file, not a folder/);
    const series = await cli(['heap', 'capture', '--inspect', '127.0.0.1:1', '--series', '--out-dir', 'kept.heapsnapshot'], dir);
    assert.equal(series.code, 2);
    assert.match(
      series.err,
      /^forensics: --out-dir .*kept\.heapsnapshot\/heap-.*-baseline\.heapsnapshot: cannot write there: a part of the path is a file/,
    );
    // With --force the check passes and the capture goes on (to the missing inspector here).
    const forced = await cli(['heap', 'capture', '--inspect', '127.0.0.1:1', '--out', 'kept.heapsnapshot', '--force'], dir);
    assert.equal(forced.code, 1);
    assert.match(forced.err, /no Node inspector answers on 127\.0\.0\.1:1/);
    assert.equal(readFileSync(existing, 'utf8'), 'precious', 'a failed capture leaves the old file');
    const app = await startInspected(ordersApp);
    try {
      const replaced = await cli(['heap', 'capture', '--inspect', app.address, '--out', 'kept.heapsnapshot', '--force'], dir);
      assert.equal(replaced.code, 0, replaced.err);
      assert.ok(statSync(existing).size > 100000);
    } finally {
      await app.stop();
    }
  });

  it('Ctrl-C still quits at once a command that does not stop cleanly', async () => {
    // A Sentry that accepts the connection and never answers: the command waits on it.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const { child, exited } = spawnForensics(['sentry', 'issues', '--base-url', `http://127.0.0.1:${port}`, '--org', 'acme'], dir, {
        SENTRY_AUTH_TOKEN: 'sntrys_test',
      });
      await new Promise<void>((r) => silent.once('request', () => r()));
      child.kill('SIGINT');
      const r = await exited;
      assert.equal(r.code, 130, r.err);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('heap leaks prints the leaking class, its retainer path and the suspects', async () => {
    const r = await cli(['heap', 'leaks', ...files, '--top', '5'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Leak check: allocated between baseline and target, still alive in final\nclass +count.*\nRequestContext +120 /);
    assert.match(r.out, /EventEmitter\._events\.inventory-changed -> Array -> closure -> RequestContext {2}\(120 objects/);
    assert.match(r.out, /Suspects:\n {2}- EventEmitter listeners: a listener for 'inventory-changed'/);
  });

  it('heap diff --json gives the report; --fail-on-growth gates with exit 3 and the suspects', async () => {
    const json = await cli(['heap', 'diff', files[0]!, files[2]!, '--json'], dir);
    const report = JSON.parse(json.out) as HeapComparison;
    assert.equal(report.classes[0]!.name, 'RequestContext');
    assert.equal(report.classes[0]!.added, 240);
    // Classes whose new objects only replaced freed ones rank below every class that grew.
    const grew = (c: (typeof report.classes)[number]): boolean => c.countDelta > 0 || c.selfSizeDelta > 0;
    const lastGrowing = report.classes.reduce((last, c, i) => (grew(c) && c.addedRetainedSize > 0 ? i : last), -1);
    const firstStill = report.classes.findIndex((c) => !grew(c));
    assert.ok(
      firstStill > lastGrowing,
      JSON.stringify(report.classes.slice(0, lastGrowing + 2).map((c) => [c.name, c.countDelta, c.selfSizeDelta])),
    );
    const gated = await cli(['heap', 'diff', files[0]!, files[2]!, '--fail-on-growth', '10kB'], dir);
    assert.equal(gated.code, 3);
    assert.match(gated.err, /retained growth .* exceeds 10 kB; suspects:\n {2}- RequestContext: \+240 objects/);
    const passed = await cli(['heap', 'diff', files[0]!, files[2]!, '--fail-on-growth', '1GB'], dir);
    assert.equal(passed.code, 0);
    const badSize = await cli(['heap', 'diff', files[0]!, files[2]!, '--fail-on-growth', 'lots'], dir);
    assert.equal(badSize.code, 2);
    assert.match(badSize.err, /"lots" is not a size/);
  });

  it('bad input: a missing file and a non-snapshot are one-line errors', async () => {
    const missing = await cli(['heap', 'diff', 'nope.heapsnapshot', files[0]!], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^forensics: cannot read .*nope\.heapsnapshot: ENOENT\n$/);
    const one = await cli(['heap', 'diff', files[0]!], dir);
    assert.equal(one.code, 2);
  });

  it('runs the analysis in a worker thread when the bundled worker exists', async () => {
    const out = await bundleHeapWorkers(join(dir, 'workers'));
    const stages: CompareStage[] = [];
    const report = await analyseSnapshots({ files: [files[0]!, files[2]!] }, { workerDir: out, onProgress: (p) => stages.push(p) });
    assert.equal(report.classes[0]!.name, 'RequestContext');
    assert.ok(stages.some((s) => s.stage === 'parse') && stages.some((s) => s.stage === 'analyse'));
    // The earlier snapshots are digested in workers of their own: the comparison is the same
    // as the one made entirely in this thread, with two snapshots and with three.
    for (const set of [[files[0]!, files[2]!], files]) {
      const seen = new Set<number>();
      const offThread = await compareSnapshotFiles(set, { workerDir: out, onProgress: (p) => seen.add(p.index) });
      assert.deepEqual(offThread, await compareSnapshotFiles(set));
      assert.deepEqual(
        [...seen].sort(),
        set.map((_, i) => i),
      );
    }
    await assert.rejects(
      compareSnapshotFiles([join(dir, 'nope.heapsnapshot'), files[0]!], { workerDir: out }),
      /cannot read .*nope\.heapsnapshot: ENOENT/,
    );
    const controller = new AbortController();
    const pending = analyseSnapshots({ files }, { workerDir: out, signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    await assert.rejects(analyseSnapshots({ files: [files[0]!, join(dir, 'nope.heapsnapshot')] }, { workerDir: out }), /ENOENT/);
  });
});
