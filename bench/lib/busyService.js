// A busy HTTP service for the inspector-overhead bench: every request builds an order,
// serialises and re-parses it (about a millisecond of JavaScript), on loopback only.
// Prints "port <n>" once listening.
const http = require('node:http');

function handle(id) {
  const order = { id, lines: Array.from({ length: 200 }, (_, i) => ({ sku: `sku-${i}`, qty: (i * 7) % 5, price: i * 1.25 })) };
  const copy = JSON.parse(JSON.stringify(order));
  return copy.lines.reduce((sum, l) => sum + l.qty * l.price, 0);
}

let served = 0;
const server = http.createServer((req, res) => {
  const total = handle(served++);
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(String(total));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
