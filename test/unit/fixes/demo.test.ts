// The demo service carries one of each bug the demo tells about: the read-then-write in
// reserveStock(), the per-request listener, the pool client released only on success and
// the floating audit write. Each is flagged, and fixing them all leaves a file that parses
// and that no rule flags any more.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, fixAll } from '../../../src/core/fixes';
import { assertParses } from './ruleHarness';

const demo = (file: string) => join(__dirname, '..', '..', 'demo', 'app', 'src', file);

describe('fixes on the demo service', () => {
  it('flags the four demo bugs, each with a preferred fix', () => {
    const found = ['inventory.js', 'orders.js'].flatMap((f) => analyze(readFileSync(demo(f), 'utf8'), demo(f)).map((x) => ({ file: f, rule: x.ruleId, preferred: x.fixes.some((y) => y.isPreferred) })));
    assert.deepEqual(found, [
      { file: 'inventory.js', rule: 'read-then-write', preferred: true },
      { file: 'orders.js', rule: 'listener-leak', preferred: true },
      { file: 'orders.js', rule: 'pool-client-leak', preferred: true },
      { file: 'orders.js', rule: 'floating-promise', preferred: true },
    ]);
  });

  it('fixing everything in orders.js, round after round, leaves a file that parses and is clean', () => {
    const text = readFileSync(demo('orders.js'), 'utf8');
    const { text: out, applied } = fixAll(text, demo('orders.js'));
    assert.deepEqual(applied.map((f) => f.ruleId).sort(), ['floating-promise', 'listener-leak', 'pool-client-leak']);
    assertParses(out, 'orders.js');
    assert.deepEqual(analyze(out, demo('orders.js')).map((f) => f.ruleId), []);
    assert.match(out, /await recordAudit\(orderId, 'created'\);/);
    assert.match(out, /finally \{\n\s+orderEvents\.off\('inventory-changed', onInventoryChanged\);/);
    assert.match(out, /finally \{\n\s+client\.release\(\);/);
  });
});
