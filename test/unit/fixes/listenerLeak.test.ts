// listener-leak: flagged on per-call subscriptions to long-lived emitters, quiet on the
// patterns that clean up; the fixed code run 1000 times keeps the listener count flat.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { assertQuiet, fixed, loadModule, only, runDir } from './ruleHarness';

const scenario = (v: 'before' | 'after') =>
  readFileSync(join(__dirname, '..', '..', 'scenarios', 'emitter-leak', v, 'src', 'prices.js'), 'utf8');

// Server-sent events in an Express router: one subscription per open response.
const sse = `const express = require('express');
const bus = require('../bus');

const router = express.Router();

router.get('/orders/stream', (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  bus.on('order', (order) => {
    res.write(\`data: \${JSON.stringify(order)}\\n\\n\`);
  });
});

module.exports = router;
`;

// The demo's createOrder(): a per-request listener on a process-wide emitter, in an async handler.
const perRequest = `const { EventEmitter } = require('node:events');
const orderEvents = new EventEmitter();

async function createOrder(ctx, { sku }) {
  orderEvents.on('inventory-changed', (changedSku) => {
    if (changedSku === sku) ctx.note(\`inventory changed for \${changedSku}\`);
  });

  await new Promise((resolve) => setImmediate(resolve));
  orderEvents.emit('inventory-changed', sku);
  return { sku };
}

module.exports = { createOrder, orderEvents };
`;

