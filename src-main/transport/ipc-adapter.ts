/** The IPC adapter: one `handle` channel for calls, one send channel for events, and a sender check. */
import type { CallResult } from '../common/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../common/ipc-channels';
import { WorkbenchError } from '../common/errors';
import type { EventHub } from './event-hub';
import { failure, type Router } from './router';

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

/** Electron throws when the sending frame was disposed (navigated or closed) before the call is read: such a call has no sender. */
function senderUrl(event: IpcInvokeEvent): string | null {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}

export function attachIpc(opts: IpcAdapterOptions): { addTarget(t: IpcTarget): void; dispose(): void } {
  const targets = new Set<IpcTarget>();
  // Whatever a renderer sends, it gets a CallResult back: nothing thrown here reaches Electron or the page.
  opts.ipcMain.handle(IPC_CALL_CHANNEL, async (event, method, payload): Promise<CallResult> => {
    try {
      const url = senderUrl(event);
      if (url === null || !opts.isTrustedFrame(url)) return failure(new WorkbenchError('UNAUTHORIZED', 'call from an untrusted frame'));
      return await opts.router.dispatch(method, payload);
    } catch {
      return failure(new WorkbenchError('INTERNAL', 'internal error'));
    }
  });
  const unsubscribe = opts.hub.subscribe((event, payload) => {
    for (const t of targets) {
      try {
        if (t.isDestroyed()) targets.delete(t);
        else t.send(IPC_EVENT_CHANNEL, { event, payload });
      } catch {
        // A window that went away between the check and the send: the service that raised the event must not fail for it.
        targets.delete(t);
      }
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
