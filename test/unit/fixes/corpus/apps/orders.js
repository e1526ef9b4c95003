// A small order service with the bug shapes seen in incidents. Each line marked BUG is
// listed in ../labels.json with the rule that should flag it.
const express = require('express');
const { pool } = require('./db');
const { writeAudit } = require('./audit');
const bus = require('./bus');

const app = express();
const sessions = new Map();

async function recordAudit(orderId, action) {
  await pool.query('INSERT INTO audit (order_id, action) VALUES ($1, $2)', [orderId, action]);
}

async function createOrder(req, res) {
  const client = await pool.connect(); // BUG pool-client-leak: the query can throw before release
  const { rows } = await client.query('INSERT INTO orders (sku) VALUES ($1) RETURNING id', [req.body.sku]);
  client.release();
  recordAudit(rows[0].id, 'created'); // BUG floating-promise
  res.json({ id: rows[0].id });
}

async function reserve(req, res) {
  const { rows } = await pool.query('SELECT stock FROM inventory WHERE sku = $1', [req.body.sku]);
  if (rows[0].stock < req.body.quantity) return res.status(409).end();
  await pool.query('UPDATE inventory SET stock = $1 WHERE sku = $2', [rows[0].stock - req.body.quantity, req.body.sku]); // BUG read-then-write
  res.end();
}

async function subscribe(req, res) {
  bus.on('order-updated', (order) => res.write(JSON.stringify(order))); // BUG listener-leak
  res.flushHeaders();
}

function remember(req) {
  sessions.set(req.params.user, { seen: Date.now() }); // BUG unbounded-cache
}

async function notify(order) {
  while (true) {
    try {
      return await fetch('https://hooks.example/orders', { method: 'POST', body: JSON.stringify(order) });
    } catch (err) {
      console.warn('retrying', err); // BUG unbounded-retry (the loop above)
    }
  }
}

function heartbeat(socket) {
  setInterval(() => socket.write('ping'), 30_000); // BUG interval-leak
}

async function signUp(email) {
  const { rows } = await pool.query('SELECT id FROM users WHERE email = $1', [email]);
  if (rows.length > 0) return { created: false };
  await pool.query('INSERT INTO users (email) VALUES ($1)', [email]); // BUG check-then-insert
  return { created: true };
}

async function cancelOrder(req, res) {
  await pool.query('UPDATE orders SET state = $1 WHERE id = $2', ['cancelled', req.params.id]);
  writeAudit(req.params.id, 'cancelled'); // BUG floating-promise: imported async function, not awaited
  res.end();
}

function ship(req, res) {
  recordAudit(req.params.id, 'shipped'); // BUG floating-promise: bare promise in a non-async handler
  res.end();
}

module.exports = { app, createOrder, reserve, subscribe, remember, notify, heartbeat, signUp, cancelOrder, ship };
