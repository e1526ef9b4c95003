// Bundles the extension-host suite like the extension itself: CJS for the extension host,
// `vscode` and mocha external (mocha is resolved from node_modules at run time). Used by
// `npm run test:vscode` (VS Code desktop) and by the e2e tier (code-server's extension host).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const suiteEntry = join(repoRoot, 'out/vscode-tests/index.js');
export const suiteFixture = join(repoRoot, 'test/vscode/fixture');

export async function buildExtensionHostSuite() {
  await build({
    entryPoints: { index: join(repoRoot, 'test/vscode/suite/index.ts') },
    outdir: dirname(suiteEntry),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return suiteEntry;
}
