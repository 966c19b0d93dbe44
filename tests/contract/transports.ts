/** The two transports the contract suite runs over: IPC (in-process fake of ipcMain/ipcRenderer) and WebSocket (real). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { CallResult, Handlers } from '../../src-main/common/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../src-main/common/ipc-channels';
import type { EventHub } from '../../src-main/transport/event-hub';
import { attachIpc, type IpcInvokeEvent, type IpcMainLike } from '../../src-main/transport/ipc-adapter';
import { createRouter } from '../../src-main/transport/router';
import type { UploadReceiver } from '../../src-main/transport/upload-route';
import { startWsServer, type RunningServer } from '../../src-main/transport/ws-server';
import { createClient, type WorkbenchClient } from '../../src-renderer/api/client';
import { createIpcTransport } from '../../src-renderer/api/ipc-transport';
import { ApiError } from '../../src-renderer/api/transport';
import { createWsTransport } from '../../src-renderer/api/ws-transport';
import { tempDir, type makeWorkbench } from '../fixtures/workbench';

export interface Connected {
  client: WorkbenchClient;
  close(): Promise<void>;
  server?: RunningServer;
}

export const TRUSTED_URL = 'file:///app/out/renderer/index.html';

/** A fake of Electron's ipcMain + one renderer frame, enough to drive the real adapter and bridge. */
export class FakeIpc implements IpcMainLike {
  private handler: ((event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>) | null = null;
  readonly eventListeners = new Set<(message: { event: string; payload: unknown }) => void>();

  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>) {
    if (channel !== IPC_CALL_CHANNEL) throw new Error(`unexpected channel ${channel}`);
    this.handler = listener;
  }

  removeHandler() {
    this.handler = null;
  }

  invoke(frameUrl: string, method: string, payload: unknown): Promise<CallResult> {
    if (!this.handler) throw new Error('no handler');
    return this.handler({ senderFrame: { url: frameUrl }, sender: { id: 1 } }, method, payload) as Promise<CallResult>;
  }

  /** The window's webContents as the adapter sees it. */
  target = {
    send: (channel: string, message: unknown) => {
      if (channel === IPC_EVENT_CHANNEL) this.eventListeners.forEach((l) => l(message as { event: string; payload: unknown }));
    },
    isDestroyed: () => false,
  };
}

export function connectIpc(handlers: Handlers, hub: EventHub): Connected & { ipc: FakeIpc } {
  const ipc = new FakeIpc();
  const adapter = attachIpc({ ipcMain: ipc, router: createRouter(handlers), hub, isTrustedFrame: (u) => u === TRUSTED_URL });
  adapter.addTarget(ipc.target);
  // What the preload exposes as window.workbench.
  const bridge = {
    call: (method: string, payload: unknown) => ipc.invoke(TRUSTED_URL, method, payload),
    on: (event: string, listener: (p: unknown) => void) => {
      const l = (m: { event: string; payload: unknown }) => m.event === event && listener(m.payload);
      ipc.eventListeners.add(l);
      return () => ipc.eventListeners.delete(l);
    },
  };
  return { ipc, client: createClient(createIpcTransport(bridge)), close: async () => adapter.dispose() };
}

export async function connectWs(
  handlers: Handlers,
  hub: EventHub,
  resolveDataFile: (rel: string) => string,
  staticDir: string,
  uploads?: UploadReceiver,
): Promise<Connected> {
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GAN Workbench</title>');
  const server = await startWsServer({ router: createRouter(handlers), hub, staticDir, resolveDataFile, uploads });
  const transport = createWsTransport({
    url: `ws://127.0.0.1:${server.port}/api`,
    token: server.token,
    httpBase: server.url,
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  await transport.ready;
  return {
    server,
    client: createClient(transport),
    async close() {
      transport.close();
      await server.close();
    },
  };
}

/** Each transport the suite runs over, connecting a client to a Workbench made by makeWorkbench. */
export const transports = {
  ipc: (wb: ReturnType<typeof makeWorkbench>) => Promise.resolve(connectIpc(wb.workbench.handlers, wb.hub)),
  websocket: (wb: ReturnType<typeof makeWorkbench>) =>
    connectWs(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('static')),
};

/** The ApiError a call fails with; fails the test when the call succeeds. */
export async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
