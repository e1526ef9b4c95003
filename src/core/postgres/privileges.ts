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
    'reading the role\'s privileges',
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
        hides: stats ? '' : 'other roles\' statement texts in pg_stat_statements read "<insufficient privilege>", and their sessions in pg_stat_activity show no state, query or wait event (blocking chains then show pids without statements). GRANT pg_read_all_stats (or pg_monitor) TO this role.',
      },
      {
        name: 'pg_read_all_settings',
        granted: settings,
        hides: settings ? '' : 'superuser-only settings such as shared_preload_libraries are hidden, so a missing pg_stat_statements preload is only seen when reading it fails.',
      },
      {
        name: 'pg_monitor',
        granted: r.superuser || r.monitor,
        hides: r.superuser || r.monitor ? '' : 'pg_monitor bundles the two above plus pg_stat_scan_tables; it is the usual grant for monitoring roles.',
      },
    ],
  };
}
