const { pool } = require('./db');
const { NotFoundError, OutOfStockError } = require('./errors');

async function getItem(sku) {
  const { rows } = await pool.query('SELECT sku, name, stock FROM inventory WHERE sku = $1', [sku]);
  if (rows.length === 0) throw new NotFoundError(sku);
  return rows[0];
}

// Reserve `quantity` units of `sku` for an order. The row lock makes concurrent
// reservations of the same SKU wait for each other.
async function reserveStock(sku, quantity) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT stock FROM inventory WHERE sku = $1 FOR UPDATE', [sku]);
    if (rows.length === 0) throw new NotFoundError(sku);
    if (rows[0].stock < quantity) throw new OutOfStockError(sku);
    await client.query('UPDATE inventory SET stock = stock - $1 WHERE sku = $2', [quantity, sku]);
    await client.query('COMMIT');
    return rows[0].stock - quantity;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

async function restock(sku, quantity) {
  await pool.query('UPDATE inventory SET stock = stock + $1 WHERE sku = $2', [quantity, sku]);
}

module.exports = { getItem, reserveStock, restock };
