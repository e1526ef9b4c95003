// Runs the local Sentry-compatible server on its own, for the demo and for trying the
// extension by hand:
//   npx tsx test/support/sentry-server/cli.ts [--port 9000] [--org acme]
//       [--project 1:checkout-api]... [--token TOKEN]
// Prints one JSON line ({ url, org, dsn: { projectId: dsn } }) once listening (never the
// token: pass it with --token or SENTRY_AUTH_TOKEN),
// then serves until SIGINT/SIGTERM. Bound to 127.0.0.1 only.
import { parseArgs } from 'node:util';
import { startSentryServer } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      org: { type: 'string', default: 'acme' },
      project: { type: 'string', multiple: true },
      token: { type: 'string' },
    },
  });
  const projects = (values.project ?? ['1:checkout-api']).map((spec) => {
    const [id, slug] = spec.includes(':') ? spec.split(':', 2) : [spec, spec];
    if (!/^\d+$/.test(id) || !slug) throw new Error(`--project takes ID:SLUG (e.g. 1:checkout-api), got "${spec}"`);
    return { id, slug };
  });
  const server = await startSentryServer({
    port: Number(values.port),
    org: values.org,
    projects,
    token: values.token ?? process.env.SENTRY_AUTH_TOKEN ?? 'local-dev-token',
  });
  const dsn = Object.fromEntries(projects.map((p) => [p.id, server.dsn(p.id)]));
  process.stdout.write(`${JSON.stringify({ url: server.url, org: server.org, dsn })}\n`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sentry-server: ${(err as Error).message}\n`);
  process.exit(1);
});
