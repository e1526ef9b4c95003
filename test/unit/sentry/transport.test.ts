// The transport's own limits, against real local servers: a body bigger than the cap is cut
// off while it streams (the server sees the connection close long before it has written
// everything), the token is never sent in clear to another host unless asked for, and an
// untrusted TLS certificate is named as such (with NODE_EXTRA_CA_CERTS as the fix, shown to
// work by a real `forensics` process) instead of being retried as a network fault.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SentryClient } from '../../../src/core/sentry/client';
import { SentryApiError } from '../../../src/core/sentry/errors';
import { makeTempDir } from '../harness/git';
import { runForensics, spawnForensics } from '../harness/cli';

const TOKEN = 'sntrys_transport-test-token-1234';
const ISSUES = readFileSync(join(__dirname, 'fixtures', 'reference', 'openapi-org-issues-list.example.json'), 'utf8');
const MB = 1024 * 1024;

async function listen<T extends Server | HttpsServer>(server: T): Promise<{ server: T; port: number }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

async function failure(p: Promise<unknown>): Promise<SentryApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SentryApiError, `expected a SentryApiError, got ${String(err)}`);
    assert.ok(!err.message.includes(TOKEN));
    return err;
  }
  assert.fail('expected the request to fail');
}

/** A Sentry issues endpoint that streams a ~50 MB list of issues (Sentry's documented item, repeated), with backpressure. */
function hugeIssues(declareLength: boolean, written: { bytes: number; closed: boolean }) {
  const item = JSON.stringify((JSON.parse(ISSUES) as unknown[])[0]);
  const copies = Math.ceil((50 * MB) / (item.length + 1));
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const total = 2 + copies * (item.length + 1) - 1;
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(total) } : {}) });
    res.on('close', () => (written.closed = true));
    let i = 0;
    const pump = (): void => {
      while (i < copies && !res.destroyed) {
        const piece = `${i === 0 ? '[' : ','}${item}${i === copies - 1 ? ']' : ''}`;
        i++;
        written.bytes += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (i >= copies) res.end();
    };
    pump();
  };
}

describe('sentry transport limits (real local servers)', function () {
  this.timeout(60_000);

  for (const declareLength of [false, true]) {
    it(`caps the response body at 20 MB while streaming${declareLength ? ' (declared Content-Length: refused before reading)' : ''}, and stops reading`, async () => {
      const written = { bytes: 0, closed: false };
      const { server, port } = await listen(createServer(hugeIssues(declareLength, written)));
      try {
        const client = new SentryClient({ baseUrl: `http://127.0.0.1:${port}`, org: 'acme', token: TOKEN, backoffBaseMs: 5 });
        const err = await failure(client.listIssues({ limit: 100 }));
        assert.equal(err.kind, 'malformed');
        assert.match(err.message, /^Sentry's answer for \/organizations\/acme\/issues\/ is larger than 20 MB; stopped reading it\./);
        assert.equal(client.http.attempts, 1, 'not retried');
        // The client cancelled the stream: the server could not push the whole 50 MB.
        for (let i = 0; i < 100 && !written.closed; i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(written.closed, 'the connection was closed by the client');
        assert.ok(written.bytes < (declareLength ? 10 : 35) * MB, `the server wrote ${(written.bytes / MB).toFixed(1)} MB`);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
  }

  it('refuses plain http:// to a host other than this machine unless opted in; loopback stays allowed', async () => {
    assert.throws(
      () => new SentryClient({ baseUrl: 'http://sentry.internal.example:9000', org: 'acme', token: TOKEN }),
      (err: unknown) =>
        err instanceof SentryApiError &&
        /^Refusing to send the Sentry auth token in clear text to http:\/\/sentry\.internal\.example:9000/.test(err.message),
    );
    for (const ok of ['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000', 'https://sentry.internal.example'])
      new SentryClient({ baseUrl: ok, org: 'acme', token: TOKEN });
    const cli = await runForensics(['sentry', 'issues', '--base-url', 'http://sentry.lan.invalid', '--org', 'acme'], {
      SENTRY_AUTH_TOKEN: TOKEN,
    });
    assert.equal(cli.code, 2);
    assert.match(
      cli.err,
      /^forensics: Refusing to send the Sentry auth token in clear text to http:\/\/sentry\.lan\.invalid.*--allow-insecure-http/,
    );
    // Opted in, the request goes out. 0.0.0.0 is not a loopback name, yet reaches this machine.
    let seen = '';
    const { server, port } = await listen(
      createServer((req, res) => {
        seen = req.headers.authorization ?? '';
        res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      }),
    );
    try {
      const insecure = await runForensics(
        ['sentry', 'issues', '--base-url', `http://0.0.0.0:${port}`, '--org', 'acme', '--allow-insecure-http'],
        { SENTRY_AUTH_TOKEN: TOKEN },
      );
      assert.equal(insecure.code, 0, insecure.err);
      assert.equal(insecure.out, 'No issues match.\n');
      assert.equal(seen, `Bearer ${TOKEN}`);
    } finally {
      server.close();
    }
  });

  describe('a self-signed TLS certificate', () => {
    let dir: string;
    let https: HttpsServer;
    let port: number;
    let connections = 0;
    let requests = 0;
    before(async function () {
      dir = makeTempDir('forensics-tls-');
      // A certificate made for this run only (no key is committed), valid for 127.0.0.1.
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
            '-days',
            '1',
            '-subj',
            '/CN=127.0.0.1',
            '-addext',
            'subjectAltName=IP:127.0.0.1',
          ],
          { stdio: 'pipe' },
        );
      } catch (err) {
        throw new Error(`this test needs the openssl command to make its certificate: ${(err as Error).message}`, { cause: err });
      }
      const server = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_req, res) => {
          requests++;
          res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
        },
      );
      server.on('connection', () => connections++);
      ({ server: https, port } = await listen(server));
    });
    after(() => {
      https?.closeAllConnections();
      https?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('is named, with the fix, and not retried', async () => {
      const client = new SentryClient({ baseUrl: `https://127.0.0.1:${port}`, org: 'acme', token: TOKEN, backoffBaseMs: 5 });
      const err = await failure(client.listIssues());
      assert.equal(err.kind, 'tls');
      assert.equal(err.transient, false);
      assert.match(
        err.message,
        /^The TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\): self-signed, or signed by a private CA .* NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem .* Not retried\.$/,
      );
      assert.doesNotMatch(err.message, /check .*network/i);
      assert.equal(client.http.attempts, 1);
      assert.equal(connections, 1, 'one TLS handshake, no retries');
      assert.equal(requests, 0, 'the token was never sent');
    });

    it('is trusted with NODE_EXTRA_CA_CERTS, as the message says (a real forensics process)', async () => {
      const args = ['sentry', 'issues', '--base-url', `https://127.0.0.1:${port}`, '--org', 'acme'];
      const without = await spawnForensics(args, dir, { SENTRY_AUTH_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: '' }).exited;
      assert.equal(without.code, 1);
      assert.match(without.err, /forensics: The TLS certificate .* is not trusted/);
      const trusted = await spawnForensics(args, dir, { SENTRY_AUTH_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }).exited;
      assert.equal(trusted.code, 0, trusted.err);
      assert.equal(trusted.out, 'No issues match.\n');
      assert.equal(requests, 1);
    });
  });
});
