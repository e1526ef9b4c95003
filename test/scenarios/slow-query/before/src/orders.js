const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

// A customer's recent orders with product names.
async function recentOrders(customerId) {
  const { rows } = await pool.query(
    `SELECT o.id, o.product_code, p.name
       FROM orders o JOIN products p ON p.code = o.product_code
      WHERE o.customer_id = $1
      ORDER BY o.id DESC LIMIT 20`,
    [customerId],
  );
  return rows;
}

module.exports = { pool, recentOrders };
