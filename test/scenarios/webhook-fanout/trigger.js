// A customer's receiving endpoints answer 503. Two webhooks are dispatched; every failed
// delivery schedules retries on all five endpoints, which fail too, until the receiver
// recovers. Spans (streamed, the SDK 11 default) and logs go to the local Sentry.
const net = require('node:net');
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production', tracesSampleRate: 1, enableLogs: true });
const { deliver } = require(`${process.cwd()}/src/webhooks.js`);

const HOOKS = ['wh_1001', 'wh_1002'];
// Three failing waves per webhook (1 + 5 + 25 attempts), then the receiver recovers.
const FAILING = HOOKS.length * (1 + 5 + 25);
const TOTAL = HOOKS.length * (1 + 5 + 25 + 125);
let received = 0;
// A raw TCP receiver: the customer's server is not instrumented, only the dispatcher is.
const receiver = net.createServer((socket) => {
  socket.once('data', () => {
    received++;
    socket.end(received > FAILING ? 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  socket.on('error', () => undefined);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

receiver.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${receiver.address().port}`;
  const endpoints = [1, 2, 3, 4, 5].map((n) => `${base}/hooks/order-paid/replica-${n}`);
  await Sentry.startSpan({ name: 'dispatch pending webhooks', op: 'queue.process' }, async () => {
    for (const id of HOOKS) deliver({ id, payload: { event: 'order.paid', id: `ord_${id}` }, endpoints }, endpoints[0]);
    while (received < TOTAL) await sleep(20);
    // The last deliveries' spans end once their responses are read.
    await sleep(200);
  });
  receiver.close();
  await Sentry.flush(10000);
  process.exit(0);
});
