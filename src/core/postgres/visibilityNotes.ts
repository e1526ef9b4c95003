// What a role without pg_read_all_stats cannot see, said the same way by the CLI and the
// PostgreSQL panel: how much is hidden, what that leaves unchecked, and the GRANT that
// fixes it. Pure functions over the reports (the panel's webview imports them too), so a
// report on partial data never reads as "all clear".
import type { StatsVisibility } from './privileges';

/** Under `db statements` and the panel's statements table. */
export function hiddenStatementsNote(r: { readonly hiddenTexts: number; readonly visibility: StatsVisibility }): string | null {
  if (r.hiddenTexts === 0) return null;
  return `${r.hiddenTexts} statement(s) of other roles are listed without their text or query id: role ${r.visibility.role} lacks pg_read_all_stats, so they cannot be planned or found in the workspace. ${r.visibility.grant}`;
}

/** Under rates (`db statements --rates`, the panel's chart). */
export function hiddenRatesNote(visibility: StatsVisibility): string | null {
  if (visibility.seesAllRoles) return null;
  return `Role ${visibility.role} cannot see other roles' statements: their load is summed per role, without text or query id. ${visibility.grant}`;
}

/** When nothing ran in a rates window. */
export function nothingRanNote(seconds: number, visibility: StatsVisibility): string {
  return `Nothing ran in the ${seconds.toFixed(1)} s window${visibility.seesAllRoles ? '' : ' that this role can see'}.`;
}

/** Above the blocking chains. pg_locks hides nothing, so the chains are complete; statements may not be. */
export function hiddenLocksNote(r: { readonly hiddenSessions: number; readonly visibility: StatsVisibility }): string | null {
  if (r.hiddenSessions === 0) return null;
  return `${r.hiddenSessions} of these sessions belong to other roles; their statements are hidden from role ${r.visibility.role}. ${r.visibility.grant}`;
}

interface ActivityVisibility {
  readonly hiddenSessions: number;
  readonly sessions: readonly unknown[];
  readonly signals: readonly unknown[];
  readonly visibility: StatsVisibility;
}

/** Above the activity report. */
export function hiddenSessionsNote(r: ActivityVisibility): string | null {
  if (r.hiddenSessions === 0) return null;
  return `${r.hiddenSessions} session(s) of other roles are hidden from role ${r.visibility.role}: their state, statement and waits cannot be checked for idle transactions or long runs. ${r.visibility.grant}`;
}

/** What to say when no signal fired: all clear only when every session was seen. */
export function noSignalsNote(r: ActivityVisibility): string {
  if (r.hiddenSessions === 0) return 'No pool pressure, long idle transactions or lock waits.';
  return `No signal among the ${r.sessions.length - r.hiddenSessions} session(s) this role can see, and no lock waits (pg_locks shows every role); the ${r.hiddenSessions} hidden session(s) were not checked for idle transactions or long runs.`;
}
