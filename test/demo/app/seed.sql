INSERT INTO inventory (sku, name, stock) VALUES
  ('SKU-1001', 'Espresso grinder', 5),
  ('SKU-1002', 'Pour-over kettle', 40),
  ('SKU-1003', 'Paper filters (100)', 500)
ON CONFLICT (sku) DO UPDATE SET stock = EXCLUDED.stock;
