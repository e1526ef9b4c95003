const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

// A customer's recent orders with product names, now matched on the supplier's SKU.
async function recentOrders(customerId) {
  const { rows: orders } = await pool.query(
    'SELECT id, product_code, supplier_sku FROM orders WHERE customer_id = $1 ORDER BY id DESC LIMIT 20',
    [customerId],
  );
  for (const order of orders) {
    const { rows } = await pool.query('SELECT name FROM products WHERE supplier_sku = $1', [order.supplier_sku]);
    order.name = rows[0] ? rows[0].name : null;
  }
  return orders;
}

module.exports = { pool, recentOrders };
