// code-server for `npm run demo` where VS Code desktop is not on PATH: the same install the
// e2e tier uses (Node 24 + code-server in .cache/code-server), the extension packaged and
// installed into the demo's own extensions folder, serving on 127.0.0.1 only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer } from '../e2e/setup/ensureCodeServer.mjs';

export interface DemoCodeServer {
  url: string;
  stop(): Promise<void>;
}

export async function startCodeServerForDemo(
  root: string,
  workspaceDir: string,
  port: number,
  editorEnv: NodeJS.ProcessEnv = process.env,
): Promise<DemoCodeServer> {
  const install = await ensureCodeServer();
  const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  if (packaged.status !== 0) throw new Error('packaging the extension failed; see above');
  const home = join(root, '.cache', 'demo', 'code-server');
  rmSync(home, { recursive: true, force: true });
  const extensionsDir = join(home, 'extensions');
  const userDataDir = join(home, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoUpdate': false,
        // The demo is about the Forensics views: no chat side bar competing for the screen.
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );
  const env = {
    ...editorEnv,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
  };
  const installed = spawnSync(
    install.node,
    [
      install.entry,
      '--install-extension',
      join(root, 'dist', 'production-forensics.vsix'),
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
    ],
    { env, encoding: 'utf8' },
  );
  if (installed.status !== 0) throw new Error(`code-server could not install the extension: ${installed.stderr}`);
  const child = spawn(
    install.node,
    [
      install.entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--config',
      join(home, 'config.yaml'),
      workspaceDir,
    ],
    { env, detached: true, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspaceDir)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('code-server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    stop: async () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
