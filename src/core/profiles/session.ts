// One inspector session for a recording, over the heap capture's client
// (core/heap/inspector.ts). What a recording needs on top: every call bounded in time
// (a process that hangs or a debugger that holds it must not hang the CLI), and a promise
// that settles when the connection drops, so a process that exits mid-profile is told
// apart from a profile that ends.
import { abortError } from '../heap/cancel';
import { InspectorSession, listTargets, parseInspectorAddress, type InspectorTarget } from '../heap/inspector';

/** How long one protocol call may take. Stopping a 10-minute profile serialises ~10 MB in the target: well under this. */
export const CALL_TIMEOUT_MS = 30_000;

export interface RecordingSession {
  readonly target: InspectorTarget;
  /** HOST:PORT as given, for messages. */
  readonly label: string;
  call<T = unknown>(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Rejects once the connection is gone (the process exited or closed its inspector). */
  readonly closed: Promise<never>;
  /** Why the other end went away, once it has. */
  lostReason(): Error | undefined;
  close(): void;
}

function pickTarget(targets: InspectorTarget[], label: string, targetId?: string): InspectorTarget {
  if (targets.length === 0) throw new Error(`the inspector on ${label} lists no targets`);
  if (!targetId) return targets[0]!;
  const found = targets.find((t) => t.id === targetId);
  // Worker threads are not listed by /json/list: Node reaches them only through the main thread's session.
  if (!found)
    throw new Error(
      `the inspector on ${label} has no target ${targetId} (it lists ${targets.map((t) => t.id).join(', ')}; worker threads are not listed, profile the main thread)`,
    );
  return found;
}

export async function openRecordingSession(
  address: string | undefined,
  targetId: string | undefined,
  signal?: AbortSignal,
): Promise<RecordingSession> {
  const hostPort = parseInspectorAddress(address);
  const label = `${hostPort.host}:${hostPort.port}`;
  const target = pickTarget(await listTargets(hostPort, 3000, signal), label, targetId);
  const session = await InspectorSession.connect(target, () => undefined, signal);
  let markClosed!: (err: Error) => void;
  const closed = new Promise<never>((_resolve, reject) => (markClosed = reject));
  closed.catch(() => undefined);
  let closedByUs = false;
  let lost: Error | undefined;
  session.socket.once('close', () => {
    if (!closedByUs) lost = new Error(`the process behind ${label} exited or closed its inspector`);
    markClosed(lost ?? new Error('session closed'));
  });
  return {
    target,
    label,
    closed,
    lostReason: () => lost,
    call<T>(method: string, params: Record<string, unknown> = {}, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `${method} got no answer from ${label} within ${Math.round(timeoutMs / 1000)} s (is the process stopped in a debugger?)`,
              ),
            ),
          timeoutMs,
        );
      });
      // A call cut off by the connection dropping says why (the client's own message is vaguer).
      return Promise.race([session.send(method, params) as Promise<T>, timeout, closed])
        .catch((err: Error) => {
          throw lost ?? err;
        })
        .finally(() => clearTimeout(timer));
    },
    close() {
      closedByUs = true;
      session.close();
    },
  };
}

/** Waits `ms`, or less: rejects with the abort error on cancel, or with why the connection dropped. */
export function waitWhileConnected(
  ms: number,
  session: RecordingSession,
  signal: AbortSignal | undefined,
  onTick?: (msLeft: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const until = Date.now() + ms;
    const finish = (err?: Error): void => {
      clearInterval(ticker);
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => finish(abortError());
    const ticker = setInterval(() => onTick?.(Math.max(0, until - Date.now())), 1000);
    const timer = setTimeout(() => finish(), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    session.closed.catch((err: Error) => finish(err));
  });
}
