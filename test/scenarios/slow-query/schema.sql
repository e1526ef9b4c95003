-- A catalogue big enough that a sequential scan outlasts the service's statement_timeout.
CREATE TABLE products (code text PRIMARY KEY, supplier_sku text NOT NULL, name text NOT NULL);
INSERT INTO products
  SELECT 'P' || g, 'SUP-' || md5(g::text), 'Product ' || g FROM generate_series(1, 1500000) g;
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, product_code text NOT NULL, supplier_sku text NOT NULL);
CREATE INDEX orders_customer ON orders (customer_id);
INSERT INTO orders (customer_id, product_code, supplier_sku)
  SELECT 1 + g % 5, 'P' || (g * 7919 % 1500000 + 1), 'SUP-' || md5((g * 7919 % 1500000 + 1)::text) FROM generate_series(1, 200) g;
ANALYZE products;
ANALYZE orders;
