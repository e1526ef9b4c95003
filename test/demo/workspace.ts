// Builds the demo workspace: the checkout-api service with a real git history, so blame,
// line history and release correlation have something true to find. The history is
// derived from the service as it is now (test/demo/app): each earlier commit is the
// current code with the later changes taken out, and every removal checks that the text
// it removes exists, so an edit to the app that breaks the story fails loudly here.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const appDir = join(__dirname, 'app');
const lockedInventory = readFileSync(join(__dirname, 'history', 'inventory.locked.js'), 'utf8');

const DAY = 24 * 60 * 60 * 1000;

export interface DemoWorkspace {
  dir: string;
  /** Commit shas by step name. */
  commits: Record<StepName, string>;
  /** The release tags and the commit each names. */
  releases: Record<string, string>;
  /** When the "Tuesday" refactor was committed. */
  refactorDate: Date;
}

type StepName = 'initial' | 'sentry' | 'listeners' | 'audit' | 'refactor' | 'history';

function app(path: string): string {
  return readFileSync(join(appDir, path), 'utf8');
}

function without(text: string, snippet: string, label: string): string {
  if (!text.includes(snippet)) throw new Error(`demo history: the app no longer contains the ${label}; update test/demo/workspace.ts`);
  return text.replace(snippet, '');
}

