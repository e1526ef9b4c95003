// The shape every webview protocol follows, shared by the extension host and the browser
// side. A panel's own protocol.ts names its requests (webview → host, answered with a
// reply paired by id), its commands (webview → host, no reply) and its notifications
// (host → webview). Nothing on the wire is `any`.

export interface ProtocolShape {
  requests: Record<string, { params: unknown; result: unknown }>;
  commands: Record<string, unknown>;
  notifications: Record<string, unknown>;
}

type ValuesOf<T> = T[keyof T];

export type WebviewMessage<P extends ProtocolShape> =
  | { kind: 'ready' }
  | ValuesOf<{ [M in keyof P['requests'] & string]: { kind: 'request'; id: number; method: M; params: P['requests'][M]['params'] } }>
  | ValuesOf<{ [M in keyof P['commands'] & string]: { kind: 'command'; method: M; params: P['commands'][M] } }>;

export type HostMessage<P extends ProtocolShape> =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string }
  | ValuesOf<{ [M in keyof P['notifications'] & string]: { kind: 'notify'; method: M; params: P['notifications'][M] } }>;

/** Narrow an unknown message coming off postMessage to the envelope shape (not the payload). */
export function isEnvelope(value: unknown): value is { kind: string; method?: string; id?: number } {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
