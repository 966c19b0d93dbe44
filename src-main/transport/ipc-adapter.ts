/** The IPC adapter: one `handle` channel for calls, one send channel for events, and a sender check. */
import type { CallResult } from '../common/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../common/ipc-channels';
import { WorkbenchError } from '../common/errors';
import type { EventHub } from './event-hub';
import type { Router } from './router';

/** The part of Electron's ipcMain event this adapter reads; injected so the adapter runs in plain Node tests. */
export interface IpcInvokeEvent {
  senderFrame: { url: string } | null;
  sender: { id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export interface IpcAdapterOptions {
  ipcMain: IpcMainLike;
  router: Router;
  hub: EventHub;
  /** True when a frame URL belongs to our own renderer (the app's file or dev-server origin). */
  isTrustedFrame(url: string): boolean;
}

export function attachIpc(opts: IpcAdapterOptions): { addTarget(t: IpcTarget): void; dispose(): void } {
  const targets = new Set<IpcTarget>();
  opts.ipcMain.handle(IPC_CALL_CHANNEL, async (event, method, payload): Promise<CallResult> => {
    const url = event.senderFrame?.url ?? '';
    if (!opts.isTrustedFrame(url)) {
      return { ok: false, error: new WorkbenchError('UNAUTHORIZED', 'call from an untrusted frame').toShape() };
    }
    return opts.router.dispatch(method as string, payload);
  });
  const unsubscribe = opts.hub.subscribe((event, payload) => {
    for (const t of targets) {
      if (t.isDestroyed()) targets.delete(t);
      else t.send(IPC_EVENT_CHANNEL, { event, payload });
    }
  });
  return {
    addTarget: (t) => targets.add(t),
    dispose() {
      unsubscribe();
      opts.ipcMain.removeHandler(IPC_CALL_CHANNEL);
      targets.clear();
    },
  };
}
