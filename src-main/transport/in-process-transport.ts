/** The contract's door inside one process: the CLI calls the same router as IPC and WebSocket, and hears the same events. */
import { ApiError, type Transport } from '../common/client/transport-port';
import type { EventHub } from './event-hub';
import type { Router } from './router';

export function createInProcessTransport(router: Router, hub: EventHub): Transport {
  return {
    async call(method, payload) {
      // A round trip through JSON, as over the wire: a caller never shares objects with the core.
      const reply = await router.dispatch(method, JSON.parse(JSON.stringify(payload ?? {})) as unknown);
      if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message, reply.error.details);
      return reply.result;
    },
    on(event, listener) {
      return hub.subscribe((e, payload) => {
        if (e === event) listener(payload);
      });
    },
    fileUrl: (relativePath) => relativePath,
  };
}
