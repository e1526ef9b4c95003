// The peers the heap bench compares against, installed OUTSIDE the extension's
// dependencies in bench/peers (its node_modules is git-ignored). Installed on first run;
// a peer that cannot be installed or resolved is reported "unavailable: <reason>".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const peersDir = resolve(__dirname, '..', 'peers');
export const PEERS = ['@memlab/core', '@vscode/v8-heap-parser'] as const;
export type Peer = (typeof PEERS)[number];

/** require() rooted in bench/peers, so the peers never resolve from the extension's node_modules. */
export const requirePeer: NodeJS.Require = createRequire(join(peersDir, 'package.json'));

/**
 * Installs the peers when any is missing and says, per peer, why it is unavailable
 * (undefined when it resolves). Install scripts are skipped: puppeteer's only downloads a
 * browser and sleep's builds a native addon, and neither is on the parse path.
 */
export function ensurePeers(log: (line: string) => void): Map<Peer, string | undefined> {
  const missing = PEERS.filter((p) => !existsSync(join(peersDir, 'node_modules', p, 'package.json')));
  let installError: string | undefined;
  if (missing.length) {
    log(`installing bench peers (${missing.join(', ')}) in ${peersDir} ...`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: peersDir,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' },
    });
    if (r.error) installError = `npm install failed: ${r.error.message}`;
    else if (r.status !== 0) installError = `npm install exited with ${r.status}: ${lastLine(r.stderr)}`;
  }
  const status = new Map<Peer, string | undefined>();
  for (const peer of PEERS) {
    try {
      requirePeer.resolve(peer);
      status.set(peer, undefined);
    } catch (err) {
      status.set(peer, installError ?? `cannot resolve from ${peersDir}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return status;
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .at(-1) ?? '(no output)'
  );
}
