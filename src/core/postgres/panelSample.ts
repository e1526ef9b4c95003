// One sample of the server for the PostgreSQL panel: statements, activity and locks read
// together on one session, stamped with one time. Every tab renders from the same sample,
// so the Activity tab's "waiting for a lock" and the Locks tab's chains cannot disagree
// the way two reads taken minutes apart did.
import type { ReadOnlySession } from './session';
import { slowStatements, type StatementOrder, type StatementsReport } from './statements';
import { readActivity, type ActivityReport } from './activity';
import { readLocks, type LocksReport } from './locks';
import { readPrivileges, type PrivilegeCheck } from './privileges';

export interface StatementsView {
  readonly report: StatementsReport;
  /** Privileges the role lacks, with what each hides. */
  readonly missingPrivileges: PrivilegeCheck[];
}

export interface PanelSample {
  /** When the sample was taken (ISO 8601); every tab shows it. */
  readonly takenAt: string;
  /** Null when pg_stat_statements cannot be read (not installed, not preloaded): `statementsError` says why. */
  readonly statements: StatementsView | null;
  readonly statementsError: string | null;
  readonly activity: ActivityReport;
  readonly locks: LocksReport;
}

export async function readPanelSample(session: ReadOnlySession, options: { order: StatementOrder; limit: number }): Promise<PanelSample> {
  const takenAt = new Date().toISOString();
  // Activity and locks first and back to back: they are the pair that must agree.
  const activity = await readActivity(session);
  const locks = await readLocks(session);
  // A server without pg_stat_statements still has sessions and locks worth showing.
  try {
    const report = await slowStatements(session, options);
    const privileges = await readPrivileges(session);
    return {
      takenAt,
      statements: { report, missingPrivileges: privileges.checks.filter((c) => !c.granted) },
      statementsError: null,
      activity,
      locks,
    };
  } catch (err) {
    return { takenAt, statements: null, statementsError: err instanceof Error ? err.message : String(err), activity, locks };
  }
}
