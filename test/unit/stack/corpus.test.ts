// parseStackTrace against the trace corpus (test/unit/stack/corpus): the pass rate per
// family is printed, and each family must stay at or above the floor it has reached.
import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../src/core/stack/parseTrace';
import { corpus, mismatch } from './corpus';
import type { Family } from './corpus/types';

// The rates reached (the parser before this work read 58 of these 167: node 26/40, chrome 22/35,
// winjs 7/8, react-native 3/12, and none of gecko, safari, log-prefix or json-log).
const floors: Record<Family, number> = {
  node: 1,
  chrome: 1,
  gecko: 1,
  safari: 1,
  'winjs-ie-edge': 1,
  'react-native': 1,
  'log-prefix': 1,
  'json-log': 1,
};
const overallFloor = 1;

describe('parseStackTrace on the trace corpus', () => {
  const results = corpus.map((entry) => {
    let why: string | undefined;
    try {
      why = mismatch(entry, parseStackTrace(entry.text));
    } catch (err) {
      why = `threw ${(err as Error).message}`;
    }
    return { entry, why };
  });

  it('has at least 150 traces, each with a family and expected frames', () => {
    assert.ok(corpus.length >= 150, `${corpus.length} traces`);
    for (const e of corpus)
      assert.ok(
        e.exceptions.some((x) => x.frames.length > 0),
        e.name,
      );
  });

  it('prints the pass rate per family and stays at or above each floor', () => {
    const rows: string[] = [];
    const failures: string[] = [];
    let passed = 0;
    let counted = 0;
    for (const family of Object.keys(floors) as Family[]) {
      const mine = results.filter((r) => r.entry.family === family && !r.entry.unsupported);
      const ok = mine.filter((r) => !r.why).length;
      passed += ok;
      counted += mine.length;
      const rate = mine.length ? ok / mine.length : 1;
      rows.push(
        `  ${family.padEnd(14)} ${String(ok).padStart(3)}/${String(mine.length).padEnd(3)} ${(rate * 100).toFixed(1).padStart(5)}%  (floor ${(floors[family] * 100).toFixed(0)}%)`,
      );
      if (rate < floors[family]) failures.push(`${family}: ${(rate * 100).toFixed(1)}% < ${floors[family] * 100}%`);
    }
    rows.push(
      `  ${'overall'.padEnd(14)} ${String(passed).padStart(3)}/${String(counted).padEnd(3)} ${((passed / counted) * 100).toFixed(1).padStart(5)}%`,
    );
    for (const r of results.filter((x) => x.entry.unsupported))
      rows.push(`  not supported: [${r.entry.family}] ${r.entry.name}: ${r.entry.unsupported}`);
    for (const r of results.filter((x) => x.why && !x.entry.unsupported)) rows.push(`  FAIL [${r.entry.family}] ${r.entry.name}: ${r.why}`);
    console.log(`\n  Trace corpus, parsed exactly:\n${rows.join('\n')}\n`);
    assert.deepEqual(failures, []);
    assert.ok(passed / counted >= overallFloor, `overall ${passed}/${counted}`);
  });
});