const listenerBlock = `  // Tell this request when inventory changes so the response can mention it.
  orderEvents.on('inventory-changed', (changedSku) => {
    if (changedSku === sku) ctx.note(\`inventory changed for \${changedSku}\`);
  });

`;
const auditFunction = `async function recordAudit(orderId, action) {
  await pool.query('INSERT INTO audit_log (order_id, action) VALUES ($1, $2)', [orderId, action]);
}

`;
const historyFunction = `
async function ordersForCustomer(email) {
  const { rows: orders } = await pool.query(
    'SELECT id, sku, quantity, created_at FROM orders WHERE customer_email = $1 ORDER BY created_at DESC',
    [email],
  );
  for (const order of orders) {
    const { rows } = await pool.query('SELECT name FROM inventory WHERE sku = $1', [order.sku]);
    order.name = rows[0] ? rows[0].name : null;
  }
  return orders;
}
`;
const historyRoute = `  if (req.method === 'GET' && url.pathname === '/orders') {
    return send(res, 200, await ordersForCustomer(url.searchParams.get('email')));
  }
`;
const auditTable = `
CREATE TABLE IF NOT EXISTS audit_log (
  id         bigserial PRIMARY KEY,
  order_id   bigint NOT NULL,
  action     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;

function ordersAt(step: StepName): string {
  let text = app('src/orders.js');
  const order: StepName[] = ['initial', 'sentry', 'listeners', 'audit', 'refactor', 'history'];
  const at = order.indexOf(step);
  if (at < order.indexOf('history')) {
    text = without(text, historyFunction, 'order history function');
    text = text.replace('module.exports = { createOrder, ordersForCustomer };', 'module.exports = { createOrder };');
  }
  if (at < order.indexOf('audit')) {
    text = without(text, auditFunction, 'audit function');
    text = without(text, "  recordAudit(orderId, 'created');\n", 'audit call');
  }
  if (at < order.indexOf('listeners')) {
    text = without(text, listenerBlock, 'inventory listener');
    text = without(text, "  orderEvents.emit('inventory-changed', sku);\n", 'inventory event');
    text = without(text, "const { orderEvents } = require('./events');\n", 'events import');
  }
  return text;
}

function serverAt(step: StepName): string {
  let text = app('src/server.js');
  if (step !== 'history') {
    text = without(text, historyRoute, 'order history route');
    text = text.replace('const { createOrder, ordersForCustomer } = require', 'const { createOrder } = require');
  }
  if (step === 'initial') {
    text = without(text, "const Sentry = require('@sentry/node');\n", 'Sentry import');
    text = without(text, '    Sentry.captureException(err);\n', 'Sentry capture');
    text = without(
      text,
      '    // The customer is the user of any incident this request hits (the scope is per request).\n',
      'Sentry user comment',
    );
    text = without(text, '    if (body.email) Sentry.getIsolationScope().setUser({ id: body.email });\n', 'Sentry user');
    text = without(text, '  await Sentry.close(2000);\n', 'Sentry flush');
  }
  return text;
}

function packageAt(version: string): string {
  const pkg = JSON.parse(app('package.json')) as { version: string; scripts: Record<string, string> };
  pkg.version = version;
  return JSON.stringify(pkg, null, 2) + '\n';
}

interface Step {
  name: StepName;
  daysAgo: number;
  author: [string, string];
  message: string;
  files: Record<string, string>;
  tag?: string;
}

/** The most recent Tuesday at least two days before `now`, at 14:20 UTC. */
export function refactorTuesday(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 14, 20));
  d.setTime(d.getTime() - 2 * DAY);
  while (d.getUTCDay() !== 2) d.setTime(d.getTime() - DAY);
  return d;
}

function steps(): Step[] {
  const schemaNoAudit = without(app('schema.sql'), auditTable, 'audit table');
  const pkgNoSentry = (v: string) => {
    const pkg = JSON.parse(packageAt(v)) as { dependencies: Record<string, string>; scripts: Record<string, string> };
    delete pkg.dependencies['@sentry/node'];
    pkg.scripts.start = 'node src/server.js';
    return JSON.stringify(pkg, null, 2) + '\n';
  };
  return [
    {
      name: 'initial',
      daysAgo: 26,
      author: ['Maya Chen', 'maya.chen@example.com'],
      message: 'checkout-api: orders and inventory over PostgreSQL',
      files: {
        'README.md': app('README.md'),
        'package.json': pkgNoSentry('1.0.0'),
        'schema.sql': schemaNoAudit,
        'seed.sql': app('seed.sql'),
        'src/db.js': app('src/db.js'),
        'src/errors.js': app('src/errors.js'),
        'src/context.js': app('src/context.js'),
        'src/inventory.js': lockedInventory,
        'src/orders.js': ordersAt('initial'),
        'src/server.js': serverAt('initial'),
      },
      tag: 'checkout-api@1.0.0',
    },
    {
      name: 'sentry',
      daysAgo: 21,
      author: ['Sam Okafor', 'sam.okafor@example.com'],
      message: 'Report errors to Sentry with release and environment',
      files: { 'package.json': packageAt('1.1.0'), 'src/instrument.js': app('src/instrument.js'), 'src/server.js': serverAt('sentry') },
      tag: 'checkout-api@1.1.0',
    },
    {
      name: 'listeners',
      daysAgo: 16,
      author: ['Priya Raman', 'priya.raman@example.com'],
      message: 'Tell in-flight orders when inventory changes',
      files: { 'src/events.js': app('src/events.js'), 'src/orders.js': ordersAt('listeners') },
    },
    {
      name: 'audit',
      daysAgo: 12,
      author: ['Maya Chen', 'maya.chen@example.com'],
      message: 'Audit log for created orders',
      files: { 'package.json': packageAt('1.3.0'), 'schema.sql': app('schema.sql'), 'src/orders.js': ordersAt('audit') },
      tag: 'checkout-api@1.3.0',
    },
    {
      name: 'refactor',
      daysAgo: -1,
      author: ['Jordan Blake', 'jordan.blake@example.com'],
      message:
        'perf: drop the transaction and row lock from reserveStock\n\nThe FOR UPDATE lock serialises checkouts of hot SKUs. Without it p99 of\nPOST /orders went from 180 ms to 40 ms in staging. The stock check still\nhappens before the update.',
      files: { 'src/inventory.js': app('src/inventory.js') },
    },
    {
      name: 'history',
      daysAgo: -1,
      author: ['Sam Okafor', 'sam.okafor@example.com'],
      message: 'Customer order history endpoint',
      files: { 'package.json': packageAt('1.4.0'), 'src/orders.js': ordersAt('history'), 'src/server.js': serverAt('history') },
      tag: 'checkout-api@1.4.0',
    },
  ];
}

export function buildDemoWorkspace(dir: string, now = new Date()): DemoWorkspace {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tuesday = refactorTuesday(now);
  const git = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  git(['init', '--quiet', '--initial-branch=main']);
  git(['config', 'commit.gpgsign', 'false']);
  git(['config', 'user.name', 'checkout-api team']);
  git(['config', 'user.email', 'team@example.com']);
  const commits = {} as Record<StepName, string>;
  const releases: Record<string, string> = {};
  for (const step of steps()) {
    // Negative daysAgo means "hours after the Tuesday refactor" (the refactor itself, then the release).
    const when =
      step.daysAgo >= 0
        ? new Date(Math.min(now.getTime() - step.daysAgo * DAY, tuesday.getTime() - DAY))
        : new Date(tuesday.getTime() + (step.name === 'refactor' ? 0 : 3 * 60 * 60 * 1000));
    for (const [path, content] of Object.entries(step.files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(['add', '-A']);
    const [name, email] = step.author;
    const date = when.toISOString();
    git(['commit', '--quiet', '-m', step.message], {
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: name,
      GIT_COMMITTER_EMAIL: email,
      GIT_COMMITTER_DATE: date,
    });
    commits[step.name] = git(['rev-parse', 'HEAD']).trim();
    if (step.tag) {
      git(['tag', step.tag]);
      releases[step.tag] = commits[step.name];
    }
  }
  // The working tree must equal the app as shipped: the last commit is the current code.
  for (const path of ['src/server.js', 'src/orders.js', 'src/inventory.js', 'schema.sql']) {
    if (readFileSync(join(dir, path), 'utf8') !== app(path)) throw new Error(`demo history: ${path} at HEAD differs from test/demo/app`);
  }
  return { dir, commits, releases, refactorDate: tuesday };
}

/**
 * The demo's editor settings (the local Sentry and the inspector address), kept out of the
 * service's history: excluded in .git/info/exclude, so Source Control shows no change the
 * user would wonder about, and the first change they see there is one they made.
 */
export function writeDemoSettings(dir: string, settings: Record<string, unknown>): void {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  appendFileSync(join(dir, '.git', 'info', 'exclude'), '# written by npm run demo for this machine only\n/.vscode/\n');
}
