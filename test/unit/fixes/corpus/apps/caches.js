// Caches that look unbounded but are not: a constant key, a fixed built-in table, and a
// map bounded by another method of the same class. None of these may be flagged.
const { METHODS, STATUS_CODES } = require('http');

const DEPRECATION = 'v1-orders-api';
const warned = new Set();
const reasons = {};
const allowed = new Map();
const recent = new Map();

function legacyOrders(req, res) {
  if (!warned.has(DEPRECATION)) console.warn('the v1 orders API is deprecated');
  warned.add(DEPRECATION);
  res.end();
}

function reasonOf(res) {
  Object.keys(STATUS_CODES).forEach((code) => {
    reasons[code] = STATUS_CODES[code].toUpperCase();
  });
  return reasons[res.statusCode];
}

function isAllowed(req) {
  for (const method of METHODS) allowed.set(method, method.toLowerCase());
  return allowed.has(req.method);
}

class RecentOrders {
  remember(order) {
    recent.set(order.id, order);
    this.trim();
  }

  trim() {
    while (recent.size > 100) recent.delete(recent.keys().next().value);
  }
}

module.exports = { legacyOrders, reasonOf, isAllowed, RecentOrders };
