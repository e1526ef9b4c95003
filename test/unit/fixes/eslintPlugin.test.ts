// The ESLint face: the installed eslint package's own API runs the plugin on real files
// (flat config, `production-forensics/<rule>` ids). Safe fixes come back as ESLint fixes
// and are applied by `fix: true`; suggestions come back as `suggestions` and are not.
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '../../../src/eslint-plugin';
import { fixAll, RULE_IDS } from '../../../src/core/fixes';
import { makeTempDir } from '../harness/git';

const leak =
  "const { Pool } = require('pg');\nconst pool = new Pool();\n\nasync function report(id) {\n  const client = await pool.connect();\n  const { rows } = await client.query('SELECT * FROM reports WHERE id = $1', [id]);\n  client.release();\n  return rows;\n}\n\nasync function audit(id) {\n  await fetch('https://audit.example/' + id);\n}\n\nasync function handle(req) {\n  audit(req.id);\n  return report(req.id);\n}\n\nmodule.exports = { handle };\n";
const tsService =
  "import { Pool } from 'pg';\nconst pool = new Pool();\n\nexport async function load(id: string): Promise<unknown[]> {\n  const client = await pool.connect();\n  const result = await client.query<{ id: string }>('SELECT 1 WHERE $1::text IS NOT NULL', [id]);\n  client.release();\n  return result.rows;\n}\n";

describe('the ESLint plugin, run by ESLint', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('forensics-eslint-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/service.js'), leak);
    writeFileSync(join(dir, 'src/load.ts'), tsService);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const eslint = (config: Linter.Config[], fix = false) => new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, fix });

  it('the recommended flat config reports every rule under production-forensics/…, with safe fixes as fix and the rest as suggestions', async () => {
    const [result] = await eslint([{ files: ['**/*.js'], ...plugin.configs.recommended }]).lintFiles(['src/service.js']);
    assert.deepEqual(
      result.messages.map((m) => [m.ruleId, m.line, m.severity, !!m.fix, m.suggestions?.map((s) => s.desc)]),
      [
        ['production-forensics/pool-client-leak', 5, 2, true, undefined],
        [
          'production-forensics/floating-promise',
          16,
          1,
          false,
          [
            'Await it (waits where the call used to run on; review that the caller may wait)',
            'Run it in the background: void … .catch(report the error)',
          ],
        ],
      ],
    );
    assert.match(result.messages[0].message, /^pool-client-leak: the client from pool\.connect\(\) is not released on every path/);
    assert.deepEqual(Object.keys(plugin.rules ?? {}).sort(), [...RULE_IDS].sort());
  });

  it('eslint --fix applies exactly what forensics fixes scan --fix applies, and no suggestion', async () => {
    const [result] = await eslint([{ files: ['**/*.js'], ...plugin.configs.recommended }], true).lintFiles(['src/service.js']);
    assert.equal(result.output, fixAll(leak, 'service.js').text);
    assert.match(result.output!, /finally \{\n {4}client\.release\(\);/);
    assert.match(result.output!, /\n {2}audit\(req\.id\);\n/, 'the floating call is left for review');
    assert.deepEqual(
      result.messages.map((m) => m.ruleId),
      ['production-forensics/floating-promise'],
    );
  });

  it('a suggestion applied the way an editor applies it gives the fixed code', async () => {
    const [result] = await eslint([{ files: ['**/*.js'], ...plugin.configs.recommended }]).lintFiles(['src/service.js']);
    const suggestion = result.messages[1].suggestions![0];
    const fixed = leak.slice(0, suggestion.fix.range[0]) + suggestion.fix.text + leak.slice(suggestion.fix.range[1]);
    assert.match(fixed, /\n {2}await audit\(req\.id\);\n/);
  });

  it('rules are configured one by one, and TypeScript files work under the typescript-eslint parser', async () => {
    const config: Linter.Config[] = [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as Linter.Parser },
        plugins: { 'production-forensics': plugin },
        rules: { 'production-forensics/pool-client-leak': 'warn' },
      },
    ];
    const [result] = await eslint(config).lintFiles(['src/load.ts']);
    assert.deepEqual(
      result.messages.map((m) => [m.ruleId, m.line, m.severity]),
      [['production-forensics/pool-client-leak', 5, 1]],
    );
  });
});
