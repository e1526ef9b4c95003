// pool-client-leak beyond `const client = await pool.connect()`: the connect callback
// (`(err, client, done) => …`), `pool.connect().then((client) => …)`, and a getClient()
// wrapper declared in the same file or imported from the same package. Quiet on the
// correct versions of each.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/fixes';
import { makeTempDir } from '../harness/git';
import { assertQuiet, findings, only } from './ruleHarness';

const lineOf = (code: string, text: string) => code.split('\n').findIndex((l) => l.includes(text)) + 1;

const callbackLeak = `const { pool } = require('./db');
function report(id, cb) {
  pool.connect((err, client, done) => {
    if (err) return cb(err);
    client.query('SELECT * FROM reports WHERE id = $1', [id], (queryErr, result) => {
      if (queryErr) return cb(queryErr);
      done();
      cb(null, result.rows);
    });
  });
}
`;

describe('pool-client-leak: callbacks, promises and wrappers', () => {
  describe('the connect callback', () => {
    it('flags the return that skips done() on the query error, not the connect error guard', () => {
      const finding = only(callbackLeak, 'pool-client-leak');
      assert.equal(finding.range.startLine, lineOf(callbackLeak, 'if (queryErr) return'));
      assert.match(finding.message, /leaves the callback before done\(\) runs/);
      assert.deepEqual(finding.fixes, [], "no fix: the rewrite depends on the callback's flow");
    });

    it('flags a callback that never calls done() nor client.release()', () => {
      const code =
        "const { pool } = require('./db');\nfunction ping(cb) {\n  pool.connect((err, client, done) => {\n    if (err) return cb(err);\n    client.query('SELECT 1', cb);\n  });\n}\n";
      assert.match(only(code, 'pool-client-leak').message, /never released: nothing calls done\(\)/);
    });

    it('flags a client.release() reached only from a .then(ok) handler', () => {
      const code =
        "const { pool } = require('./db');\nfunction ping(cb) {\n  pool.connect((err, client) => {\n    if (err) return cb(err);\n    client.query('SELECT 1').then((r) => {\n      client.release();\n      cb(null, r);\n    });\n  });\n}\n";
      assert.match(only(code, 'pool-client-leak').message, /only in a \.then\(…\) success handler/);
    });

    describe('stays quiet on', () => {
      it('done(err) before every return', () =>
        assertQuiet(
          callbackLeak.replace(
            '      if (queryErr) return cb(queryErr);\n      done();',
            '      done(queryErr);\n      if (queryErr) return cb(queryErr);',
          ),
          'pool-client-leak',
        ));
      it('a release inside the returned call', () =>
        assertQuiet(
          "const { pool } = require('./db');\nfunction f(cb) {\n  pool.connect((err, client, done) => {\n    if (err) return cb(err);\n    return client.query('SELECT 1', (e, r) => { done(); cb(e, r); });\n  });\n}\n",
          'pool-client-leak',
        ));
      it('done handed on to someone who releases', () =>
        assertQuiet(
          "const { pool } = require('./db');\nfunction f(cb) {\n  pool.connect((err, client, done) => {\n    if (err) return cb(err);\n    runAll(client, done, cb);\n  });\n}\n",
          'pool-client-leak',
        ));
      it('a client handed on', () =>
        assertQuiet(
          "const { pool } = require('./db');\nfunction f(cb) {\n  pool.connect((err, client) => cb(err, client));\n}\n",
          'pool-client-leak',
        ));
      it("a single client's connect callback (not a pool)", () =>
        assertQuiet(
          "const { Client } = require('pg');\nconst client = new Client();\nclient.connect((err) => {\n  if (err) return console.error(err);\n});\n",
          'pool-client-leak',
        ));
    });
  });

  describe('pool.connect().then(…)', () => {
    const thenLeak =
      "const { pool } = require('./db');\nfunction latest() {\n  return pool.connect().then((client) =>\n    client.query('SELECT 1').then((r) => {\n      client.release();\n      return r.rows[0];\n    }));\n}\n";
    it('flags a release only on the success path, at the connect() line', () => {
      const finding = only(thenLeak, 'pool-client-leak');
      assert.equal(finding.range.startLine, 3);
      assert.match(finding.message, /when the query before it rejects, client\.release\(\) never runs/);
    });
    it('flags a client never released', () => {
      assert.match(
        only(
          "const { pool } = require('./db');\nconst count = () => pool.connect().then((c) => c.query('SELECT 1'));\n",
          'pool-client-leak',
        ).message,
        /never released/,
      );
    });
    describe('stays quiet on', () => {
      it('.finally(() => client.release())', () =>
        assertQuiet(
          "const { pool } = require('./db');\nconst f = () => pool.connect().then((client) => client.query('SELECT 1').finally(() => client.release()));\n",
          'pool-client-leak',
        ));
      it('a release in both then handlers', () =>
        assertQuiet(
          "const { pool } = require('./db');\nconst f = () => pool.connect().then((client) => client.query('SELECT 1').then((r) => { client.release(); return r; }, (e) => { client.release(); throw e; }));\n",
          'pool-client-leak',
        ));
      it('an async callback releasing in finally', () =>
        assertQuiet(
          "const { pool } = require('./db');\nconst f = () => pool.connect().then(async (client) => {\n  try {\n    return await client.query('SELECT 1');\n  } finally {\n    client.release();\n  }\n});\n",
          'pool-client-leak',
        ));
      it('the client handed to the next step', () =>
        assertQuiet("const { pool } = require('./db');\nconst f = () => pool.connect().then((client) => client);\n", 'pool-client-leak'));
    });
  });

  describe('a wrapper that returns pool.connect()', () => {
    const local =
      "const { pool } = require('./db');\nasync function getClient() {\n  return pool.connect();\n}\nasync function totals() {\n  const client = await getClient();\n  const { rows } = await client.query('SELECT 1');\n  client.release();\n  return rows[0];\n}\n";
    it('flags a client from a same-file wrapper released only on success; the try/finally fix is preferred (the release ended its path)', () => {
      const finding = only(local, 'pool-client-leak');
      assert.equal(finding.range.startLine, 6);
      assert.equal(finding.fixes[0]?.isPreferred, true);
    });
    it('stays quiet on the wrapper itself and on a caller that releases in finally', () => {
      assertQuiet(
        local.replace(
          "  const { rows } = await client.query('SELECT 1');\n  client.release();\n  return rows[0];",
          "  try {\n    return (await client.query('SELECT 1')).rows[0];\n  } finally {\n    client.release();\n  }",
        ),
        'pool-client-leak',
      );
    });
    it('is not a wrapper when some return hands out something else', () => {
      assertQuiet(local.replace('  return pool.connect();', '  if (cached) return cached;\n  return pool.connect();'), 'pool-client-leak');
    });

    describe('imported', () => {
      let dir: string;
      beforeEach(() => {
        dir = makeTempDir('forensics-wrappers-');
        mkdirSync(join(dir, 'pkg/src'), { recursive: true });
        writeFileSync(join(dir, 'pkg/package.json'), '{}');
        writeFileSync(
          join(dir, 'pkg/src/clients.js'),
          "const { pool } = require('./db');\nconst getClient = () => pool.connect();\nmodule.exports = { getClient };\n",
        );
        writeFileSync(
          join(dir, 'pkg/src/esm.mjs'),
          "import { pool } from './db.mjs';\nexport async function checkout() {\n  return await pool.connect();\n}\n",
        );
        writeFileSync(join(dir, 'outside.js'), "const { pool } = require('./db');\nexports.getClient = () => pool.connect();\n");
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));
      const lines = (rel: string, text: string) => {
        writeFileSync(join(dir, rel), text);
        return analyze(readFileSync(join(dir, rel), 'utf8'), join(dir, rel), { rules: ['pool-client-leak'] }).map((f) => f.range.startLine);
      };
      const caller = (from: string, name: string) =>
        `${from}\nasync function totals() {\n  const client = await ${name}();\n  const { rows } = await client.query('SELECT 1');\n  client.release();\n  return rows;\n}\n`;

      it('flags callers of a wrapper imported from the same package (CommonJS and ES)', () => {
        assert.deepEqual(lines('pkg/src/a.js', caller("const { getClient } = require('./clients');", 'getClient')), [3]);
        assert.deepEqual(lines('pkg/src/b.mjs', caller("import { checkout } from './esm.mjs';", 'checkout')), [3]);
      });
      it('never reads a module outside the package', () => {
        assert.deepEqual(lines('pkg/src/c.js', caller("const { getClient } = require('../../outside');", 'getClient')), []);
      });
    });
  });

  it('the scanned findings of the corpus pooled.js app are the four seeded pool bugs', () => {
    const file = join(__dirname, 'corpus', 'apps', 'pooled.js');
    assert.deepEqual(
      findings(readFileSync(file, 'utf8'), 'pool-client-leak', file).map((f) => f.range.startLine),
      [8, 20, 27, 35],
    );
  });
});
