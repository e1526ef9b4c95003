// The numbers the PostgreSQL panel writes on its chart axes: en-US, with the decimals each
// value needs, and on a log axis only the 1-2-5 ticks labelled so the labels do not overlap;
// theme colours lose their alpha so a series shows on any background.
import { strict as assert } from 'node:assert';
import { formatNumber, logTick } from '../../../webview/postgres/numbers';
import { opaque } from '../../../webview/postgres/colours';

describe('PostgreSQL panel chart numbers', () => {
  it('writes en-US grouping and no decimals on large values, a few on small ones', () => {
    assert.equal(formatNumber(100), '100');
    assert.equal(formatNumber(10), '10');
    assert.equal(formatNumber(100_000), '100,000');
    assert.equal(formatNumber(12.345), '12.3');
    assert.equal(formatNumber(1.5), '1.5');
    assert.equal(formatNumber(0.05), '0.05');
    assert.equal(formatNumber(0.0123), '0.012');
    assert.equal(formatNumber(0), '0');
  });

  it('labels a log axis at 1, 2 and 5 of each decade, each with its own decimals', () => {
    const ticks = [0.001, 0.002, 0.003, 0.005, 0.01, 0.1, 0.7, 1, 2, 3, 5, 8, 10, 20, 40, 100, 1000, 10_000];
    assert.deepEqual(ticks.map(logTick), [
      '0.001',
      '0.002',
      '',
      '0.005',
      '0.01',
      '0.1',
      '',
      '1',
      '2',
      '',
      '5',
      '',
      '10',
      '20',
      '',
      '100',
      '1,000',
      '10,000',
    ]);
    assert.equal(logTick(0), '');
    assert.equal(logTick('100'), '100');
  });

  it('drops the alpha of a translucent theme colour and leaves an opaque one alone', () => {
    assert.equal(opaque('#d1861699'), '#d18616');
    assert.equal(opaque('#abc8'), '#abc');
    assert.equal(opaque('rgba(209, 134, 22, 0.6)'), 'rgb(209, 134, 22)');
    assert.equal(opaque('#57A3F8'), '#57A3F8');
    assert.equal(opaque('rgb(1, 2, 3)'), 'rgb(1, 2, 3)');
  });
});
