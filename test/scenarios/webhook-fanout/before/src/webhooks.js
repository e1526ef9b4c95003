// Delivers webhooks to customers' endpoints, retrying a failed delivery a few times with
// growing delays before giving up.
const Sentry = require('@sentry/node');

const RETRY_DELAYS_MS = [1000, 5000, 30000];

async function deliver(hook, url, attempt = 1) {
  const attributes = { webhook_id: hook.id, attempt, 'code.function': 'deliver' };
  await Sentry.startSpan({ name: 'deliver webhook', op: 'webhook.deliver', attributes }, async () => {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(hook.payload), headers: { 'content-type': 'application/json' } })
      .catch((err) => ({ ok: false, status: 0, statusText: err.message }));
    if (res.ok) return;
    Sentry.logger.warn(Sentry.logger.fmt`webhook ${hook.id} delivery failed: ${res.status} (attempt ${attempt})`, { webhook_id: hook.id, attempt });
    if (attempt <= RETRY_DELAYS_MS.length) setTimeout(() => deliver(hook, url, attempt + 1), RETRY_DELAYS_MS[attempt - 1]);
  });
}

module.exports = { deliver };
