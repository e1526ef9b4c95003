// The demo service carries one of each bug the demo tells about: the read-then-write in
// reserveStock(), the per-request listener, the pool client released only on success and
// the floating audit write. Each is flagged, and fixing them all leaves a file that parses
// and that no rule flags any more.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, applyFix, fixAll } from '../../../src/core/fixes';
import { assertParses } from './ruleHarness';

const demo = (file: string) => join(__dirname, '..', '..', 'demo', 'app', 'src', file);

describe('fixes on the demo service', () => {
  it('flags the four demo bugs, each with a fix offered as a reviewed suggestion (each can change behaviour)', () => {
    const found = ['inventory.js', 'orders.js'].flatMap((f) =>
      analyze(readFileSync(demo(f), 'utf8'), demo(f)).map((x) => ({
        file: f,
        rule: x.ruleId,
        fixes: x.fixes.length,
        preferred: x.fixes.some((y) => y.isPreferred),
      })),
    );
    assert.deepEqual(found, [
      { file: 'inventory.js', rule: 'read-then-write', fixes: 1, preferred: false },
      { file: 'orders.js', rule: 'listener-leak', fixes: 2, preferred: false },
      { file: 'orders.js', rule: 'pool-client-leak', fixes: 1, preferred: false },
      { file: 'orders.js', rule: 'floating-promise', fixes: 2, preferred: false },
    ]);
  });

  it('--fix / "Fix all" applies none of them; applying each first suggestion, round after round, leaves a file that parses and is clean', () => {
    const text = readFileSync(demo('orders.js'), 'utf8');
    assert.deepEqual(fixAll(text, demo('orders.js')).applied, [], 'no demo fix is safe to apply unreviewed');
    let out = text;
    const applied: string[] = [];
    for (let round = 0; round < 5; round++) {
      const next = analyze(out, demo('orders.js')).find((f) => f.fixes.length > 0);
      if (!next) break;
      applied.push(next.ruleId);
      out = applyFix(out, next.fixes[0]);
    }
    assert.deepEqual(applied.sort(), ['floating-promise', 'listener-leak', 'pool-client-leak']);
    assertParses(out, 'orders.js');
    assert.deepEqual(
      analyze(out, demo('orders.js')).map((f) => f.ruleId),
      [],
    );
    assert.match(out, /await recordAudit\(orderId, 'created'\);/);
    assert.match(out, /finally \{\n\s+orderEvents\.off\('inventory-changed', onInventoryChanged\);/);
    assert.match(out, /finally \{\n\s+client\.release\(\);/);
  });
});
