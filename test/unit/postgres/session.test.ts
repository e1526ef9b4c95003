// The tool's session against a real PostgreSQL: every way connecting fails gets its own
// message without the password, the session cannot write, slow statements are cut by
// its statement_timeout, and the tool holds one connection per target at a time.
import { strict as assert } from 'node:assert';
import { createServer, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { freePort, startPostgres, type TestPostgres } from '../harness/postgres';
import { APPLICATION_NAME, DEFAULT_SESSION_SETTINGS, openSession, withSession } from '../../../src/core/postgres/session';
import { parseTarget, redactUrls, TargetError } from '../../../src/core/postgres/target';
import { PgForensicsError, type PgFailureKind } from '../../../src/core/postgres/errors';

const SECRET = 'hunter2-very-secret';

async function failure(url: string, settings = DEFAULT_SESSION_SETTINGS): Promise<PgForensicsError> {
  try {
    const s = await openSession(parseTarget(url), settings);
    await s.close();
  } catch (err) {
    assert.ok(err instanceof PgForensicsError, `expected PgForensicsError, got ${String(err)}`);
    assert.ok(!err.message.includes(SECRET), `message leaks the password: ${err.message}`);
    assert.ok(!err.message.includes('postgres://'), `message quotes the URL: ${err.message}`);
    return err;
  }
  assert.fail('connecting should have failed');
}

function expectKind(err: PgForensicsError, kind: PgFailureKind, pattern: RegExp): void {
  assert.equal(err.kind, kind, err.message);
  assert.match(err.message, pattern);
}

describe('postgres session', () => {
  let pg: TestPostgres;
  let admin: Client;
  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres();
    admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD '${SECRET}'`);
    await admin.query('CREATE TABLE orders (id int PRIMARY KEY, total int)');
    await admin.query('INSERT INTO orders VALUES (1, 10)');
    await admin.query('GRANT SELECT, UPDATE, INSERT ON orders TO app');
  });
  after(async () => {
    await admin?.end();
    await pg?.stop();
  });

  describe('connecting', () => {
    it('a wrong password is an auth failure that names the user, not the password', async () => {
      const err = await failure(pg.urlFor('app', `${SECRET}-wrong`));
      expectKind(err, 'auth', /password authentication failed for user "app"/);
      assert.doesNotMatch(err.message, /wrong/);
    });

    it('a refused port says nothing listens there', async () => {
      const port = await freePort();
      expectKind(
        await failure(`postgres://app:${SECRET}@127.0.0.1:${port}/forensics_test`),
        'refused',
        new RegExp(`connection refused by 127\\.0\\.0\\.1:${port}`),
      );
    });

    it('a missing database is named', async () => {
      expectKind(await failure(pg.urlFor('app', SECRET, 'no_such_db')), 'database-missing', /database "no_such_db" does not exist/);
    });

    it('an unresolvable host is a DNS failure', async () => {
      expectKind(
        await failure(`postgres://app:${SECRET}@no-such-host.invalid:5432/x`),
        'dns',
        /"no-such-host\.invalid" could not be resolved/,
      );
    });

    it('requiring TLS from a server without it is a TLS failure', async () => {
      expectKind(await failure(`${pg.urlFor('app', SECRET)}?sslmode=require`), 'tls', /does not support TLS/);
    });

    it('sslmode=prefer falls back to plain text when the server has no TLS', async () => {
      const s = await openSession(parseTarget(`${pg.urlFor('app', SECRET)}?sslmode=prefer`));
      try {
        assert.equal(s.usesTls, false);
      } finally {
        await s.close();
      }
    });

    it('a server that never answers times out with the limit in the message', async () => {
      const sockets: Socket[] = [];
      const silent: Server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      try {
        const err = await failure(`postgres://app:${SECRET}@127.0.0.1:${port}/x`, { ...DEFAULT_SESSION_SETTINGS, connectTimeoutMs: 300 });
        expectKind(err, 'timeout', /no answer from 127\.0\.0\.1:\d+ within 300 ms/);
      } finally {
        for (const s of sockets) s.destroy();
        silent.close();
      }
    });

    it('rejects URLs that are not postgres URLs, without echoing them', () => {
      assert.throws(
        () => parseTarget(`mysql://app:${SECRET}@host/db`),
        (e: Error) => e instanceof TargetError && !e.message.includes(SECRET),
      );
      assert.throws(() => parseTarget('not a url'), TargetError);
      assert.throws(() => parseTarget('postgres://h/db?sslmode=sometimes'), /sslmode "sometimes"/);
    });

    it('labels and redaction never show the password', () => {
      const t = parseTarget(`postgresql://app:${encodeURIComponent(SECRET)}@db.example.com:6432/shop?sslmode=verify-full`, 'replica');
      assert.equal(t.label, 'app@db.example.com:6432/shop');
      assert.equal(t.tls, 'verify-full');
      assert.equal(t.name, 'replica');
      assert.equal(redactUrls(`failed: postgres://app:${SECRET}@h/db`), 'failed: postgres://app:***@h/db');
      // Remote hosts prefer TLS by default, loopback does not bother.
      assert.equal(parseTarget('postgres://u@db.example.com/x').tls, 'prefer');
      assert.equal(parseTarget('postgres://u@127.0.0.1/x').tls, 'disable');
    });
  });

  describe('the session is safe for production', () => {
    it('is read-only: an attempted write fails with the read-only error', async () => {
      await withSession(parseTarget(pg.urlFor('app', SECRET)), DEFAULT_SESSION_SETTINGS, async (s) => {
        await assert.rejects(s.query('test write', 'UPDATE orders SET total = 0 WHERE id = 1'), (e: PgForensicsError) => {
          assert.equal(e.kind, 'read-only');
          assert.match(e.message, /read-only/);
          return true;
        });
        await assert.rejects(s.query('test ddl', 'CREATE TABLE t (x int)'), (e: PgForensicsError) => e.kind === 'read-only');
        await assert.rejects(s.query('test write', 'INSERT INTO orders VALUES (2, 1)'), (e: PgForensicsError) => e.kind === 'read-only');
      });
      const { rows } = await admin.query('SELECT total FROM orders WHERE id = 1');
      assert.equal(rows[0].total, 10);
    });

    it('a slow catalog query is cut by its statement_timeout', async () => {
      const settings = { ...DEFAULT_SESSION_SETTINGS, statementTimeoutMs: 200 };
      const started = Date.now();
      await withSession(parseTarget(pg.urlFor('app', SECRET)), settings, async (s) => {
        await assert.rejects(
          s.query('a cross join of pg_attribute', 'SELECT count(*) FROM pg_attribute a, pg_attribute b, pg_attribute c'),
          (e: PgForensicsError) => e.kind === 'statement-timeout' && /statement_timeout \(200 ms\)/.test(e.message),
        );
      });
      assert.ok(Date.now() - started < 5000, 'cancelled promptly');
    });

    it('names itself, sets short lock and statement timeouts, and reports the server version', async () => {
      await withSession(
        parseTarget(pg.urlFor('app', SECRET)),
        { statementTimeoutMs: 1234, lockTimeoutMs: 321, connectTimeoutMs: 5000 },
        async (s) => {
          const [row] = await s.query<{ app: string; st: string; lt: string; ro: string }>(
            'settings',
            "SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('transaction_read_only') AS ro",
          );
          assert.deepEqual(row, { app: APPLICATION_NAME, st: '1234ms', lt: '321ms', ro: 'on' });
          assert.ok(s.serverVersionNum >= 130000, String(s.serverVersionNum));
        },
      );
    });

    it('holds one connection per target at a time', async () => {
      const target = parseTarget(pg.urlFor('app', SECRET));
      const seen: number[] = [];
      const order: string[] = [];
      const job = (name: string) =>
        withSession(target, DEFAULT_SESSION_SETTINGS, async (s) => {
          order.push(`${name}:start`);
          const [r] = await s.query<{ n: number }>('count', 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [
            APPLICATION_NAME,
          ]);
          seen.push(r.n);
          await new Promise((resolve) => setTimeout(resolve, 50));
          order.push(`${name}:end`);
        });
      await Promise.all([job('a'), job('b'), job('c')]);
      assert.deepEqual(order, ['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
      assert.deepEqual(seen, [1, 1, 1]);
    });

    it('a failed job does not block the next one', async () => {
      const target = parseTarget(pg.urlFor('app', SECRET));
      await assert.rejects(
        withSession(target, DEFAULT_SESSION_SETTINGS, async () => {
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(
        await withSession(target, DEFAULT_SESSION_SETTINGS, async (s) => (await s.query<{ one: number }>('one', 'SELECT 1 AS one'))[0].one),
        1,
      );
    });

    it('rejects timeouts that are not sensible', async () => {
      await assert.rejects(
        openSession(parseTarget(pg.urlFor('app', SECRET)), { ...DEFAULT_SESSION_SETTINGS, statementTimeoutMs: 0 }),
        /statementTimeoutMs must be a whole number/,
      );
    });
  });
});
