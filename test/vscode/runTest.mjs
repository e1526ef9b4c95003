// `npm run test:vscode`: the extension-host suite in VS Code desktop, through
// @vscode/test-electron, on the minimum engine (engines.vscode) and the current stable.
// It needs to download VS Code, so it is not part of `npm test` on machines without that
// access (docs/testing.md); the same behaviours are covered there by the e2e tier.
//   npm run test:vscode                  minimum and stable
//   npm run test:vscode -- stable        one version
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const minimum = manifest.engines.vscode.replace(/^[\^~>=]+/, '');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : [minimum, 'stable'];

// The suite is bundled like the extension: CJS for the extension host, `vscode` and mocha
// external (mocha is resolved from node_modules at run time).
await build({
  entryPoints: { index: join(root, 'test/vscode/suite/index.ts') },
  outdir: join(root, 'out/vscode-tests'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

let failed = 0;
for (const version of versions) {
  console.log(`[vscode] running the extension-host suite on VS Code ${version}`);
  try {
    await runTests({
      version,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out/vscode-tests/index.js'),
      launchArgs: ['--disable-extensions', '--disable-workspace-trust', join(root, 'test/vscode/fixture')],
    });
  } catch (err) {
    failed++;
    console.error(`[vscode] VS Code ${version}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
