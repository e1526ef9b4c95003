// Installs code-server from npm into the git-ignored cache `.cache/code-server`, with the
// Node 24 it insists on taken from the npm package `node@24` installed beside it.
//   node test/e2e/setup/ensureCodeServer.mjs      install (or confirm) and print the paths
// Idempotent: a stamp file records what was installed, so a second run returns at once.
//
// The traps this works around (see docs/testing.md):
// - code-server 4.139 refuses any Node but 24, and its native modules (kerberos, node-pty,
//   spdlog, ...) must be compiled against Node 24's headers. This machine's npm config sets
//   `nodedir=/usr` (Node 20's headers), so npm_config_nodedir points at the headers that ship
//   inside the node@24 package.
// - The native modules need libkrb5-dev.
// - npm has left cross-env's bin without its run bit, which fails argon2's install script:
//   install with --ignore-scripts, fix the bit, `npm rebuild argon2`, then run code-server's
//   own postinstall.sh with npm_config_user_agent naming npm and Node 24.
// - npm 11 blocks dependency install scripts unless `allowScripts` approves them, so the
//   cache's package.json files approve exactly the scripts this needs (node@24's preinstall,
//   argon2's install); code-server's inner installs carry their own allowScripts.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages, log, run } from './system.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CODE_SERVER_VERSION = process.env.FORENSICS_CODE_SERVER_VERSION || '4.139.1';
const NODE_MAJOR = '24';
const STAMP_FORMAT = 1;

export const cacheDir = process.env.FORENSICS_CODE_SERVER_CACHE || join(repoRoot, '.cache/code-server');
const nodeDir = join(cacheDir, 'node24');
const serverDir = join(cacheDir, 'server');
const stampFile = join(cacheDir, 'stamp.json');

/**
 * @typedef {object} CodeServerInstall
 * @property {string} node       the Node 24 binary that runs code-server
 * @property {string} entry      code-server's entry script (run it with `node`)
 * @property {string} version    code-server's version
 * @property {string} nodeVersion
 */

/** @returns {CodeServerInstall} */
function describe() {
  return {
    node: join(nodeDir, 'node_modules/node/bin/node'),
    entry: join(serverDir, 'node_modules/code-server/out/node/entry.js'),
    version: CODE_SERVER_VERSION,
    nodeVersion: readStamp()?.nodeVersion ?? '',
  };
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled() {
  const stamp = readStamp();
  const paths = describe();
  return (
    stamp?.format === STAMP_FORMAT &&
    stamp.codeServer === CODE_SERVER_VERSION &&
    existsSync(paths.node) &&
    existsSync(paths.entry) &&
    existsSync(join(serverDir, 'node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node'))
  );
}

/** The folder of the node@24 package's platform build, which also carries Node's headers for node-gyp. */
function nodeHeadersDir() {
  const nested = join(nodeDir, 'node_modules/node/node_modules');
  const roots = [nested, join(nodeDir, 'node_modules')].filter((d) => existsSync(d));
  for (const root of roots) {
    for (const name of readdirSync(root)) {
      if (name.startsWith('node-') && existsSync(join(root, name, 'include/node/common.gypi'))) return join(root, name);
    }
  }
  throw new Error(`node@${NODE_MAJOR} in ${nodeDir} carries no include/node headers; delete ${cacheDir} and try again`);
}

function writePackageJson(dir, allowScripts) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `forensics-e2e-${dir.split('/').pop()}`, private: true, allowScripts }, null, 2)}\n`,
  );
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One install at a time: several test runs (or worktrees sharing the cache through a
 * symlink) must not install into the same folders at once, or they delete each other's
 * files. The lock is a directory inside the cache (mkdir is atomic) holding the owner's pid;
 * a lock whose owner is gone is taken over.
 */
async function withInstallLock(job) {
  mkdirSync(cacheDir, { recursive: true });
  const lockDir = join(cacheDir, '.install.lock');
  const ownerFile = join(lockDir, 'pid');
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(ownerFile, { encoding: 'utf8', flag: 'a+' }) || 0);
      if (owner && !processAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`another run (pid ${owner || '?'}) is installing code-server into ${cacheDir}; waiting for it`);
      announced = true;
      await sleep(2000);
    }
  }
  try {
    return await job();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Installs code-server unless the stamp says it is there already; returns where it is. */
export async function ensureCodeServer() {
  if (isInstalled()) return describe();
  return withInstallLock(async () => (isInstalled() ? describe() : install()));
}

async function install() {
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_MAJOR} into ${cacheDir} (once; a few minutes)`);
  await ensureDebianPackages(['libkrb5-dev'], "code-server's native module kerberos");
  rmSync(stampFile, { force: true });

  // 1. Node 24 from the npm package node@24 (its preinstall fetches node-<os>-<arch> from npm).
  const nodeBin = describe().node;
  if (!existsSync(nodeBin)) {
    rmSync(nodeDir, { recursive: true, force: true });
    writePackageJson(nodeDir, { node: true });
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `node@${NODE_MAJOR}`], { cwd: nodeDir, quiet: true });
  }
  const nodeVersion = (await run(nodeBin, ['--version'], { quiet: true })).trim();
  if (!nodeVersion.startsWith(`v${NODE_MAJOR}.`))
    throw new Error(`expected Node ${NODE_MAJOR} from node@${NODE_MAJOR}, got ${nodeVersion}`);

  // Everything below runs with Node 24 first on PATH (npm's own `#!/usr/bin/env node` then runs
  // on it too) and node-gyp pointed at Node 24's headers.
  const env = {
    ...process.env,
    PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeHeadersDir(),
  };
  const npmVersion = (await run('npm', ['--version'], { env, quiet: true })).trim();

  // 2. code-server itself, without its scripts.
  rmSync(serverDir, { recursive: true, force: true });
  writePackageJson(serverDir, { argon2: true });
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: serverDir,
    env,
    quiet: true,
  });

  // 3. argon2's install script calls cross-env, whose bin must be executable.
  const crossEnvBin = join(serverDir, 'node_modules/cross-env/dist/bin');
  if (existsSync(crossEnvBin)) {
    for (const name of readdirSync(crossEnvBin)) {
      const file = join(crossEnvBin, name);
      if (name.endsWith('.js')) chmodSync(file, statSync(file).mode | 0o111);
    }
  }
  await run('npm', ['rebuild', '--no-audit', '--no-fund', 'argon2'], { cwd: serverDir, env, quiet: true });

  // 4. code-server's own postinstall: installs and builds VS Code's server dependencies.
  const packageDir = join(serverDir, 'node_modules/code-server');
  await run('sh', ['./postinstall.sh'], {
    cwd: packageDir,
    env: { ...env, npm_config_user_agent: `npm/${npmVersion} node/${nodeVersion} ${process.platform} ${process.arch}` },
    quiet: true,
  });

  writeFileSync(
    stampFile,
    `${JSON.stringify({ format: STAMP_FORMAT, codeServer: CODE_SERVER_VERSION, nodeVersion, installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  if (!isInstalled())
    throw new Error(`code-server's install in ${cacheDir} finished but its files are missing; delete the folder and try again`);
  log(`code-server ${CODE_SERVER_VERSION} ready (Node ${nodeVersion}) in ${Math.round((Date.now() - started) / 1000)} s`);
  return describe();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureCodeServer().then(
    (install) => console.log(JSON.stringify(install, null, 2)),
    (error) => {
      console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
