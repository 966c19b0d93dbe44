/** The preload bridge built over an ipcRenderer: the page gets `call` and `on`, with their argument types checked, and nothing else. */
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../src-main/common/ipc-channels';

/** The part of Electron's ipcRenderer the bridge uses; injected, so the bridge runs in plain Node tests. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
}

export type BridgeListener = (payload: unknown) => void;

/** What `window.workbench` is. */
export interface WorkbenchBridge {
  call(method: string, payload?: unknown): Promise<unknown>;
  on(event: string, listener: BridgeListener): () => void;
}

export interface Bridge {
  /** Exposed to the page through contextBridge. */
  api: WorkbenchBridge;
  /** Delivers a preload-local event (a folder drop) to the page's listeners. */
  emit(event: string, payload: unknown): void;
}

/** Types only: which methods and events exist, and what their payloads hold, is the contract's job in main. */
function checkString(where: string, what: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`workbench.${where}: ${what} must be a string, got ${typeof value}`);
  return value;
}

export function createBridge(ipc: IpcRendererLike): Bridge {
  const listeners = new Map<string, Set<BridgeListener>>();

  function emit(event: string, payload: unknown) {
    for (const listener of listeners.get(event) ?? []) {
      // One failing listener must not starve the others of the event.
      try {
        listener(payload);
      } catch (e) {
        console.error(`listener of ${event} failed`, e);
      }
    }
  }

  ipc.on(IPC_EVENT_CHANNEL, (_event, message) => {
    const m = message as { event?: unknown; payload?: unknown } | null;
    if (typeof m === 'object' && m !== null && typeof m.event === 'string') emit(m.event, m.payload);
  });

  const api: WorkbenchBridge = Object.freeze({
    call(method: string, payload?: unknown): Promise<unknown> {
      try {
        return ipc.invoke(IPC_CALL_CHANNEL, checkString('call', 'the method', method), payload);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    on(event: string, listener: BridgeListener): () => void {
      checkString('on', 'the event', event);
      if (typeof listener !== 'function') throw new TypeError(`workbench.on: the listener must be a function, got ${typeof listener}`);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
  });

  return { api, emit };
}
