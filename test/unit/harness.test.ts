// The test harness itself runs against real components: a real PostgreSQL with
// pg_stat_statements preloaded, and real git repositories.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from './harness/postgres';
import { makeRepo } from './harness/git';

describe('test harness', () => {
  describe('embedded PostgreSQL', () => {
    let pg: TestPostgres;
    before(async function () {
      this.timeout(120_000);
      pg = await startPostgres();
    });
    after(async () => pg?.stop());

    it('listens on loopback with pg_stat_statements preloaded', async () => {
      const client = new Client({ connectionString: pg.adminUrl });
      await client.connect();
      try {
        const preload = await client.query<{ shared_preload_libraries: string }>('SHOW shared_preload_libraries');
        assert.match(preload.rows[0].shared_preload_libraries, /pg_stat_statements/);
        await client.query('SELECT 1 AS warmup');
        const stats = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_statements');
        assert.ok(Number(stats.rows[0].n) > 0, 'pg_stat_statements records statements');
        const addr = await client.query<{ addr: string }>('SELECT inet_server_addr()::text AS addr');
        assert.equal(addr.rows[0].addr, '127.0.0.1/32');
      } finally {
        await client.end();
      }
    });
  });

  describe('git repositories', () => {
    it('records commits with the given authors and dates', () => {
      const repo = makeRepo();
      try {
        repo.commit({ message: 'first', date: '2026-11-01T10:00:00Z', files: { 'a.txt': 'one\n' } });
        repo.commit({
          message: 'second',
          date: '2026-11-03T12:00:00Z',
          author: { name: 'Dana', email: 'dana@example.com' },
          files: { 'a.txt': 'one\ntwo\n' },
        });
        const log = repo.git(['log', '--format=%an|%aI|%s']).trim().split('\n');
        assert.deepEqual(log, ['Dana|2026-11-03T12:00:00+00:00|second', 'Test Author|2026-11-01T10:00:00+00:00|first']);
      } finally {
        repo.remove();
      }
    });
  });
});
