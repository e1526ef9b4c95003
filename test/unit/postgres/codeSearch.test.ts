// "Find in workspace" over the demo service's real source: a statement as
// pg_stat_statements records it leads to the line that sends it.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scoreFile, statementSearchTerms } from '../../../src/core/postgres/codeSearch';

const src = join(__dirname, '..', '..', 'demo', 'app', 'src');
const files = readdirSync(src)
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({ name: f, text: readFileSync(join(src, f), 'utf8') }));

function best(sql: string): { file: string; line: number; reason: string } | null {
  const terms = statementSearchTerms(sql);
  const ranked = files
    .map((f) => ({ file: f.name, match: scoreFile(f.text, terms) }))
    .filter((x) => x.match !== null)
    .sort((a, b) => (b.match?.score ?? 0) - (a.match?.score ?? 0));
  return ranked[0]?.match ? { file: ranked[0].file, line: ranked[0].match.line + 1, reason: ranked[0].match.reason } : null;
}

describe('find a statement in the workspace', () => {
  it('reads the tables and the opening words of a statement', () => {
    assert.deepEqual(statementSearchTerms('SELECT o.id FROM public.orders o JOIN "Inventory" i ON i.sku = o.sku WHERE o.id = $1'), {
      tables: ['orders', 'inventory'],
      fragment: ['SELECT', 'o.id', 'FROM', 'public.orders', 'o', 'JOIN', '"Inventory"', 'i', 'ON', 'i.sku', '=', 'o.sku'],
    });
    assert.deepEqual(statementSearchTerms('UPDATE inventory SET stock = stock - $1 WHERE sku = $2').tables, ['inventory']);
    assert.equal(statementSearchTerms('SELECT $1').fragment, null);
  });

  it('finds the line that sends a statement, also when the code splits it over lines', () => {
    assert.deepEqual(best('SELECT stock FROM inventory WHERE sku = $1'), { file: 'inventory.js', line: 12, reason: 'statement text' });
    assert.deepEqual(best('SELECT name FROM inventory WHERE sku = $1'), { file: 'orders.js', line: 37, reason: 'statement text' });
    assert.deepEqual(best('SELECT id, sku, quantity, created_at FROM orders WHERE customer_email = $1 ORDER BY created_at DESC'), {
      file: 'orders.js',
      line: 33,
      reason: 'statement text',
    });
  });

  it('falls back to the files that use its tables in SQL', () => {
    const found = best('DELETE FROM audit_log WHERE created_at < $1');
    assert.deepEqual(found, { file: 'orders.js', line: 6, reason: 'table names' });
    assert.equal(best('SELECT * FROM nowhere_table'), null);
  });
});
