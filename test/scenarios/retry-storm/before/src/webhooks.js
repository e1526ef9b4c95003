// Delivers webhooks to customers' endpoints.
const MAX_ATTEMPTS = 5;

async function deliver(url, payload) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    if (res.ok) return attempt;
    if (attempt === MAX_ATTEMPTS) throw new Error(`webhook delivery failed after ${attempt} attempts: ${res.status}`);
    await new Promise((r) => setTimeout(r, 2 ** attempt * 100 * Math.random()));
  }
  return MAX_ATTEMPTS;
}

module.exports = { deliver };
