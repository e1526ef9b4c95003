-- checkout-api schema. Stock can never go negative: the database says so.
CREATE TABLE IF NOT EXISTS inventory (
  sku   text PRIMARY KEY,
  name  text NOT NULL,
  stock integer NOT NULL CHECK (stock >= 0)
);

CREATE TABLE IF NOT EXISTS orders (
  id             bigserial PRIMARY KEY,
  sku            text NOT NULL REFERENCES inventory (sku),
  quantity       integer NOT NULL CHECK (quantity > 0),
  customer_email text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS audit_log (
  id         bigserial PRIMARY KEY,
  order_id   bigint NOT NULL,
  action     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
