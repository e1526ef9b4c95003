// Small helpers the e2e setup scripts share: running a command with an argument array,
// and installing a missing Debian package (as root) or saying exactly what to install.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function log(message) {
  console.log(`[e2e] ${message}`);
}

/** Runs a command, streaming its output to a log-friendly prefix-less stderr; rejects on a non-zero exit. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', ...options });
    let output = '';
    if (options.quiet) {
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})${output ? `:\n${output.slice(-4000)}` : ''}`));
    });
  });
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function debianPackageInstalled(name) {
  return spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status === 0;
}

let aptUpdated = false;

/**
 * Makes sure the Debian packages are installed: installs them with apt-get when running as
 * root, otherwise throws an error naming the exact command a person has to run.
 */
export async function ensureDebianPackages(packages, why) {
  const missing = packages.filter((p) => !debianPackageInstalled(p));
  if (missing.length === 0) return;
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `${why} needs the Debian package(s) ${missing.join(' ')}. Install them with:\n  sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian package(s) ${missing.join(' ')} (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await run('apt-get', ['update', '-qq'], { env, quiet: true });
    aptUpdated = true;
  }
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, quiet: true });
}
