/** The typed API client: one object per contract method, over whichever transport the app runs on. */
import type { EventName, EventPayload, MethodName, RequestOf, ResponseOf } from '../contract';
import type { Transport } from './transport-port';

export interface WorkbenchClient {
  call<M extends MethodName>(method: M, ...payload: {} extends RequestOf<M> ? [RequestOf<M>?] : [RequestOf<M>]): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  fileUrl(relativePath: string): string;
  /** Browser uploads; undefined on the desktop, which imports folders by path. */
  upload: Transport['upload'];
}

export function createClient(transport: Transport): WorkbenchClient {
  return {
    call: (method, ...payload) => transport.call(method, payload[0] ?? {}) as never,
    on: (event, listener) => transport.on(event, listener as (p: unknown) => void),
    fileUrl: (p) => transport.fileUrl(p),
    upload: transport.upload?.bind(transport),
  };
}
