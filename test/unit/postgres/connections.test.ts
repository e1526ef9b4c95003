// Named connections and rates over a window, on a real server: two named connections to
// two real roles, the active one chosen and used, URLs only in the secret store; and a
// window of three real samples with different load in each interval.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../harness/postgres';
import { DEFAULT_SESSION_SETTINGS, withSession } from '../../../src/core/postgres/session';
import { TargetError } from '../../../src/core/postgres/target';
import {
  ConnectionRegistry,
  resolveTarget,
  validateConnectionName,
  variableForName,
  type ConnectionStorage,
} from '../../../src/core/postgres/connections';
import { sampleStatements } from '../../../src/core/postgres/statements';
import { RateWindow } from '../../../src/core/postgres/rateWindow';

class MemoryStorage implements ConnectionStorage {
  readonly secrets = new Map<string, string>();
  readonly state = new Map<string, unknown>();
  getSecret(key: string) {
    return Promise.resolve(this.secrets.get(key));
  }
  storeSecret(key: string, value: string) {
    this.secrets.set(key, value);
    return Promise.resolve();
  }
  deleteSecret(key: string) {
    this.secrets.delete(key);
    return Promise.resolve();
  }
  getState<T>(key: string) {
    return this.state.get(key) as T | undefined;
  }
  setState(key: string, value: unknown) {
    this.state.set(key, value);
    return Promise.resolve();
  }
}

describe('named connections and rate windows', () => {
  let pg: TestPostgres;
  let admin: Client;
  before(async function () {
    this.timeout(120_000);
    pg = await startPostgres();
    admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE replica_reader LOGIN PASSWORD 'r-secret'; CREATE ROLE staging_reader LOGIN PASSWORD 's-secret';
      CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2000) g;
      GRANT SELECT ON items TO replica_reader, staging_reader;
      -- The sampler reads another role's statements, as a monitoring role on a replica would.
      GRANT pg_read_all_stats TO replica_reader`);
  });
  after(async () => {
    await admin?.end();
    await pg?.stop();
  });

  it('keeps several named connections, uses the active one, and keeps URLs out of plain state', async () => {
    const storage = new MemoryStorage();
    const registry = new ConnectionRegistry(storage);
    assert.equal(await registry.target(), undefined, 'nothing configured');
    await registry.add('Replica', pg.urlFor('replica_reader', 'r-secret'));
    await registry.add('staging', pg.urlFor('staging_reader', 's-secret'));
    assert.deepEqual(
      registry.list().map((e) => [e.name, e.active]),
      [
        ['replica', false],
        ['staging', true],
      ],
    );
    assert.match(registry.list()[0].label, /^replica_reader@127\.0\.0\.1:\d+\/forensics_test$/);
    assert.ok(![...storage.state.values()].some((v) => JSON.stringify(v).includes('secret')), 'no password in plain state');
    const whoAmI = async () =>
      withSession(
        (await registry.target()) ?? assert.fail('no target'),
        DEFAULT_SESSION_SETTINGS,
        async (s) => (await s.query<{ u: string }>('who', 'SELECT current_user AS u'))[0].u,
      );
    assert.equal(await whoAmI(), 'staging_reader');
    await registry.setActive('replica');
    assert.equal(await whoAmI(), 'replica_reader');
    await registry.remove('replica');
    assert.deepEqual(
      registry.list().map((e) => [e.name, e.active]),
      [['staging', true]],
    );
    assert.equal(storage.secrets.size, 1);
    await assert.rejects(registry.setActive('replica'), /no connection named "replica"/);
    await assert.rejects(registry.add('prod', 'mysql://x@y/z'), /must start with postgres:\/\//);
  });

  it('offers the environment URL when nothing is stored under its name', async () => {
    const registry = new ConnectionRegistry(new MemoryStorage(), { FORENSICS_DATABASE_URL: pg.urlFor('replica_reader', 'r-secret') });
    assert.deepEqual(
      registry.list().map((e) => [e.name, e.source, e.active]),
      [['environment', 'environment', true]],
    );
    const target = await registry.target();
    assert.equal(target?.user, 'replica_reader');
  });

  it('resolves the CLI target from --url, --connection or the environment, and says what to set', () => {
    const url = pg.urlFor('staging_reader', 's-secret');
    assert.equal(resolveTarget({ url, env: {} }).user, 'staging_reader');
    assert.equal(resolveTarget({ connection: 'staging', env: { FORENSICS_DATABASE_URL_STAGING: url } }).name, 'staging');
    assert.equal(resolveTarget({ env: { DATABASE_URL: url } }).database, 'forensics_test');
    assert.throws(() => resolveTarget({ env: {} }), /pass --url .* or set FORENSICS_DATABASE_URL or DATABASE_URL/);
    assert.throws(() => resolveTarget({ connection: 'replica-1', env: {} }), /set FORENSICS_DATABASE_URL_REPLICA_1=postgres:/);
    assert.equal(variableForName('eu-replica'), 'FORENSICS_DATABASE_URL_EU_REPLICA');
    assert.throws(() => validateConnectionName('no spaces'), TargetError);
  });

  it('a window of samples charts per-interval rates of the busiest statements', async function () {
    this.timeout(30_000);
    const target = resolveTarget({ url: pg.urlFor('replica_reader', 'r-secret'), env: {} });
    const window = new RateWindow(2);
    const sample = () => withSession(target, DEFAULT_SESSION_SETTINGS, (s) => sampleStatements(s));
    const app = new Client({ connectionString: pg.urlFor('staging_reader', 's-secret') });
    await app.connect();
    try {
      assert.equal(window.add(await sample()), undefined, 'one sample has no rate yet');
      for (let i = 0; i < 30; i++) await app.query('SELECT name FROM items WHERE id = $1', [i + 1]);
      const first = window.add(await sample());
      assert.ok(first && first.seconds > 0);
      for (let i = 0; i < 10; i++) await app.query('SELECT count(*) FROM items WHERE name LIKE $1', [`%${i}%`]);
      window.add(await sample());
      for (let i = 0; i < 5; i++) await app.query('SELECT count(*) FROM items WHERE name LIKE $1', [`%${i}%`]);
      window.add(await sample());
    } finally {
      await app.end();
    }
    assert.equal(window.intervals.length, 2, 'the window keeps its size');
    const series = window.series(3);
    assert.equal(series.times.length, 2);
    const like = series.statements.find((s) => s.query === 'SELECT count(*) FROM items WHERE name LIKE $1');
    assert.ok(like, series.statements.map((s) => s.query).join(' | '));
    const calls = like.callsPerSecond.map((r, i) => Math.round(r * window.intervals[i].seconds));
    assert.deepEqual(calls, [10, 5]);
    // The point lookups ran only in the interval that fell out of the window.
    assert.ok(!series.statements.some((s) => s.query === 'SELECT name FROM items WHERE id = $1'));
  });
});
