// Scenario harness: a small service with a real git history (a "before" commit weeks ago,
// the breaking change days ago, each tagged as a release), a trigger that makes it fail
// for real and report through the real @sentry/node SDK to the local Sentry-compatible
// server, and the investigation the tool then makes from what Sentry serves back.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SentryClient } from '../../src/core/sentry/client';
import { withLatestEvent } from '../../src/core/sentry/normalize';
import type { EvidenceSources } from '../../src/core/triage/gather';
import type { Investigation } from '../../src/core/triage/investigation';
import { investigateInWorkspace } from '../../src/core/triage/investigateWorkspace';
import { startSentryServer, type SentryServer } from '../support/sentry-server';
import { makeRepo, makeTempDir, type TestRepo } from '../unit/harness/git';

const root = join(__dirname, '..', '..');
const DAY = 86_400_000;

export interface ScenarioRepo {
  repo: TestRepo;
  dir: string;
  before: string;
  breaking: string;
}

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = full;
    }
  };
  walk(dir);
  return out;
}

/** The scenario's service as a git repository: `before/` committed weeks ago, `after/` days ago. */
export function buildScenarioRepo(name: string, breaking: { message: string; author: string; daysAgo: number }, now = new Date()): ScenarioRepo {
  const scenarioDir = join(__dirname, name);
  const repo = makeRepo(`forensics-scenario-${name}-`);
  const copy = (from: string) => {
    for (const [rel, full] of Object.entries(filesUnder(from))) {
      mkdirSync(join(repo.dir, rel, '..'), { recursive: true });
      cpSync(full, join(repo.dir, rel));
    }
  };
  copy(join(scenarioDir, 'before'));
  const before = repo.commit({ message: `${name}: first version`, author: { name: 'Alex Doe', email: 'alex@example.com' }, date: new Date(now.getTime() - 30 * DAY).toISOString() });
  repo.tag(`${name}@1.0.0`);
  copy(join(scenarioDir, 'after'));
  const [authorName, authorEmail] = [breaking.author, `${breaking.author.split(' ')[0].toLowerCase()}@example.com`];
  const breakingSha = repo.commit({ message: breaking.message, author: { name: authorName, email: authorEmail }, date: new Date(now.getTime() - breaking.daysAgo * DAY).toISOString() });
  repo.tag(`${name}@1.1.0`);
  return { repo, dir: repo.dir, before, breaking: breakingSha };
}

export interface Incident {
  server: SentryServer;
  investigation: Investigation;
}

/** Runs the scenario's trigger in the service's folder with the SDK pointed at `server`. */
export function runTrigger(name: string, serviceDir: string, server: SentryServer, env: Record<string, string> = {}): Promise<void> {
  const trigger = join(__dirname, name, 'trigger.js');
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = spawn(process.execPath, [trigger], {
      cwd: serviceDir,
      env: { PATH: process.env.PATH, NODE_PATH: join(root, 'node_modules'), SENTRY_DSN: server.dsn('1'), SENTRY_RELEASE: `${name}@1.1.0`, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`trigger of ${name} exited ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}

/** The investigation of the incident with the most events, made the way the CLI makes it. */
export async function investigateTopIncident(server: SentryServer, serviceDir: string, extra: EvidenceSources = {}): Promise<Investigation> {
  const client = new SentryClient({ baseUrl: server.url, token: server.token, org: server.org });
  const { incidents } = await client.listIncidents({ sort: 'freq' });
  if (incidents.length === 0) throw new Error('the local Sentry server has no incident');
  const top = [...incidents].sort((a, b) => b.count - a.count)[0];
  const summary = withLatestEvent(top, await client.latestEvent(top.id));
  const { investigation, gaps } = await investigateInWorkspace(summary, { folders: [{ name: 'service', path: serviceDir }], extra });
  if (gaps.length) throw new Error(`evidence gaps: ${gaps.map((g) => `${g.source}: ${g.reason}`).join('; ')}`);
  return investigation;
}

export async function withSentry<T>(run: (server: SentryServer) => Promise<T>): Promise<T> {
  const server = await startSentryServer({ projects: [{ id: '1', slug: 'service', name: 'service' }] });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

export function scratchDir(): string {
  const dir = makeTempDir('forensics-scenario-');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}
