// A code-server process serving the real VS Code workbench on loopback, with the extension
// installed by run.mjs. One shared server serves the whole suite (starting one costs
// seconds); a spec that needs its own environment variables (the extension host inherits
// them) starts a dedicated one with `startCodeServer({ env })` and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { e2eEnvironment } from './environment';

export type Settings = Record<string, unknown>;

/** Settings that keep the workbench quiet and deterministic for tests; a spec's settings win. */
export const BASE_SETTINGS: Settings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.autofetch': false,
  'window.restoreWindows': 'none',
};

export interface CodeServerOptions {
  /** User settings written before the server starts (merged over BASE_SETTINGS). */
  settings?: Settings;
  /** Extra environment for code-server and so for the extension host. */
  env?: NodeJS.ProcessEnv;
}

export interface CodeServer {
  readonly url: string;
  readonly userDataDir: string;
  /** code-server's own output, for a failing test's message. */
  output(): string;
  /** Rewrites user settings; the running workbench picks the change up as VS Code does. */
  writeSettings(settings: Settings): void;
  readSettings(): Settings;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();

/** Kills a process group (code-server plus its extension host, watchers, pty host...). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// Never leave a server behind, whatever ends this process.
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => process.exit(130));
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.signalCode ?? child.exitCode}) before serving:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not serve ${url} within ${timeoutMs} ms:\n${output()}`);
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const env = e2eEnvironment();
  const home = mkdtempSync(join(env.runDir, 'code-server-'));
  const userDataDir = join(home, 'user-data');
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const writeSettings = (settings: Settings) =>
    writeFileSync(settingsFile, `${JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2)}\n`);
  writeSettings(options.settings ?? {});

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    env.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    env.extensionsDir,
    '--config',
    join(home, 'config.yaml'),
  ];
  let log = '';
  const child = spawn(env.node, args, {
    // Its own process group, so stopping it also stops the extension host it spawned.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // code-server's own state (logs, config, heartbeat) stays inside this run's folder.
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      ...options.env,
    },
  });
  running.add(child);
  // Recorded so run.mjs can stop the group even if this process dies without cleaning up.
  const pidFile = join(env.runDir, `code-server.${child.pid}.pid`);
  writeFileSync(pidFile, String(child.pid));
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
    try {
      unlinkSync(pidFile);
    } catch {
      // Already removed.
    }
    rmSync(home, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitUntilServing(url, child, () => log, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    userDataDir,
    output: () => log,
    writeSettings,
    readSettings: () => JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings,
    stop,
  };
}

let shared: Promise<CodeServer> | undefined;

/** The suite-wide server with BASE_SETTINGS and no extra environment; stopped by the root hooks. */
export function sharedCodeServer(): Promise<CodeServer> {
  shared ??= startCodeServer();
  return shared;
}

export async function stopSharedCodeServer(): Promise<void> {
  if (!shared) return;
  const server = await shared.catch(() => undefined);
  shared = undefined;
  await server?.stop();
}
