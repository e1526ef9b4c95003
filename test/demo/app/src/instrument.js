// Loaded with --require before anything else, as @sentry/node asks.
const Sentry = require('@sentry/node');

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  release: process.env.SENTRY_RELEASE || 'checkout-api@1.4.0',
  environment: process.env.SENTRY_ENVIRONMENT || 'production',
  sendDefaultPii: false,
  tracesSampleRate: 0,
});
