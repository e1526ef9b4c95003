// Clients connect and disconnect, as they do all day. Node warns when the feed has more
// listeners than it should; the service reports process warnings to Sentry.
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production' });
process.on('warning', (warning) => Sentry.captureException(warning));

const { EventEmitter } = require('node:events');
const { handleConnection, publishPrice } = require(`${process.cwd()}/src/prices.js`);

for (let i = 0; i < 25; i++) {
  const socket = new EventEmitter();
  socket.symbols = new Set(['ACME']);
  socket.send = () => undefined;
  handleConnection(socket);
  publishPrice('ACME', 100 + i);
  socket.emit('close');
}
setTimeout(() => Sentry.close(3000).then(() => process.exit(0)), 200);
