// The product catalogue has grown; the service's role runs with a statement_timeout.
// Listing orders now looks up each product by a column without an index.
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production' });
const { recentOrders, pool } = require(`${process.cwd()}/src/orders.js`);

async function main() {
  for (let i = 1; i <= 3; i++) {
    Sentry.setUser({ id: `customer-${i}` });
    await recentOrders(i).catch((err) => Sentry.captureException(err));
  }
  await Sentry.close(3000);
  await pool.end();
  process.exit(0);
}
main();
