// What `test/e2e/run.mjs` prepared for the specs, handed over in environment variables:
// the Node 24 binary and code-server entry, the extensions folder with the freshly built
// extension installed, the Chromium to drive, and where screenshots and temp files go.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface E2eEnvironment {
  readonly node: string;
  readonly codeServerEntry: string;
  readonly extensionsDir: string;
  readonly chromium: string;
  /** Screenshots and logs: test-output/e2e unless told otherwise. */
  readonly outputDir: string;
  /** A temp folder for this run; removed by run.mjs at the end. */
  readonly runDir: string;
  /** The repository root (for workspaces such as test/demo/app). */
  readonly repoRoot: string;
}

let cached: E2eEnvironment | undefined;

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the e2e specs through \`npm run test:e2e\` (test/e2e/run.mjs), which prepares code-server, Chromium and the extension`,
    );
  return value;
}

export function e2eEnvironment(): E2eEnvironment {
  if (cached) return cached;
  const repoRoot = resolve(__dirname, '../../..');
  const outputDir = resolve(process.env.FORENSICS_E2E_OUTPUT || join(repoRoot, 'test-output/e2e'));
  mkdirSync(outputDir, { recursive: true });
  cached = {
    node: required('FORENSICS_E2E_NODE'),
    codeServerEntry: required('FORENSICS_E2E_CODE_SERVER'),
    extensionsDir: required('FORENSICS_E2E_EXTENSIONS_DIR'),
    chromium: required('FORENSICS_CHROMIUM'),
    outputDir,
    runDir: required('FORENSICS_E2E_RUN_DIR'),
    repoRoot,
  };
  return cached;
}
