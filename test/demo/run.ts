// `npm run demo`: builds the extension, starts the demo environment (embedded PostgreSQL
// with the checkout-api schema, the service with its inspector open, and its workload),
// writes the demo workspace with its git history, and opens it in VS Code with the
// extension loaded: a desktop window when `code` is on PATH, otherwise code-server on
// 127.0.0.1 (its URL is printed). Ctrl-C stops everything it started; running it again
// starts from scratch, with nothing to clean up by hand.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildDemoWorkspace, writeDemoSettings } from './workspace';
import { startDemoDatabase, startCheckoutApi } from './env';
import { runWorkload } from './load';
import { freePort } from '../unit/harness/postgres';
import { startSentryServer } from '../support/sentry-server';

const root = join(__dirname, '..', '..');
const cacheDir = join(root, '.cache', 'demo');
const log = (line: string) => process.stdout.write(`demo: ${line}\n`);

type Stopper = () => Promise<void> | void;
const stoppers: Stopper[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('stopping everything the demo started…');
    for (const stop of stoppers.reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`while stopping: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const noOpen = process.argv.includes('--no-open');
  log('building the extension…');
  const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed; see above');

  log('starting PostgreSQL (embedded, pg_stat_statements preloaded)…');
  const pg = await startDemoDatabase();
  stoppers.push(() => pg.stop());
  log(`database: postgres://postgres:***@127.0.0.1:${pg.port}/checkout`);
  // The editor started below inherits it: the PostgreSQL panel opens on the demo database.
  process.env.FORENSICS_DATABASE_URL = pg.adminUrl;

  const workspaceDir = join(cacheDir, 'workspace', 'checkout-api');
  const ws = buildDemoWorkspace(workspaceDir);
  log(`workspace with its git history: ${ws.dir}`);

  // A local Sentry-compatible server: the service reports through the real @sentry/node SDK,
  // the extension reads it through Sentry's REST API, exactly as it would read sentry.io.
  const sentry = await startSentryServer({ token: 'demo-token' });
  stoppers.push(() => sentry.stop());
  log(`Sentry (local, Sentry's API): ${sentry.url} (organization "${sentry.org}", project "checkout-api")`);

  const inspectPort = await freePort();
  const api = await startCheckoutApi({ dir: ws.dir, databaseUrl: pg.adminUrl, inspectPort, sentryDsn: sentry.dsn('1') });
  stoppers.push(() => api.stop());
  log(`checkout-api: ${api.url} (inspector on 127.0.0.1:${inspectPort})`);

  writeDemoSettings(ws.dir, {
    'forensics.heap.inspectorAddress': `127.0.0.1:${inspectPort}`,
    'forensics.sentry.url': sentry.url,
    'forensics.sentry.organization': sentry.org,
  });
  // Secrets go to the editor through its environment, never into settings.
  const editorEnv = { ...process.env, SENTRY_AUTH_TOKEN: sentry.token, FORENSICS_DATABASE_URL: pg.adminUrl };

  const workload = new AbortController();
  stoppers.push(() => workload.abort());
  void runWorkload({ apiUrl: api.url, databaseUrl: pg.adminUrl, signal: workload.signal, log: (l) => log(`load ${l}`) }).catch(
    (err: unknown) => log(`the workload stopped: ${err instanceof Error ? err.message : String(err)}`),
  );

  if (noOpen) {
    log('ready (--no-open: not opening an editor). Ctrl-C stops everything.');
    return;
  }
  if (onPath('code')) {
    log('opening VS Code with the extension loaded…');
    const code = spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, ws.dir], { stdio: 'inherit', env: editorEnv });
    stoppers.push(() => stopChild(code));
  } else {
    const { startCodeServerForDemo } = await import('./codeServer');
    const server = await startCodeServerForDemo(root, ws.dir, await freePort(), editorEnv);
    stoppers.push(() => server.stop());
    log(`VS Code (code-server) with the extension: ${server.url}`);
  }
  log('ready. Ctrl-C stops everything.');
}

main().catch((err: unknown) => {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  void stopAll(1);
});
