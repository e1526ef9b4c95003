// The inspector protocol as far as heap capture needs it: discover targets with
// `/json/list` on host:port, then a WebSocket session that sends commands (replies paired
// by id) and hands protocol events to a listener.
import WebSocket from 'ws';
import { abortError } from './cancel';

export const DEFAULT_INSPECTOR_ADDRESS = '127.0.0.1:9229';
/** How long a command may go unanswered (and the WebSocket handshake may take) by default. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;

export interface InspectorTarget {
  id: string;
  title: string;
  url: string;
  webSocketDebuggerUrl: string;
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses "HOST:PORT", ":PORT", "PORT" or "[::1]:PORT"; rejects anything else with a usable message. */
export function parseInspectorAddress(address: string | undefined): HostPort {
  const text = (address ?? '').trim() || DEFAULT_INSPECTOR_ADDRESS;
  const match = /^(?:\[([^\]]+)\]|([^:]*))?:?(\d+)$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`inspector address "${text}" is not HOST:PORT (for example ${DEFAULT_INSPECTOR_ADDRESS})`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Lists the debuggable targets of the inspector listening on host:port. */
export async function listTargets(address: HostPort, timeoutMs = 3000, signal?: AbortSignal): Promise<InspectorTarget[]> {
  const url = `http://${hostForUrl(address.host)}:${address.port}/json/list`;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (err) {
    if (signal?.aborted) throw abortError();
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new Error(
      `no Node inspector answers on ${address.host}:${address.port} (${cause}); start the process with --inspect=${address.host}:${address.port} or enable it with SIGUSR1`,
      { cause: err },
    );
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}; is this a Node inspector port?`);
  const body = (await response.json()) as unknown;
  if (!Array.isArray(body)) throw new Error(`${url} did not return a list of targets`);
  return body
    .filter(
      (t): t is InspectorTarget => typeof t === 'object' && t !== null && typeof (t as InspectorTarget).webSocketDebuggerUrl === 'string',
    )
    .map((t) => ({
      id: String(t.id),
      title: String(t.title ?? ''),
      url: String(t.url ?? ''),
      webSocketDebuggerUrl: t.webSocketDebuggerUrl,
    }));
}

type EventListener = (method: string, params: Record<string, unknown>) => void;

export interface InspectorSessionOptions {
  /** The longest wait for a command's reply (default 15 s); 0 waits for ever. */
  commandTimeoutMs?: number;
  /** The longest wait for the WebSocket handshake (default: the command timeout). */
  connectTimeoutMs?: number;
}

/** One WebSocket session with an inspector target. */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private closedError: Error | undefined;
  /** When the inspector last sent anything (a reply or an event), for stall detection. */
  lastMessageAt = Date.now();

  private constructor(
    readonly socket: WebSocket,
    private readonly onEvent: EventListener,
    private readonly commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  ) {
    socket.on('message', (data) => {
      this.lastMessageAt = Date.now();
      this.receive(String(data));
    });
    socket.on('close', () => this.failAll(this.closedError ?? new Error('the inspector closed the connection (did the process exit?)')));
    socket.on('error', (err) => this.failAll(new Error(`inspector connection failed: ${err.message}`)));
  }

  static connect(
    target: InspectorTarget,
    onEvent: EventListener,
    signal?: AbortSignal,
    options: InspectorSessionOptions = {},
  ): Promise<InspectorSession> {
    const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const handshakeTimeout = options.connectTimeoutMs ?? (commandTimeoutMs || DEFAULT_COMMAND_TIMEOUT_MS);
    return new Promise((resolve, reject) => {
      // perMessageDeflate off: snapshot chunks are already cheap to send on loopback, and
      // the inspector does not negotiate it anyway. The handshake is bounded: a port that
      // accepts and never upgrades must not hang the caller.
      const socket = new WebSocket(target.webSocketDebuggerUrl, {
        perMessageDeflate: false,
        maxPayload: 256 * 1024 * 1024,
        handshakeTimeout,
      });
      const onAbort = (): void => {
        socket.terminate();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('open', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(new InspectorSession(socket, onEvent, commandTimeoutMs));
      });
      socket.once('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(new Error(`cannot connect to ${target.webSocketDebuggerUrl}: ${err.message}; another debugger may be attached`));
      });
    });
  }

  /**
   * Sends a command; rejects when no reply comes within `timeoutMs` (the session's command
   * timeout unless given; 0 waits for ever, for a caller that watches progress itself).
   */
  send(method: string, params: Record<string, unknown> = {}, timeoutMs = this.commandTimeoutMs): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id);
              const err = new Error(`the inspector did not answer ${method} within ${timeoutMs} ms (is the process stopped or hung?)`);
              err.name = 'InspectorTimeout';
              reject(err);
            }, timeoutMs)
          : undefined;
      const settle = (): void => clearTimeout(timer);
      this.pending.set(id, {
        resolve: (v) => {
          settle();
          resolve(v);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Whether the session still has a connection (it has not been closed or lost). */
  get open(): boolean {
    return !this.closedError;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(reason?: Error): void {
    this.closedError = reason ?? new Error('session closed');
    this.socket.terminate();
    this.failAll(this.closedError);
  }

  private failAll(err: Error): void {
    this.closedError ??= err;
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }

  private receive(text: string): void {
    let message: { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message?: string } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id === 'number') {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`inspector: ${message.error.message ?? 'request failed'}`));
      else waiter.resolve(message.result);
    } else if (typeof message.method === 'string') {
      this.onEvent(message.method, message.params ?? {});
    }
  }
}
