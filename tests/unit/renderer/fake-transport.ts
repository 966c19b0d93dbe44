/** An in-memory Transport for store tests: scripted method handlers, recorded calls, and events on demand. */
import { createApp } from 'vue';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { Dataset, Run } from '../../../src-main/common/domain';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import { createClient } from '../../../src-main/common/client/client';
import { ApiError, type Transport } from '../../../src-main/common/client/transport-port';
import { provideClient } from '../../../src-renderer/stores/client';

/** A fake method: takes the request payload (typed by each test as it likes) and returns the result. */
type Handler = (payload: never) => unknown;

export interface FakeTransport extends Transport {
  calls: { method: string; payload: unknown }[];
  handlers: Record<string, Handler>;
  emit(event: string, payload: unknown): void;
  listenerCount(event: string): number;
  /** Files sent by `upload` (browser mode); a `upload` handler may fail them. */
  uploads: { session: string; path: string; bytes: number; tooLarge?: number }[];
  callsOf(method: string): unknown[];
}

export function createFakeTransport(handlers: Record<string, Handler> = {}): FakeTransport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { method: string; payload: unknown }[] = [];
  const uploads: FakeTransport['uploads'] = [];
  return {
    calls,
    uploads,
    async upload(session, path, file, opts = {}) {
      await handlers['upload']?.({ session, path } as never);
      uploads.push({ session, path, bytes: file?.size ?? 0, ...(opts.tooLarge !== undefined ? { tooLarge: opts.tooLarge } : {}) });
    },
    handlers,
    async call(method, payload) {
      calls.push({ method, payload });
      const handler = handlers[method];
      if (!handler) throw new ApiError('UNKNOWN_METHOD', `no fake handler for ${method}`);
      return structuredClone(await handler(payload as never));
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    fileUrl: (p) => `fake://data/${p}`,
    emit(event, payload) {
      listeners.get(event)?.forEach((l) => l(structuredClone(payload)));
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.payload),
  };
}

/** A real Pinia installed on a bare app that provides a client over the fake transport. */
export function setupStores(handlers: Record<string, Handler> = {}): { transport: FakeTransport; pinia: Pinia } {
  const transport = createFakeTransport(handlers);
  const app = createApp({});
  provideClient(app, createClient(transport));
  const pinia = createPinia();
  app.use(pinia);
  setActivePinia(pinia);
  return { transport, pinia };
}

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run_0001',
    name: 'dcgan-mnist',
    datasetId: 'ds_0001',
    status: 'running',
    config: defaultTrainingConfig(),
    step: 0,
    backend: 'wasm',
    reason: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    startedAt: '2025-01-01T10:00:01.000Z',
    endedAt: null,
    lastCheckpointStep: null,
    parentRunId: null,
    parentStep: null,
    preset: null,
    tags: [],
    notes: '',
    ...overrides,
  };
}

export function makeDataset(overrides: Partial<Dataset> = {}): Dataset {
  return {
    id: 'ds_0001',
    name: 'mnist',
    sourcePath: '/data/mnist',
    size: 28,
    channels: 1,
    count: 100,
    classes: ['0', '1'],
    rejectedCount: 0,
    createdAt: '2025-01-01T09:00:00.000Z',
    previewPath: 'datasets/ds_0001/preview.png',
    heldOut: 0,
    synthetic: null,
    classifier: null,
    pair: null,
    ...overrides,
  };
}

/** A promise with its resolve exposed, to hold a fake call in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
