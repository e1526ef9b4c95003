// An audit writer other modules import (orders.js calls it without await).
const { pool } = require('./db');

async function writeAudit(orderId, action) {
  await pool.query('INSERT INTO audit (order_id, action) VALUES ($1, $2)', [orderId, action]);
}

module.exports = { writeAudit };
