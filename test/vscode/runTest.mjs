// `npm run test:vscode`: the extension-host suite in VS Code desktop, through
// @vscode/test-electron, on the minimum engine (engines.vscode) and the current stable.
// It needs to download VS Code, so it is not part of `npm test` on machines without that
// access (docs/testing.md); the same behaviours are covered there by the e2e tier.
//   npm run test:vscode                  minimum and stable
//   npm run test:vscode -- stable        one version
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtensionHostSuite, repoRoot as root, suiteFixture } from './buildSuite.mjs';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const minimum = manifest.engines.vscode.replace(/^[\^~>=]+/, '');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : [minimum, 'stable'];
const extensionTestsPath = await buildExtensionHostSuite();

let failed = 0;
for (const version of versions) {
  console.log(`[vscode] running the extension-host suite on VS Code ${version}`);
  try {
    await runTests({
      version,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: ['--disable-extensions', '--disable-workspace-trust', suiteFixture],
    });
  } catch (err) {
    failed++;
    console.error(`[vscode] VS Code ${version}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
