// Loaded with --require before anything else, as @sentry/node asks.
const Sentry = require('@sentry/node');

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  release: process.env.SENTRY_RELEASE || 'checkout-api@1.4.0',
  environment: process.env.SENTRY_ENVIRONMENT || 'production',
  sendDefaultPii: false,
  tracesSampleRate: 0,
  // Dedupe drops an event identical to the one sent just before it. The demo's rush fails
  // the same way dozens of times in a row, so with it the incident would stay at one event;
  // every failed checkout is an event here, as it is for a service with mixed traffic.
  integrations: (defaults) => defaults.filter((integration) => integration.name !== 'Dedupe'),
});
