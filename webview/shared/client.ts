// Browser side of a panel's protocol: typed requests with replies paired by id, typed
// commands, and handlers for the host's notifications. Says `ready` once handlers are set.
import { isEnvelope, type HostMessage, type ProtocolShape, type WebviewMessage } from './ipc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export class HostClient<P extends ProtocolShape> {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly handlers = new Map<string, (params: unknown) => void>();

  constructor() {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  on<M extends keyof P['notifications'] & string>(method: M, handler: (params: P['notifications'][M]) => void): void {
    this.handlers.set(method, handler as (params: unknown) => void);
  }

  request<M extends keyof P['requests'] & string>(method: M, params: P['requests'][M]['params']): Promise<P['requests'][M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ kind: 'request', id, method, params } as WebviewMessage<P>);
    });
  }

  command<M extends keyof P['commands'] & string>(method: M, params: P['commands'][M]): void {
    this.post({ kind: 'command', method, params } as WebviewMessage<P>);
  }

  ready(): void {
    this.post({ kind: 'ready' });
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(value: unknown) {
    this.api.setState(value);
  }

  private post(message: WebviewMessage<P>): void {
    this.api.postMessage(message);
  }

  private receive(data: unknown): void {
    if (!isEnvelope(data)) return;
    const message = data as HostMessage<P>;
    if (message.kind === 'reply') {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
    } else if (message.kind === 'notify') {
      this.handlers.get(message.method)?.(message.params);
    }
  }
}
