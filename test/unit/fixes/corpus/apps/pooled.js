// Pool clients checked out in the other ways real code does it.
const { pool } = require('./db');

function legacyReport(id, cb) {
  pool.connect((err, client, done) => {
    if (err) return cb(err);
    client.query('SELECT * FROM reports WHERE id = $1', [id], (queryErr, result) => {
      if (queryErr) return cb(queryErr); // BUG pool-client-leak: done() never called on error
      done();
      cb(null, result.rows);
    });
  });
}

async function getClient() {
  return pool.connect();
}

async function totals() {
  const client = await getClient(); // BUG pool-client-leak: through a wrapper
  const { rows } = await client.query('SELECT sum(total) FROM orders');
  client.release();
  return rows[0];
}

function latest() {
  return pool.connect().then((client) => // BUG pool-client-leak: promise style
    client.query('SELECT * FROM orders ORDER BY id DESC LIMIT 1').then((r) => {
      client.release();
      return r.rows[0];
    }));
}

async function find(id) {
  const client = await pool.connect(); // BUG pool-client-leak: the early return skips the finally
  if (!id) return null;
  try {
    return (await client.query('SELECT * FROM orders WHERE id = $1', [id])).rows[0];
  } finally {
    client.release();
  }
}

class Feed {
  constructor(hub) {
    this.hub = hub;
  }

  watch(socket) {
    this.hub.on('message', (m) => socket.send(m)); // BUG listener-leak: a long-lived emitter through this.hub
  }
}

module.exports = { legacyReport, totals, latest, find, Feed };
