// Capture never hangs: an inspector that accepts and never answers, one that never finishes
// the WebSocket handshake, and a real target stopped with SIGSTOP mid-snapshot all end in a
// clear error within the bound given, with no partial file left.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { captureHeapSnapshot } from '../../../src/core/heap/capture';
import { makeTempDir } from '../harness/git';
import { runForensics, spawnForensics } from '../harness/cli';
import { ordersApp, startInspected, type InspectedProcess } from './nodeProcess';

/** An HTTP server answering /json/list like Node's inspector, with one target at `wsUrl(port)`. */
async function fakeInspectorList(wsUrl: (port: number) => string): Promise<{ server: Server; address: string }> {
  const server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    if (req.url !== '/json/list') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify([{ id: 'silent-1', title: 'silent', type: 'node', url: 'file:///silent.js', webSocketDebuggerUrl: wsUrl(port) }]),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('heap capture: bounded waits (real sockets, a real stopped process)', function () {
  this.timeout(60_000);
  let dir: string;
  const closers: (() => void)[] = [];
  before(() => (dir = makeTempDir('forensics-heap-timeouts-')));
  after(() => {
    for (const close of closers.splice(0)) close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an inspector that accepts the session and never answers fails the capture after the command timeout', async () => {
    const { server, address } = await fakeInspectorList((port) => `ws://127.0.0.1:${port}/silent-1`);
    // The WebSocket upgrade succeeds; every command is read and never answered.
    const wss = new WebSocketServer({ server });
    const received: string[] = [];
    wss.on('connection', (socket) => socket.on('message', (m) => received.push(String(m))));
    closers.push(() => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.close();
    });
    const out = join(dir, 'silent.heapsnapshot');
    const started = Date.now();
    await assert.rejects(
      captureHeapSnapshot({ address, outFile: out, timeouts: { commandTimeoutMs: 400 } }),
      /the inspector on 127\.0\.0\.1:\d+ did not answer HeapProfiler\.enable within 400 ms \(is the process stopped or hung\?\)/,
    );
    assert.ok(Date.now() - started < 5000);
    assert.match(received[0] ?? '', /"method":"HeapProfiler\.enable"/);
    assert.equal(existsSync(out), false);

    // The CLI's --timeout sets the same bound.
    const cli = await runForensics(
      ['heap', 'capture', '--inspect', address, '--out', 'silent-cli.heapsnapshot', '--timeout', '1'],
      {},
      { cwd: dir },
    );
    assert.equal(cli.code, 1);
    assert.match(cli.err, /^forensics: the inspector on 127\.0\.0\.1:\d+ did not answer HeapProfiler\.enable within 1000 ms/);
  });

  it('a port that accepts the connection and never finishes the WebSocket handshake fails too', async () => {
    const sockets: Socket[] = [];
    const mute: TcpServer = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const mutePort = (mute.address() as AddressInfo).port;
    const { server, address } = await fakeInspectorList(() => `ws://127.0.0.1:${mutePort}/silent-1`);
    closers.push(() => {
      for (const s of sockets) s.destroy();
      mute.close();
      server.close();
    });
    await assert.rejects(
      captureHeapSnapshot({ address, outFile: join(dir, 'mute.heapsnapshot'), timeouts: { commandTimeoutMs: 400 } }),
      /cannot connect to ws:\/\/127\.0\.0\.1:\d+\/silent-1: Opening handshake has timed out/,
    );
    assert.equal(sockets.length, 1);
  });

  describe('a capture whose own process exits mid-snapshot', () => {
    let target: InspectedProcess;
    before(async () => {
      target = await startInspected(ordersApp);
      await target.command('serve 3000');
    });
    after(async () => {
      await target?.stop();
    });

    it('a process that exits in the middle of a capture (process.exit, a second Ctrl-C) removes its partial file', async () => {
      const sub = join(dir, 'exiting');
      // A real process running the capture, which exits on its own while the snapshot streams.
      const script = `
        const { captureHeapSnapshot } = require(${JSON.stringify(join(__dirname, '../../../src/core/heap/capture.ts'))});
        let exiting = false;
        void captureHeapSnapshot({ address: process.argv[1], outFile: process.argv[2], onProgress: (p) => {
          if (p.phase === 'writing' && !exiting) { exiting = true; console.log('writing'); process.exit(7); }
        } });`;
      const child = spawn(
        process.execPath,
        ['--import', pathToFileURL(require.resolve('tsx')).href, '-e', script, target.address, join(sub, 'e.heapsnapshot')],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.once('close', r));
      assert.equal(code, 7, err);
      assert.equal(out, 'writing\n');
      assert.deepEqual(readdirSync(sub), []);
    });
  });

  describe('a target stopped with SIGSTOP mid-snapshot', () => {
    let app: InspectedProcess;
    const resume = (): void => {
      // Never leave a stopped process behind, whatever the test did.
      if (app?.child.pid && app.child.exitCode === null) process.kill(app.child.pid, 'SIGCONT');
    };
    before(async () => {
      app = await startInspected(ordersApp);
      await app.command('serve 3000');
    });
    after(async () => {
      resume();
      await app?.stop();
    });

    it('fails after the stall timeout with the likely cause, and removes the partial file', async () => {
      const sub = join(dir, 'stopped');
      const out = join(sub, 'stopped.heapsnapshot');
      let stopped = false;
      const attempt = captureHeapSnapshot({
        address: app.address,
        outFile: out,
        // Long enough that a busy shared machine's own pauses (the GC before a snapshot) never
        // count as a stall; only the stop does.
        timeouts: { stallTimeoutMs: 5000 },
        onProgress: (p) => {
          // Stopped once V8 is producing the snapshot: the stream goes silent, not the session.
          if (!stopped && (p.phase === 'writing' || (p.phase === 'snapshotting' && p.total > 0))) {
            stopped = true;
            process.kill(app.child.pid!, 'SIGSTOP');
          }
        },
      });
      try {
        const started = Date.now();
        await assert.rejects(
          attempt,
          /the inspector on 127\.0\.0\.1:\d+ sent nothing for 5 s during the snapshot \(is the process stopped, e\.g\. by SIGSTOP, or hung\?\); no file was kept/,
        );
        assert.ok(stopped, 'the target was stopped mid-snapshot');
        assert.ok(Date.now() - started < 30_000);
        assert.deepEqual(readdirSync(sub), [], 'no partial file is left');
      } finally {
        resume();
      }
    });

    it('the forensics process itself exits (1, no file) instead of hanging on the stopped target', async () => {
      // A fresh target: the one above may have been cut off mid-snapshot when it stayed silent.
      await app.stop();
      app = await startInspected(ordersApp);
      await app.command('serve 3000');
      const sub = join(dir, 'stopped-cli');
      const { child, exited } = spawnForensics(
        ['heap', 'capture', '--inspect', app.address, '--out', 'stopped-cli/s.heapsnapshot', '--timeout', '5'],
        dir,
      );
      try {
        while (child.exitCode === null && !(existsSync(sub) && readdirSync(sub).some((f) => f.endsWith('.partial'))))
          await new Promise((r) => setTimeout(r, 5));
        process.kill(app.child.pid!, 'SIGSTOP');
        const r = await exited;
        assert.equal(r.code, 1, r.err);
        assert.match(r.err, /forensics: the inspector on 127\.0\.0\.1:\d+ sent nothing for 5 s during the snapshot/);
        assert.deepEqual(readdirSync(sub), []);
      } finally {
        resume();
        child.kill('SIGKILL');
      }
    });
  });
});
