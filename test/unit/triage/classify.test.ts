import { strict as assert } from 'node:assert';
import { classify } from '../../../src/core/triage/classify';
import type { Evidence } from '../../../src/core/triage/evidence';

function evidence(partial: Partial<Evidence> & { error?: [string, string]; mechanism?: string }): Evidence {
  const [type, value] = partial.error ?? ['Error', 'something failed'];
  return {
    incident: {
      id: '1',
      title: `${type}: ${value}`,
      count: 120,
      userCount: 40,
      firstSeen: '2026-11-20T10:00:00Z',
      lastSeen: '2026-11-20T12:00:00Z',
    },
    event: {
      exceptions: [
        {
          type,
          value,
          mechanism: partial.mechanism ? { type: partial.mechanism, handled: false } : undefined,
          frames: [{ function: 'handler', filename: 'src/a.js', lineNo: 3, inApp: true }],
        },
      ],
    },
    ...partial,
  };
}

describe('triage: classification', () => {
  it('calls a 23514 at a read-then-write a race with high confidence', () => {
    const e = evidence({
      error: ['error', 'new row for relation "inventory" violates check constraint "inventory_stock_check"'],
      failurePoint: { frame: { function: 'reserveStock' }, file: 'src/inventory.js', line: 16 },
      findings: [{ ruleId: 'read-then-write', message: 'stock read, checked in JS, written back', file: 'src/inventory.js', line: 13 }],
    });
    const [top] = classify(e);
    assert.equal(top.bugClass, 'race-condition');
    assert.equal(top.confidence, 'high');
    assert.ok(top.evidence.some((x) => x.includes('23514')));
    assert.ok(top.evidence.some((x) => x.includes('read-then-write')));
  });

  it('without the code finding, a 23514 alone is a race with medium confidence and says how to confirm', () => {
    const [top] = classify(evidence({ error: ['error', 'new row violates check constraint "c"'] }));
    assert.equal(top.bugClass, 'race-condition');
    assert.equal(top.confidence, 'medium');
    assert.ok(top.toConfirm.length > 0);
  });

  it('names a leak from heap growth and a listener finding', () => {
    const [top] = classify(
      evidence({
        error: ['MaxListenersExceededWarning', 'Possible EventEmitter memory leak detected. 11 inventory-changed listeners added'],
        heap: {
          growthBytes: 80 * 1024 * 1024,
          leakedBytes: 60 * 1024 * 1024,
          suspects: [{ className: 'RequestContext', countDelta: 5000, sizeDelta: 60e6 }],
        },
      }),
    );
    assert.equal(top.bugClass, 'resource-leak');
    assert.equal(top.confidence, 'high');
  });

  it('names pool exhaustion from the pg-pool timeout and idle-in-transaction sessions', () => {
    const [top] = classify(
      evidence({
        error: ['Error', 'timeout exceeded when trying to connect'],
        database: { activity: { total: 18, maxConnections: 20, idleInTransaction: 9, waiting: 0 } },
      }),
    );
    assert.equal(top.bugClass, 'pool-exhaustion');
    assert.equal(top.confidence, 'high');
  });

  it('tells null access, unhandled rejections, slow queries, oversized payloads and configuration apart', () => {
    assert.equal(
      classify(evidence({ error: ['TypeError', "Cannot read properties of undefined (reading 'id')"] }))[0].bugClass,
      'null-access',
    );
    assert.equal(
      classify(evidence({ error: ['Error', 'boom'], mechanism: 'auto.node.onunhandledrejection' }))[0].bugClass,
      'unhandled-rejection',
    );
    assert.equal(classify(evidence({ error: ['error', 'canceling statement due to statement timeout'] }))[0].bugClass, 'slow-query');
    assert.equal(classify(evidence({ error: ['RangeError', 'Invalid string length'] }))[0].bugClass, 'oversized-payload');
    assert.equal(classify(evidence({ error: ['Error', 'connect ECONNREFUSED 10.0.0.5:5432'] }))[0].bugClass, 'configuration-error');
  });

  it('returns no candidate when nothing points anywhere', () => {
    assert.deepEqual(classify(evidence({ error: ['Error', 'something odd'] })), []);
  });
});
