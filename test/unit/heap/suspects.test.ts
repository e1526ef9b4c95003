// The panel's ranking model on the rows of the demo's heap diff as the issue saw them:
// V8 internals and Node's Buffer grew far more than the leaking RequestContext.
import { strict as assert } from 'node:assert';
import { chartRows, isApplicationClass, RUNTIME_ROW, topSuspect, type RankedClass } from '../../../src/core/heap/suspects';

const MB = 1024 * 1024;
const row = (name: string, internal: boolean, retainedSizeDelta: number, countDelta: number, url?: string): RankedClass => ({
  name,
  internal,
  retainedSizeDelta,
  countDelta,
  selfSizeDelta: retainedSizeDelta / 2,
  location: url ? { url } : undefined,
});
// In the order the core ranked them when ids did not match (by self-size growth).
const demo: RankedClass[] = [
  row('(concatenated string)', true, 120 * MB, 900_000),
  row('(string)', true, 110 * MB, 800_000),
  row('system / JSArrayBufferData', true, 95 * MB, 5_000),
  row('(array)', true, 60 * MB, 300_000),
  row('Buffer', false, 90 * MB, 5_000, 'node:buffer'),
  row('RequestContext', false, 85 * MB, 5_000, 'file:///srv/checkout-api/src/context.js'),
  row('OrderSummary', false, 2 * MB, 1_000, '/srv/checkout-api/src/orders.js'),
  row('Session', false, -3 * MB, -200, '/srv/checkout-api/src/session.js'),
];

describe('heap: what the panel leads with', () => {
  it('charts application classes by retained growth first and folds V8 and Node internals into one row', () => {
    const rows = chartRows(demo, 'retained');
    assert.deepEqual(
      rows.map((r) => r.name),
      ['RequestContext', 'OrderSummary', RUNTIME_ROW],
    );
    assert.equal(rows[0]!.value, 85 * MB);
    assert.equal(rows[2]!.value, (120 + 110 + 95 + 60 + 90) * MB);
    assert.deepEqual(rows[2]!.folded, ['(concatenated string)', '(string)', 'system / JSArrayBufferData', 'Buffer', '(array)']);
  });

  it('shows the internals one by one when asked, still after the application classes', () => {
    const rows = chartRows(demo, 'retained', true);
    assert.deepEqual(rows.map((r) => r.name).slice(0, 4), ['RequestContext', 'OrderSummary', '(concatenated string)', '(string)']);
    assert.ok(rows.every((r) => !r.folded));
    assert.equal(chartRows(demo, 'retained', true, 3).length, 3);
  });

  it('ranks by the metric asked for and leaves out what shrank', () => {
    assert.deepEqual(
      chartRows(demo, 'count').map((r) => r.name),
      ['RequestContext', 'OrderSummary', RUNTIME_ROW],
    );
    assert.ok(!chartRows(demo, 'size', true).some((r) => r.name === 'Session'));
    assert.deepEqual(chartRows([row('(string)', true, -1, -1)], 'retained'), []);
  });

  it('with matched ids, ranks by what new objects retain: an old emitter holding the leak is not the suspect', () => {
    const matched: RankedClass[] = [
      { ...row('EventEmitter', false, 90 * MB, 0), addedRetainedSize: 0 },
      { ...row('RequestContext', false, 85 * MB, 5_000, '/srv/src/context.js'), addedRetainedSize: 85 * MB },
      { ...row('CatalogEntry', false, 1 * MB, 0, '/srv/src/catalog.js'), addedRetainedSize: 300 * MB },
    ];
    assert.deepEqual(
      chartRows(matched, 'retained').map((r) => [r.name, r.value]),
      [
        ['RequestContext', 85 * MB],
        ['CatalogEntry', 1 * MB],
      ],
    );
    assert.equal(topSuspect(matched), 'RequestContext');
  });

  it('selects the top application suspect, not Buffer from node:buffer', () => {
    assert.equal(isApplicationClass(demo[4]!), false);
    assert.equal(topSuspect(demo), 'RequestContext');
    // The leak check's own ranking wins when there is one.
    assert.equal(
      topSuspect(demo, [
        { name: '(closure)', internal: true },
        { name: 'Buffer', internal: false, location: { url: 'node:buffer' } },
        { name: 'OrderSummary', internal: false },
      ]),
      'OrderSummary',
    );
    // Nothing of the application grew: the first row, so the panel still shows something.
    assert.equal(topSuspect([row('(string)', true, 5, 5)]), '(string)');
  });
});
