// `npm run test:e2e`: the extension in a real VS Code (code-server) driven in Chromium.
//   npm run test:e2e                            every spec in test/e2e/specs
//   npm run test:e2e -- test/e2e/specs/x.e2e.ts  some specs (any mocha arguments pass through)
// Prepares what the specs need, then runs mocha over test/e2e/specs/*.e2e.ts with tsx:
//   1. Chromium: FORENSICS_CHROMIUM, or /usr/bin/chromium (Debian's; apt-get when root).
//   2. code-server with Node 24 in .cache/code-server (test/e2e/setup/ensureCodeServer.mjs).
//   3. The extension packaged (`npm run package`) and installed into a fresh extensions dir.
// The harness (test/e2e/harness) starts one code-server on 127.0.0.1 for the whole suite and
// stops it at the end; this script also stops any server left behind, on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './setup/ensureCodeServer.mjs';
import { ensureDebianPackages, log, run } from './setup/system.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const vsix = join(repoRoot, 'dist/production-forensics.vsix');
const outputDir = process.env.FORENSICS_E2E_OUTPUT || join(repoRoot, 'test-output/e2e');

async function ensureChromium() {
  const given = process.env.FORENSICS_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`FORENSICS_CHROMIUM=${given} does not exist`);
    return given;
  }
  const debian = '/usr/bin/chromium';
  if (!existsSync(debian))
    await ensureDebianPackages(['chromium'], 'the e2e tests (or set FORENSICS_CHROMIUM to a Chrome/Chromium binary)');
  if (!existsSync(debian)) throw new Error(`${debian} is still missing after installing Debian's chromium`);
  return debian;
}

async function packageAndInstall(codeServer, runDir) {
  const started = Date.now();
  await run('npm', ['run', '--silent', 'package'], { cwd: repoRoot, quiet: true });
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  const extensionsDir = join(runDir, 'extensions');
  const output = await run(
    codeServer.node,
    [
      codeServer.entry,
      '--install-extension',
      vsix,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      join(runDir, 'install-user-data'),
    ],
    {
      quiet: true,
      env: { ...process.env, XDG_DATA_HOME: join(runDir, 'install-data'), XDG_CONFIG_HOME: join(runDir, 'install-config') },
    },
  );
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  if (!readdirSync(extensionsDir).some((name) => name.startsWith(`${id}-`))) {
    throw new Error(`code-server did not install ${id} into ${extensionsDir}:\n${output}`);
  }
  log(`packaged and installed ${id} ${manifest.version} in ${Math.round((Date.now() - started) / 1000)} s`);
  return extensionsDir;
}

/** Stops every code-server the harness recorded and did not stop itself. */
function stopLeftovers(runDir) {
  if (!existsSync(runDir)) return;
  for (const name of readdirSync(runDir)) {
    const match = /^code-server\.(\d+)\.pid$/.exec(name);
    if (!match) continue;
    try {
      process.kill(-Number(match[1]), 'SIGKILL');
      log(`stopped a code-server left running (process group ${match[1]})`);
    } catch {
      // Already gone.
    }
  }
}

async function main() {
  const started = Date.now();
  const chromium = await ensureChromium();
  const codeServer = await ensureCodeServer();
  const runDir = mkdtempSync(join(tmpdir(), 'forensics-e2e-'));
  let mocha;
  const cleanup = () => {
    stopLeftovers(runDir);
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const onSignal = (signal) => {
    log(`${signal}: stopping`);
    if (mocha && mocha.exitCode === null) mocha.kill('SIGTERM');
    else {
      cleanup();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const extensionsDir = await packageAndInstall(codeServer, runDir);
    rmSync(outputDir, { recursive: true, force: true });
    mkdirSync(outputDir, { recursive: true });
    const userArgs = process.argv.slice(2);
    const specs = userArgs.some((a) => !a.startsWith('-')) ? [] : ['test/e2e/specs/**/*.e2e.ts'];
    log(`ready in ${Math.round((Date.now() - started) / 1000)} s; running the specs (code-server ${codeServer.version}, ${chromium})`);
    const code = await new Promise((resolve, reject) => {
      mocha = spawn(
        process.execPath,
        [join(repoRoot, 'node_modules/mocha/bin/mocha.js'), '--config', 'test/e2e/.mocharc.json', ...specs, ...userArgs],
        {
          cwd: repoRoot,
          stdio: 'inherit',
          env: {
            ...process.env,
            FORENSICS_E2E_NODE: codeServer.node,
            FORENSICS_E2E_CODE_SERVER: codeServer.entry,
            FORENSICS_E2E_EXTENSIONS_DIR: extensionsDir,
            FORENSICS_CHROMIUM: chromium,
            FORENSICS_E2E_OUTPUT: outputDir,
            FORENSICS_E2E_RUN_DIR: runDir,
          },
        },
      );
      mocha.on('error', reject);
      mocha.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    log(`screenshots in ${outputDir}`);
    return code;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
