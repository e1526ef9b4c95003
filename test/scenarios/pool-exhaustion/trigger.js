// A few users pick a reversed date range (a 400 each), then everyone else's report hangs
// until the pool gives up: every connection was checked out and never returned.
const Sentry = require('@sentry/node');
Sentry.init({ dsn: process.env.SENTRY_DSN, release: process.env.SENTRY_RELEASE, environment: 'production' });
const { salesReport } = require(`${process.cwd()}/src/reports.js`);

async function main() {
  for (const [from, to] of [['2026-11-10', '2026-11-01'], ['2026-10-31', '2026-10-01']]) {
    await salesReport(from, to).catch(() => undefined); // a validation error, answered with 400
  }
  for (let i = 0; i < 3; i++) {
    Sentry.setUser({ id: `user-${i}` });
    await salesReport('2026-11-01', '2026-11-10').catch((err) => Sentry.captureException(err));
  }
  await Sentry.close(3000);
  // pool.end() would wait for the leaked clients forever: exit as a crashed worker does.
  process.exit(0);
}
main();
