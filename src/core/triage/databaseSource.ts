// Evidence from the database, read in one read-only session: the slowest statements,
// connection use and blocking chains. A database without pg_stat_statements still gives
// activity and locks; what it could not read is left out rather than failing the source.
import { readActivity } from '../postgres/activity';
import { readLocks } from '../postgres/locks';
import { DEFAULT_SESSION_SETTINGS, withSession, type SessionSettings } from '../postgres/session';
import { slowStatements } from '../postgres/statements';
import type { ConnectionTarget } from '../postgres/target';
import type { DatabaseFacts } from './evidence';

export function databaseSource(
  target: ConnectionTarget,
  settings: SessionSettings = DEFAULT_SESSION_SETTINGS,
): () => Promise<DatabaseFacts> {
  return () =>
    withSession(target, settings, async (session) => {
      const facts: DatabaseFacts = {};
      const activity = await readActivity(session);
      facts.activity = {
        total: activity.totalConnections,
        maxConnections: activity.maxConnections,
        idleInTransaction: activity.byState['idle in transaction'] ?? 0,
        waiting: activity.waiting.length,
      };
      facts.blockingChains = (await readLocks(session)).chains.length;
      // pg_stat_statements may be absent or not preloaded: activity and locks still count.
      const statements = await slowStatements(session, { limit: 10, order: 'total' }).catch(() => undefined);
      if (statements) {
        facts.slowStatements = statements.statements
          .filter((s) => s.textVisible)
          .map((s) => ({ query: s.query, calls: s.calls, meanMs: s.meanMs, totalMs: s.totalMs }));
      }
      return facts;
    });
}
