const http = require('node:http');
const Sentry = require('@sentry/node');
const { createOrder, ordersForCustomer } = require('./orders');
const { RequestContext } = require('./context');
const { HttpError } = require('./errors');

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch (err) {
        reject(new HttpError(400, `invalid JSON: ${err.message}`));
      }
    });
    req.on('error', reject);
  });
}

function send(res, status, payload) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

async function route(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true });
  if (req.method === 'POST' && url.pathname === '/orders') {
    const body = await readBody(req);
    // The customer is the user of any incident this request hits (the scope is per request).
    if (body.email) Sentry.getIsolationScope().setUser({ id: body.email });
    const ctx = new RequestContext(req, body);
    const result = await createOrder(ctx, body);
    return send(res, 201, result);
  }
  if (req.method === 'GET' && url.pathname === '/orders') {
    return send(res, 200, await ordersForCustomer(url.searchParams.get('email')));
  }
  return send(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  route(req, res).catch((err) => {
    if (err instanceof HttpError) return send(res, err.status, { error: err.message });
    console.error(`${req.method} ${req.url} failed: ${err.code ? `[${err.code}] ` : ''}${err.message}`);
    Sentry.captureException(err);
    send(res, 500, { error: 'internal error' });
  });
});

const port = Number(process.env.PORT || 3000);
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`checkout-api listening on http://127.0.0.1:${port}\n`);
});

async function shutdown() {
  server.close();
  await Sentry.close(2000);
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
