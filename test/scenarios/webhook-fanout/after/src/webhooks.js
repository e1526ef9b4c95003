// Delivers webhooks to customers' endpoints. A webhook must never be dropped: a failed
// delivery is retried on every endpoint the customer registered, so one bad replica
// cannot lose it.
const Sentry = require('@sentry/node');

const RETRY_DELAY_MS = 150;

async function deliver(hook, url, attempt = 1) {
  const attributes = { webhook_id: hook.id, attempt, 'code.function': 'deliver' };
  await Sentry.startSpan({ name: 'deliver webhook', op: 'webhook.deliver', attributes }, async () => {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(hook.payload), headers: { 'content-type': 'application/json' } })
      .catch((err) => ({ ok: false, status: 0, statusText: err.message }));
    if (res.ok) return;
    Sentry.logger.warn(Sentry.logger.fmt`webhook ${hook.id} delivery failed: ${res.status} (attempt ${attempt})`, { webhook_id: hook.id, attempt });
    scheduleRetries(hook, attempt);
  });
}

function scheduleRetries(hook, attempt) {
  for (const url of hook.endpoints) setTimeout(() => deliver(hook, url, attempt + 1), RETRY_DELAY_MS);
}

module.exports = { deliver };
