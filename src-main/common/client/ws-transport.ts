/** Transport over the headless server's WebSocket, with the session token from the page URL. */
import { ApiError, type Transport } from './transport-port';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type ServerMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string; details?: unknown } }
  | { event: string; payload: unknown };

export interface WsTransportOptions {
  /** e.g. ws://127.0.0.1:5173/api */
  url: string;
  token: string;
  /** Base for file URLs, e.g. http://127.0.0.1:5173 */
  httpBase: string;
  WebSocketImpl?: typeof WebSocket;
}

export function createWsTransport(opts: WsTransportOptions): Transport & { close(): void; ready: Promise<void> } {
  const Impl = opts.WebSocketImpl ?? WebSocket;
  const socket = new Impl(`${opts.url}?token=${encodeURIComponent(opts.token)}`);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new ApiError('UNAUTHORIZED', 'could not connect to the workbench server')));
  });
  socket.addEventListener('message', (ev: MessageEvent) => {
    const msg = JSON.parse(String(ev.data)) as ServerMessage;
    if ('event' in msg) {
      listeners.get(msg.event)?.forEach((l) => l(msg.payload));
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new ApiError(msg.error.code, msg.error.message, msg.error.details));
  });
  socket.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new ApiError('INTERNAL', 'connection to the workbench server closed'));
    pending.clear();
  });

  return {
    ready,
    async call(method, payload) {
      await ready;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, payload }));
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    fileUrl: (p) =>
      `${opts.httpBase}/files/${p.split('/').map(encodeURIComponent).join('/')}?token=${encodeURIComponent(opts.token)}`,
    async upload(session, path, file, o = {}) {
      const query = new URLSearchParams({ token: opts.token, session, path });
      if (o.tooLarge !== undefined) query.set('tooLarge', String(o.tooLarge));
      const res = await fetch(`${opts.httpBase}/upload?${query.toString()}`, { method: 'POST', body: file ?? '', signal: o.signal });
      if (res.ok) return;
      const why = ((await res.json().catch(() => null)) as { error?: string } | null)?.error ?? res.statusText;
      throw new ApiError(res.status === 401 ? 'UNAUTHORIZED' : 'INVALID_REQUEST', `upload of ${path} failed (${res.status}): ${why}`);
    },
    close: () => socket.close(),
  };
}
