// One Chromium for the whole suite (Debian's, or FORENSICS_CHROMIUM), driven by
// playwright-core. Each workbench gets its own fresh browser context.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { e2eEnvironment } from './environment';

// Without the background-networking flags Chromium keeps trying hosts this closed network
// refuses; --no-sandbox because the tests may run as root.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let shared: Promise<Browser> | undefined;

export function sharedBrowser(): Promise<Browser> {
  if (!shared) {
    const env = e2eEnvironment();
    // launch() always starts from a fresh temporary profile; this folder holds Chromium's
    // crash and cache files inside the run's folder rather than the user's home.
    const scratch = mkdtempSync(join(env.runDir, 'chromium-'));
    shared = chromium.launch({
      executablePath: env.chromium,
      headless: process.env.FORENSICS_E2E_HEADED !== '1',
      args: CHROMIUM_ARGS,
      env: { ...process.env, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch },
    });
  }
  return shared;
}

export async function closeSharedBrowser(): Promise<void> {
  if (!shared) return;
  const browser = await shared.catch(() => undefined);
  shared = undefined;
  await browser?.close();
}
