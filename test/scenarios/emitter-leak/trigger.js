// Clients connect and disconnect, as they do all day. Node warns when the feed has more
// listeners than it should; the service reports process warnings to Sentry.
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production' });
// With LOG_FILE set, the service also writes its JSON-lines log with pino, as it does in production.
const pino = process.env.LOG_FILE ? require('pino') : undefined;
const logger = pino ? pino({ base: { service: 'prices' } }, pino.destination({ dest: process.env.LOG_FILE, sync: true })) : undefined;
process.on('warning', (warning) => {
  Sentry.captureException(warning);
  logger?.warn({ err: warning }, warning.message);
});

const { EventEmitter } = require('node:events');
const { handleConnection, publishPrice } = require(`${process.cwd()}/src/prices.js`);

for (let i = 0; i < 25; i++) {
  const socket = new EventEmitter();
  socket.symbols = new Set(['ACME']);
  socket.send = () => undefined;
  handleConnection(socket);
  logger?.info({ client_id: `client-${i}` }, `client client-${i} connected`);
  publishPrice('ACME', 100 + i);
  socket.emit('close');
}
setTimeout(() => Sentry.close(3000).then(() => process.exit(0)), 200);
