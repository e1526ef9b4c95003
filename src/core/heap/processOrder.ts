// Which Node processes to offer first for a capture: those with an inspector open and those
// running from a workspace folder (by working directory or a path on the command line);
// code-server's, the editor's and other tools' Node processes go behind "Show all".
import { promises as fsp } from 'node:fs';
import { sep } from 'node:path';
import type { NodeProcess } from './processes';

export interface OrderedProcesses {
  first: NodeProcess[];
  rest: NodeProcess[];
}

/** The working directory of a process (Linux /proc), or undefined where it cannot be read. */
export async function processCwd(pid: number): Promise<string | undefined> {
  try {
    return await fsp.readlink(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

export async function orderProcesses(
  processes: NodeProcess[],
  workspaceFolders: string[],
  cwdOf: (pid: number) => Promise<string | undefined> = processCwd,
): Promise<OrderedProcesses> {
  const first: NodeProcess[] = [];
  const rest: NodeProcess[] = [];
  for (const p of processes) {
    const cwd = await cwdOf(p.pid);
    const inWorkspace = workspaceFolders.some(
      (f) => (cwd !== undefined && within(cwd, f)) || p.commandLine.split(' ').some((arg) => within(arg, f)),
    );
    (p.inspector || inWorkspace ? first : rest).push(p);
  }
  // Inspector-enabled first: those can be captured without a signal.
  first.sort((a, b) => Number(!a.inspector) - Number(!b.inspector));
  return { first, rest };
}
