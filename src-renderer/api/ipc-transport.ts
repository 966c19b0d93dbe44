/** Transport over the preload bridge of the desktop app (`window.workbench`). */
import { appFileUrl } from '@common/app-url';
import type { CallResult } from '@common/contract';
import { ApiError, type Transport } from '@common/client/transport-port';

export interface PreloadBridge {
  call(method: string, payload: unknown): Promise<CallResult>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function createIpcTransport(bridge: PreloadBridge): Transport {
  return {
    async call(method, payload) {
      const reply = await bridge.call(method, payload);
      if (reply.ok) return reply.result;
      throw new ApiError(reply.error.code, reply.error.message, reply.error.details);
    },
    on: (event, listener) => bridge.on(event, listener),
    fileUrl: appFileUrl,
  };
}
