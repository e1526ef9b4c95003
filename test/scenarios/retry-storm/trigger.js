// A customer's endpoint starts answering 429. The deliverer hammers it; each failure is
// reported. The trigger stops the storm after a bounded number of attempts.
const http = require('node:http');
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production' });
const { deliver } = require(`${process.cwd()}/src/webhooks.js`);

const LIMIT = 60;
let received = 0;
const receiver = http.createServer((req, res) => {
  received++;
  req.resume();
  res.writeHead(received > LIMIT ? 200 : 429, { 'retry-after': '30' });
  res.end();
});
receiver.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${receiver.address().port}/hooks/order-paid`;
  Sentry.setUser({ id: 'merchant-17' });
  await deliver(url, { event: 'order.paid', id: 'ord_1' }, (err) => Sentry.captureException(err));
  receiver.close();
  await Sentry.close(5000);
  process.exit(0);
});