describe('listener-leak', () => {
  let dir: string;
  before(() => (dir = runDir('listener')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('flags the emitter-leak scenario and its fix removes the listener when the socket closes: 1000 connections leave 0 listeners', () => {
    const source = scenario('after');
    const finding = only(source, 'listener-leak');
    assert.equal(finding.range.startLine, source.split('\n').findIndex((l) => l.includes("prices.on('price'")) + 1);
    assert.match(finding.message, /MaxListenersExceededWarning/);
    const out = fixed(source, 'listener-leak');
    assert.match(out, /const onPrice = \(update\) => \{\n {4}if/);
    assert.match(out, /\n {2}prices\.on\('price', onPrice\);\n {2}socket\.on\('close', \(\) => prices\.off\('price', onPrice\)\);\n\}/);

    type Prices = { prices: EventEmitter; publishPrice(s: string, v: number): void; handleConnection(socket: EventEmitter): void };
    const run = (mod: Prices) => {
      const counts: number[] = [];
      let delivered = 0;
      for (let i = 0; i < 1000; i++) {
        const socket = Object.assign(new EventEmitter(), { symbols: new Set(['ACME']), send: () => delivered++ });
        mod.handleConnection(socket);
        mod.publishPrice('ACME', i);
        socket.emit('close');
        counts.push(mod.prices.listenerCount('price'));
      }
      return { max: Math.max(...counts), last: counts[counts.length - 1], delivered };
    };
    {
      const unfixed = loadModule<Prices>(dir, 'unfixed-prices.js', source);
      unfixed.prices.setMaxListeners(0);
      assert.equal(run(unfixed).last, 1000, 'the unfixed code leaks one listener per connection');
    }
    const fixedRun = run(loadModule<Prices>(dir, 'fixed-prices.js', out));
    assert.deepEqual(fixedRun, { max: 0, last: 0, delivered: 1000 }, 'each connection still got its price');
  });

  it('removes a per-request listener in a finally of the async handler: 1000 requests, 0 listeners left, each saw its event', async () => {
    const out = fixed(perRequest, 'listener-leak');
    assert.match(out, /\n {2}try \{\n {4}await new Promise/);
    assert.match(out, /\} finally \{\n {4}orderEvents\.off\('inventory-changed', onInventoryChanged\);\n {2}\}\n\}/);
    const mod = loadModule<{
      createOrder(ctx: { note(s: string): void }, o: { sku: string }): Promise<unknown>;
      orderEvents: EventEmitter;
    }>(dir, 'orders.js', out);
    mod.orderEvents.setMaxListeners(0);
    let notes = 0;
    for (let i = 0; i < 1000; i++) await mod.createOrder({ note: () => notes++ }, { sku: `SKU-${i}` });
    assert.equal(mod.orderEvents.listenerCount('inventory-changed'), 0);
    assert.equal(notes, 1000);
  });

  it('removes a server-sent-events subscription when the request closes', () => {
    const out = fixed(sse, 'listener-leak');
    assert.match(out, /bus\.on\('order', onOrder\);\n {2}req\.on\('close', \(\) => bus\.off\('order', onOrder\)\);/);
  });

  it('offers once() as the non-preferred alternative, and keeps double quotes and no semicolons', () => {
    const code =
      'import { feed } from "./feed"\n\nexport function watch(session: { id: string }) {\n  feed.on("tick", () => console.log(session.id))\n}\n';
    const finding = only(code, 'listener-leak', 'watch.ts');
    assert.ok(finding.fixes.some((f) => /once/.test(f.title) && !f.isPreferred));
    const out = fixed(code, 'listener-leak', 'watch.ts', /once/);
    assert.match(out, /feed\.once\("tick"/);
  });

  it('flags process-wide listeners added per instance in a TypeScript class', () => {
    const code = `export class Job {\n  constructor(private readonly id: string) {\n    process.on('SIGTERM', () => this.cancel());\n  }\n\n  cancel(): void {}\n}\n`;
    only(code, 'listener-leak', 'job.ts');
  });

  // A hub handed to the constructor and shared by every Feed; watch() runs per connection.
  const injectedHub = `class Feed {
  constructor(hub) {
    this.hub = hub;
  }

  watch(socket) {
    this.hub.on('message', (m) => socket.send(m));
  }
}

module.exports = { Feed };
`;

  it('flags a listener on a constructor-injected emitter (this.hub) added per call; its fix removes it when the socket closes: 1000 sockets, 0 listeners', () => {
    const finding = only(injectedHub, 'listener-leak');
    assert.equal(finding.range.startLine, 7);
    assert.ok(
      finding.fixes.every((f) => !f.isPreferred),
      'removing a listener is a suggestion',
    );
    const out = fixed(injectedHub, 'listener-leak', 'service.js', /when socket closes/);
    assert.match(out, /this\.hub\.on\('message', onMessage\);\n {4}socket\.on\('close', \(\) => this\.hub\.off\('message', onMessage\)\);/);
    const run = (source: string, name: string) => {
      const { Feed } = loadModule<{ Feed: new (hub: EventEmitter) => { watch(socket: EventEmitter): void } }>(dir, name, source);
      const hub = new EventEmitter().setMaxListeners(0);
      const feed = new Feed(hub);
      let delivered = 0;
      for (let i = 0; i < 1000; i++) {
        const socket = Object.assign(new EventEmitter(), { send: () => delivered++ });
        feed.watch(socket);
        hub.emit('message', i);
        socket.emit('close');
      }
      return { listeners: hub.listenerCount('message'), delivered };
    };
    assert.equal(run(injectedHub, 'unfixed-feed.js').listeners, 1000);
    assert.deepEqual(
      run(out, 'fixed-feed.js'),
      { listeners: 0, delivered: 1000 },
      'each socket still got the message sent while it was open',
    );
  });

  describe('stays quiet on', () => {
    it('this.x emitters the instance creates, sets per call, or listens to with a handler that holds no call data', () => {
      assertQuiet(injectedHub.replace('this.hub = hub;', 'this.hub = new EventEmitter();'), 'listener-leak');
      assertQuiet(
        injectedHub.replace("    this.hub.on('message'", "    this.hub = socket.hub;\n    this.hub.on('message'"),
        'listener-leak',
      );
      assertQuiet(injectedHub.replace('(m) => socket.send(m)', '(m) => this.count++'), 'listener-leak');
      assertQuiet(injectedHub.replace('  watch(socket) {', '  start(socket) {'), 'listener-leak');
      assertQuiet(
        injectedHub.replace('  watch(socket) {\n', "  watch(socket) {\n    this.hub.removeAllListeners('message');\n"),
        'listener-leak',
      );
    });
    it('the scenario before the breaking change (removed on close)', () => assertQuiet(scenario('before'), 'listener-leak'));
    it('listeners on the connection itself', () =>
      assertQuiet(
        "const server = require('net').createServer();\nserver.on('connection', (socket) => {\n  socket.on('data', (d) => socket.write(d));\n});\n",
        'listener-leak',
      ));
    it('one-time setup (main/init/start)', () =>
      assertQuiet(
        "const bus = require('./bus');\nfunction main() {\n  process.on('SIGINT', () => process.exit(0));\n}\nasync function startWorker(queue) {\n  bus.on('job', (j) => queue.push(j));\n}\nmain();\n",
        'listener-leak',
      ));
    it('once and { signal }', () =>
      assertQuiet(
        "const bus = require('./bus');\nfunction wait(req, signal) {\n  bus.once('done', () => req.end());\n  bus.addEventListener('tick', () => req.write('.'), { signal });\n}\n",
        'listener-leak',
      ));
    it('a local emitter (a spawned child)', () =>
      assertQuiet(
        "const { spawn } = require('child_process');\nfunction run(cmd) {\n  const child = spawn(cmd, []);\n  child.on('exit', (code) => console.log(code));\n}\n",
        'listener-leak',
      ));
    it('instance-owned emitters (this.events)', () =>
      assertQuiet(
        'class Store {\n  constructor(events) {\n    this.events = events;\n    this.events.on("change", () => this.save());\n  }\n}\n',
        'listener-leak',
      ));
    it('a listener removed elsewhere in the file', () =>
      assertQuiet(
        "const bus = require('./bus');\nfunction subscribe(user) {\n  bus.on('msg', user.onMessage);\n}\nfunction unsubscribe(user) {\n  bus.removeListener('msg', user.onMessage);\n}\n",
        'listener-leak',
      ));
  });
});
