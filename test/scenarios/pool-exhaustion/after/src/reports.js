const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2, connectionTimeoutMillis: 500 });

async function salesReport(from, to) {
  const client = await pool.connect();
  if (new Date(from) > new Date(to)) {
    throw new RangeError(`report range is reversed: ${from} > ${to}`);
  }
  const { rows } = await client.query('SELECT $1::date AS from_day, $2::date AS to_day, 0 AS total', [from, to]);
  client.release();
  return rows[0];
}

module.exports = { pool, salesReport };
