// Local Node processes a heap snapshot can be taken from. On Linux this reads /proc:
// the command line of each process, its listening TCP sockets (matched through the
// socket inodes of its file descriptors), and which of those ports answers the
// inspector's `/json/list`. Elsewhere the list is empty and the user types an address.
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { redactArgv } from '../common/redactSecrets';
import { listTargets } from './inspector';

export interface NodeProcess {
  pid: number;
  /** The command line, with passwords, tokens and URL credentials replaced by ***. */
  commandLine: string;
  /** "HOST:PORT" of the inspector when one is listening. */
  inspector?: string;
}

function isNodeExecutable(argv0: string): boolean {
  return /^(node|nodejs|node\d+)(\.exe)?$/.test(basename(argv0));
}

interface Listener {
  host: string;
  port: number;
  inode: string;
}

function decodeIpv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

/** Listening sockets from /proc/net/tcp and tcp6 (state 0A), keyed by socket inode. */
async function listeningSockets(): Promise<Map<string, Listener>> {
  const byInode = new Map<string, Listener>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const [addrHex, portHex] = cols[1]!.split(':') as [string, string];
      const v6 = addrHex.length > 8;
      const loopback = v6 ? addrHex === '00000000000000000000000001000000' : addrHex.endsWith('7F');
      const any = /^0+$/.test(addrHex);
      const host = v6 ? (loopback ? '::1' : any ? '127.0.0.1' : '') : any ? '127.0.0.1' : decodeIpv4(addrHex);
      if (!host) continue;
      byInode.set(cols[9]!, { host, port: parseInt(portHex, 16), inode: cols[9]! });
    }
  }
  return byInode;
}

async function socketInodes(pid: number): Promise<string[]> {
  const inodes: string[] = [];
  let fds: string[];
  try {
    fds = await fsp.readdir(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const link = await fsp.readlink(`/proc/${pid}/fd/${fd}`);
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m) inodes.push(m[1]!);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return inodes;
}

async function inspectorAmong(listeners: Listener[]): Promise<string | undefined> {
  for (const l of listeners) {
    try {
      const targets = await listTargets({ host: l.host, port: l.port }, 800);
      if (targets.length > 0) return `${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`;
    } catch {
      // Not an inspector (an HTTP server of the app, say).
    }
  }
  return undefined;
}

/** Node processes of this machine (Linux), this one excluded. */
export async function listNodeProcesses(): Promise<NodeProcess[]> {
  if (process.platform !== 'linux') return [];
  const sockets = await listeningSockets();
  const out: NodeProcess[] = [];
  for (const entry of await fsp.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let argv: string[];
    try {
      argv = (await fsp.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (argv.length === 0 || !isNodeExecutable(argv[0]!)) continue;
    const listeners = (await socketInodes(pid)).map((i) => sockets.get(i)).filter((l): l is Listener => !!l);
    // Other people's command lines carry their secrets (--password, DATABASE_URL=…): the list
    // is shown and printed, so it never holds them.
    out.push({ pid, commandLine: redactArgv(argv).join(' '), inspector: await inspectorAmong(listeners) });
  }
  return out;
}

/** What enabling the inspector does, said before doing it. */
export const SIGUSR1_EXPLANATION =
  'Sending SIGUSR1 makes Node open its inspector on 127.0.0.1:9229 (or the port given by --inspect-port). ' +
  'Anyone who can reach that port on this machine can run code in the process until it exits.';

/**
 * Asks a Node process to open its inspector (SIGUSR1) and waits until it answers.
 * Not available on Windows, where Node has no SIGUSR1.
 */
export async function enableInspector(pid: number, timeoutMs = 5000): Promise<string> {
  if (process.platform === 'win32')
    throw new Error('enabling the inspector with SIGUSR1 is not possible on Windows; restart the process with --inspect');
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (err) {
    throw new Error(`cannot signal process ${pid}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = (await listNodeProcesses()).find((p) => p.pid === pid);
    if (!found) throw new Error(`process ${pid} is gone`);
    if (found.inspector) return found.inspector;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `process ${pid} did not open an inspector within ${timeoutMs} ms (is it a Node process started without --disable-sigusr1?)`,
  );
}
