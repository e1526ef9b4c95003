// Knowing the callee across files: an async function imported from a module of the same
// package is known to return a promise (CommonJS and ES imports); a module outside the
// package is never read, and a self-handling async function (one try, a catch that does
// not throw) is not a lost error.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/fixes';
import { makeTempDir } from '../harness/git';

describe('floating-promise across files', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('forensics-imports-');
    mkdirSync(join(dir, 'pkg/src'), { recursive: true });
    writeFileSync(join(dir, 'pkg/package.json'), '{}');
    writeFileSync(
      join(dir, 'pkg/src/audit.js'),
      'async function writeAudit(id) {\n  await db.insert(id);\n}\nasync function quiet(id) {\n  try {\n    await db.insert(id);\n  } catch (err) {\n    log(err);\n  }\n}\nmodule.exports = { writeAudit, quiet };\n',
    );
    writeFileSync(join(dir, 'pkg/src/esm.mjs'), 'export async function publish(e) {\n  await bus.send(e);\n}\n');
    writeFileSync(
      join(dir, 'outside.js'),
      'async function writeAudit(id) {\n  await db.insert(id);\n}\nmodule.exports = { writeAudit };\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const findingsOf = (rel: string, text: string) => {
    writeFileSync(join(dir, rel), text);
    return analyze(readFileSync(join(dir, rel), 'utf8'), join(dir, rel), { rules: ['floating-promise'] }).map((f) => f.range.startLine);
  };

  it('flags an imported async function called without await, in async and plain handlers', () => {
    assert.deepEqual(
      findingsOf(
        'pkg/src/orders.js',
        "const { writeAudit } = require('./audit');\nfunction cancel(req, res) {\n  writeAudit(req.id);\n  res.end();\n}\nasync function ship(req) {\n  writeAudit(req.id);\n}\nmodule.exports = { cancel, ship };\n",
      ),
      [3, 7],
    );
    assert.deepEqual(
      findingsOf('pkg/src/events.mjs', "import { publish } from './esm.mjs';\nexport function emit(e) {\n  publish(e);\n}\n"),
      [3],
    );
  });

  it('never reads a module outside the package, and a self-handling async function is fine to fire and forget', () => {
    assert.deepEqual(
      findingsOf('pkg/src/a.js', "const { writeAudit } = require('../../outside');\nfunction cancel(req) {\n  writeAudit(req.id);\n}\n"),
      [],
    );
    assert.deepEqual(
      findingsOf('pkg/src/b.js', "const { quiet } = require('./audit');\nfunction cancel(req) {\n  quiet(req.id);\n}\n"),
      [],
    );
  });
});
