// The checkout helper other modules import (reports.js), and the correct ways to use a
// pooled client in the callback and promise styles: none of these may be flagged.
const { pool } = require('./db');

async function getClient() {
  return pool.connect();
}

function countOrders(cb) {
  pool.connect((err, client, done) => {
    if (err) return cb(err);
    client.query('SELECT count(*) FROM orders', (queryErr, result) => {
      done(queryErr);
      if (queryErr) return cb(queryErr);
      cb(null, Number(result.rows[0].count));
    });
  });
}

function oldest() {
  return pool.connect().then((client) =>
    client.query('SELECT * FROM orders ORDER BY id LIMIT 1').finally(() => client.release()));
}

class Relay {
  constructor(hub) {
    this.hub = hub;
    this.hub.on('message', (m) => this.forward(m));
  }

  forward(m) {
    return m;
  }

  attach(socket) {
    const onMessage = (m) => socket.send(m);
    this.hub.on('message', onMessage);
    socket.on('close', () => this.hub.off('message', onMessage));
  }
}

module.exports = { getClient, countOrders, oldest, Relay };
