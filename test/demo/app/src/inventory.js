const { pool } = require('./db');
const { NotFoundError, OutOfStockError } = require('./errors');

async function getItem(sku) {
  const { rows } = await pool.query('SELECT sku, name, stock FROM inventory WHERE sku = $1', [sku]);
  if (rows.length === 0) throw new NotFoundError(sku);
  return rows[0];
}

// Reserve `quantity` units of `sku` for an order.
async function reserveStock(sku, quantity) {
  const { rows } = await pool.query('SELECT stock FROM inventory WHERE sku = $1', [sku]);
  if (rows.length === 0) throw new NotFoundError(sku);
  if (rows[0].stock < quantity) {
    throw new OutOfStockError(sku);
  }
  await pool.query('UPDATE inventory SET stock = stock - $1 WHERE sku = $2', [quantity, sku]);
  return rows[0].stock - quantity;
}

async function restock(sku, quantity) {
  await pool.query('UPDATE inventory SET stock = stock + $1 WHERE sku = $2', [quantity, sku]);
}

module.exports = { getItem, reserveStock, restock };
