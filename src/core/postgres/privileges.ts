// What the connected role may see, and what it cannot: without pg_read_all_stats (or
// pg_monitor, or superuser) other roles' statement texts and session details are hidden.
import type { ReadOnlySession } from './session';
import { TOOL_TAG } from './statements';

export interface PrivilegeCheck {
  readonly name: string;
  readonly granted: boolean;
  /** What is hidden when it is missing (empty when granted). */
  readonly hides: string;
}

export interface PrivilegesReport {
  readonly role: string;
  readonly superuser: boolean;
  readonly checks: PrivilegeCheck[];
}

export async function readPrivileges(session: ReadOnlySession): Promise<PrivilegesReport> {
  const [r] = await session.query<{ role: string; superuser: boolean; stats: boolean; monitor: boolean; settings: boolean }>(
    "reading the role's privileges",
    `SELECT ${TOOL_TAG} current_user AS role, r.rolsuper AS superuser,
            pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS stats,
            pg_has_role(current_user, 'pg_monitor', 'USAGE') AS monitor,
            pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS settings
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const stats = r.superuser || r.stats;
  const settings = r.superuser || r.settings;
  return {
    role: r.role,
    superuser: r.superuser,
    checks: [
      {
        name: 'pg_read_all_stats',
        granted: stats,
        hides: stats
          ? ''
          : `other roles' statement texts in pg_stat_statements read "<insufficient privilege>" (with no query id), and their sessions in pg_stat_activity show no state, query or wait event (blocking chains then show pids without statements). ${grantReadAllStats(r.role)} (or GRANT pg_monitor)`,
      },
      {
        name: 'pg_read_all_settings',
        granted: settings,
        hides: settings
          ? ''
          : 'superuser-only settings such as shared_preload_libraries are hidden, so a missing pg_stat_statements preload is only seen when reading it fails.',
      },
      {
        name: 'pg_monitor',
        granted: r.superuser || r.monitor,
        hides:
          r.superuser || r.monitor
            ? ''
            : 'pg_monitor bundles the two above plus pg_stat_scan_tables; it is the usual grant for monitoring roles.',
      },
    ],
  };
}

/** What the connected role may see of other roles' statistics, and the grant that fixes it. */
export interface StatsVisibility {
  readonly role: string;
  /** Member of pg_read_all_stats (directly, through pg_monitor, or as superuser). */
  readonly seesAllRoles: boolean;
  /** The statement a DBA runs so the role sees everything, e.g. GRANT pg_read_all_stats TO looker; */
  readonly grant: string;
}

/** A role name as SQL: bare when PostgreSQL would read it back unchanged, else quoted. */
function roleIdentifier(role: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(role) ? role : `"${role.replace(/"/g, '""')}"`;
}

export function grantReadAllStats(role: string): string {
  return `GRANT pg_read_all_stats TO ${roleIdentifier(role)};`;
}

export async function readStatsVisibility(session: ReadOnlySession): Promise<StatsVisibility> {
  const [r] = await session.query<{ role: string; sees: boolean }>(
    'reading what the role may see',
    `SELECT ${TOOL_TAG} current_user AS role, pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS sees`,
  );
  return { role: r.role, seesAllRoles: r.sees, grant: grantReadAllStats(r.role) };
}
