// Reports that check out clients through the shared helper in clients.js.
const { getClient } = require('./clients');

async function dailyTotals(day) {
  const client = await getClient(); // BUG pool-client-leak: through a wrapper imported from another module
  const { rows } = await client.query('SELECT sum(total) FROM orders WHERE day = $1', [day]);
  client.release();
  return rows[0];
}

async function weeklyTotals(week) {
  const client = await getClient();
  try {
    return (await client.query('SELECT sum(total) FROM orders WHERE week = $1', [week])).rows[0];
  } finally {
    client.release();
  }
}

module.exports = { dailyTotals, weeklyTotals };
