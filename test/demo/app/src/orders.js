const { pool } = require('./db');
const { reserveStock } = require('./inventory');
const { orderEvents } = require('./events');

async function recordAudit(orderId, action) {
  await pool.query('INSERT INTO audit_log (order_id, action) VALUES ($1, $2)', [orderId, action]);
}

async function createOrder(ctx, { sku, quantity, email }) {
  // Tell this request when inventory changes so the response can mention it.
  orderEvents.on('inventory-changed', (changedSku) => {
    if (changedSku === sku) ctx.note(`inventory changed for ${changedSku}`);
  });

  const remaining = await reserveStock(sku, quantity);

  const client = await pool.connect();
  const { rows } = await client.query(
    'INSERT INTO orders (sku, quantity, customer_email) VALUES ($1, $2, $3) RETURNING id',
    [sku, quantity, email],
  );
  client.release();

  const orderId = rows[0].id;
  recordAudit(orderId, 'created');
  orderEvents.emit('inventory-changed', sku);
  ctx.note(`order ${orderId} created, ${remaining} left`);
  return { orderId, remaining };
}

async function ordersForCustomer(email) {
  const { rows: orders } = await pool.query(
    'SELECT id, sku, quantity, created_at FROM orders WHERE customer_email = $1 ORDER BY created_at DESC',
    [email],
  );
  for (const order of orders) {
    const { rows } = await pool.query('SELECT name FROM inventory WHERE sku = $1', [order.sku]);
    order.name = rows[0] ? rows[0].name : null;
  }
  return orders;
}

module.exports = { createOrder, ordersForCustomer };
