/** Stores over the real contract: a Transport that dispatches to a real Workbench's router (real SQLite, real schema), no fakes. */
import { createApp } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter } from '../../../src-main/transport/router';
import { createClient } from '../../../src-main/common/client/client';
import { ApiError, type Transport } from '../../../src-main/common/client/transport-port';
import { provideClient } from '../../../src-renderer/stores/client';
import type { Workbench } from '../../../src-main/core/workbench';
import type { EventHub } from '../../../src-main/transport/event-hub';
import { makeWorkbench } from '../../fixtures/workbench';

/** The renderer's Transport straight onto a Workbench's router: every request validated by the contract. */
export function realTransport(workbench: Workbench, hub: EventHub): Transport {
  const router = createRouter(workbench.handlers);
  return {
    async call(method, payload) {
      const reply = await router.dispatch(method, payload);
      if (reply.ok) return reply.result;
      throw new ApiError(reply.error.code, reply.error.message, reply.error.details);
    },
    on: (event, listener) => hub.subscribe((e, p) => e === event && listener(p)),
    fileUrl: (p) => `file://${workbench.dataDir.root}/${p}`,
  };
}

export function setupRealStores(): { workbench: Workbench; hub: EventHub; close(): void } {
  const { workbench, hub } = makeWorkbench();
  const app = createApp({});
  provideClient(app, createClient(realTransport(workbench, hub)));
  const pinia = createPinia();
  app.use(pinia);
  setActivePinia(pinia);
  return { workbench, hub, close: () => workbench.close() };
}
