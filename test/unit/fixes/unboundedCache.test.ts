// unbounded-cache: a module-level Map filled per request and never evicted. Run for real:
// 10 000 distinct keys grow the unfixed cache to 10 000 entries; fixed, it stays at 1000
// and still answers recent keys from the cache.
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { assertQuiet, fixed, loadModule, only, runDir } from './ruleHarness';

const rates = `const cache = new Map();
let computed = 0;

function exchangeRate(from, to) {
  const key = \`\${from}:\${to}\`;
  if (cache.has(key)) return cache.get(key);
  computed++;
  const rate = { from, to, value: from.length / to.length };
  cache.set(key, rate);
  return rate;
}

module.exports = { exchangeRate, cache, computed: () => computed };
`;

type Rates = { exchangeRate(from: string, to: string): unknown; cache: Map<string, unknown>; computed(): number };

describe('unbounded-cache', () => {
  let dir: string;
  before(() => (dir = runDir('cache')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('flags the per-request Map; fixed, 10 000 keys leave 1000 entries and recent keys are still cached', () => {
    const finding = only(rates, 'unbounded-cache');
    assert.equal(finding.range.startLine, 9);
    assert.match(finding.message, /out of memory/);
    const out = fixed(rates, 'unbounded-cache');
    assert.match(out, /cache\.set\(key, rate\);\n {2}if \(cache\.size > 1000\) cache\.delete\(cache\.keys\(\)\.next\(\)\.value\);\n/);
    const fill = (mod: Rates) => {
      for (let i = 0; i < 10_000; i++) mod.exchangeRate(`EUR${i}`, 'USD');
      return mod.cache.size;
    };
    assert.equal(fill(loadModule<Rates>(dir, 'unfixed-rates.js', rates)), 10_000);
    const mod = loadModule<Rates>(dir, 'fixed-rates.js', out);
    assert.equal(fill(mod), 1000);
    const before = mod.computed();
    mod.exchangeRate('EUR9999', 'USD');
    assert.equal(mod.computed(), before, 'the most recent key is still served from the cache');
  });

  it('bounds arrays and plain objects too', () => {
    const log = fixed(
      'const recent = [];\nexport function track(req) {\n  recent.push({ url: req.url, at: Date.now() });\n}\n',
      'unbounded-cache',
    );
    assert.match(log, /if \(recent\.length > 1000\) recent\.shift\(\);/);
    const sessions = fixed(
      'const sessions = {}\nexport function login(user) {\n  sessions[user.id] = { user, at: Date.now() }\n}\n',
      'unbounded-cache',
    );
    assert.match(sessions, /for \(const key of Object\.keys\(sessions\)\.slice\(0, -1000\)\) delete sessions\[key\]\n/);
  });

  it("flags keys derived from the call's data through locals and loops over it", () => {
    only(
      'const seen = new Set();\nfunction mark(req) {\n  const { items } = req.body;\n  items.forEach((item) => {\n    const id = item.sku;\n    seen.add(id);\n  });\n}\n',
      'unbounded-cache',
    );
    only('const seen = new Set();\nfunction mark(req) {\n  for (const item of req.body.items) seen.add(item);\n}\n', 'unbounded-cache');
  });

  describe('stays quiet on', () => {
    it('a Set that always receives the same constant', () =>
      assertQuiet(
        "const WARNED = 'deprecated-api';\nconst warned = new Set();\nfunction call(req) {\n  if (!warned.has(WARNED)) console.warn('deprecated');\n  warned.add(WARNED);\n}\n",
        'unbounded-cache',
      ));
    it('a cache keyed by a fixed built-in table', () => {
      assertQuiet(
        "const { STATUS_CODES } = require('http');\nconst reasons = {};\nfunction reason(res) {\n  Object.keys(STATUS_CODES).forEach((code) => {\n    reasons[code] = STATUS_CODES[code].toUpperCase();\n  });\n  return reasons[res.statusCode];\n}\n",
        'unbounded-cache',
      );
      assertQuiet(
        "const { METHODS } = require('http');\nconst known = new Map();\nfunction allow(req) {\n  for (const m of METHODS) known.set(m, m.toLowerCase());\n  return known.has(req.method);\n}\n",
        'unbounded-cache',
      );
    });
    it('a cache with eviction', () =>
      assertQuiet(
        'const cache = new Map();\nfunction get(k) {\n  cache.set(k, 1);\n  if (cache.size > 100) cache.delete(cache.keys().next().value);\n}\n',
        'unbounded-cache',
      ));
    it('a registry filled once at startup', () =>
      assertQuiet(
        "const handlers = new Map();\nfunction register(name, fn) {\n  handlers.set(name, fn);\n}\nregister('a', () => 1);\n",
        'unbounded-cache',
      ));
    it('a fixed key', () =>
      assertQuiet("const stats = {};\nfunction hit(req) {\n  stats['total'] = (stats['total'] || 0) + 1;\n}\n", 'unbounded-cache'));
    it('a local map', () =>
      assertQuiet(
        'function group(items) {\n  const byId = new Map();\n  for (const i of items) byId.set(i.id, i);\n  return byId;\n}\n',
        'unbounded-cache',
      ));
  });
});
