// Rules of the house that the compiler cannot see: src/core never depends on VS Code,
// and every command the manifest contributes is registered by the extension.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeTempDir } from './harness/git';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name)) out.push(full);
  }
  return out;
}

/** Files under `dir` that import or require the 'vscode' module, in any syntax TypeScript accepts. */
export function filesImportingVscode(dir: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]vscode['"]/;
  return sourceFiles(dir)
    .filter((file) => pattern.test(readFileSync(file, 'utf8')))
    .map((file) => relative(dir, file));
}

describe('architecture', () => {
  it('src/core does not import vscode', () => {
    assert.deepEqual(filesImportingVscode(join(root, 'src', 'core')), []);
  });

  it('the vscode-import check catches every import form', () => {
    const dir = makeTempDir('forensics-arch-');
    try {
      mkdirSync(join(dir, 'nested'));
      writeFileSync(join(dir, 'a.ts'), "import * as vscode from 'vscode';\n");
      writeFileSync(join(dir, 'nested', 'b.ts'), 'const v = require("vscode");\n');
      writeFileSync(join(dir, 'c.ts'), "import type { Uri } from 'vscode';\n");
      writeFileSync(join(dir, 'd.ts'), "const m = await import('vscode');\n");
      writeFileSync(join(dir, 'e.ts'), "import 'vscode';\n");
      writeFileSync(join(dir, 'clean.ts'), "import { x } from './vscode-utils';\n// mentions 'vscode' in a comment\n");
      assert.deepEqual(filesImportingVscode(dir).sort(), ['a.ts', 'c.ts', 'd.ts', 'e.ts', join('nested', 'b.ts')].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every contributed command is registered, and every registered command is contributed', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { commands?: { command: string }[] };
    };
    const contributed = new Set((manifest.contributes.commands ?? []).map((c) => c.command));
    const registered = new Set<string>();
    for (const file of sourceFiles(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/registerCommand\(\s*['"]([\w.-]+)['"]/g)) registered.add(m[1]);
    }
    const missing = [...contributed].filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but never registered: ${missing.join(', ')}`);
    const internal = [...registered].filter((c) => c.startsWith('forensics.') && !contributed.has(c) && !c.includes('.internal.'));
    assert.deepEqual(internal, [], `registered but not in package.json (name internal ones forensics.internal.*): ${internal.join(', ')}`);
  });

  it('the .vscodeignore is a whitelist that keeps sources and tests out', () => {
    const lines = readFileSync(join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    assert.equal(
      lines.find((l) => l && !l.startsWith('#')),
      '**',
      'the first rule must exclude everything',
    );
    for (const l of lines.filter((x) => x.startsWith('!'))) {
      assert.ok(!/^!(src|test|bench|node_modules)\b/.test(l), `must not re-include ${l}`);
    }
  });
});
