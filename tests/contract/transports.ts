/** The two transports the contract suite runs over: IPC (the shipped adapter, bridge, URL check and app:// handler over an in-process fake of Electron's IPC) and WebSocket (real). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { APP_INDEX_URL } from '../../src-main/common/app-url';
import type { CallResult, Handlers } from '../../src-main/common/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../src-main/common/ipc-channels';
import { createAppProtocolHandler } from '../../src-main/transport/app-protocol';
import type { EventHub } from '../../src-main/transport/event-hub';
import { attachIpc, type IpcInvokeEvent, type IpcMainLike } from '../../src-main/transport/ipc-adapter';
import { createRendererUrlCheck } from '../../src-main/transport/renderer-url';
import { createRouter } from '../../src-main/transport/router';
import type { UploadReceiver } from '../../src-main/transport/upload-route';
import { startWsServer, type RunningServer } from '../../src-main/transport/ws-server';
import { createClient, type WorkbenchClient } from '../../src-main/common/client/client';
import { createIpcTransport, type PreloadBridge } from '../../src-renderer/api/ipc-transport';
import { createWsTransport } from '../../src-main/common/client/ws-transport';
import { createBridge, type IpcRendererLike } from '../../src-preload/bridge';
import { ApiError } from '../../src-main/common/client/transport-port';
import { tempDir, type makeWorkbench } from '../fixtures/workbench';

export interface Connected {
  client: WorkbenchClient;
  /** Loads a URL the client made (`fileUrl`) the way the page would: over HTTP, or through the app:// handler. */
  fetch(url: string): Promise<Response>;
  close(): Promise<void>;
  server?: RunningServer;
}

/** The page the desktop window loads: the only frame the real URL check trusts. */
export const TRUSTED_URL = APP_INDEX_URL;

/** A fake of Electron's IPC plumbing (ipcMain, a frame's ipcRenderer, the window's webContents); everything on either side of it is the shipped code. */
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

  /** A call from a frame at `frameUrl`; arguments and reply are structured-cloned, as Electron's IPC does. */
  async invoke(frameUrl: string, method: unknown, payload: unknown): Promise<CallResult> {
    if (!this.handler) throw new Error('no handler');
    const reply = await this.handler({ senderFrame: { url: frameUrl }, sender: { id: 1 } }, structuredClone(method), structuredClone(payload));
    return structuredClone(reply) as CallResult;
  }

  /** The ipcRenderer of a frame loaded from `frameUrl`, as the preload sees it. */
  rendererAt(frameUrl: string): IpcRendererLike {
    return {
      invoke: async (channel, method, payload) => {
        if (channel !== IPC_CALL_CHANNEL) throw new Error(`no handler for ${channel}`);
        return this.invoke(frameUrl, method, payload);
      },
      on: (channel, listener) => {
        if (channel === IPC_EVENT_CHANNEL) this.eventListeners.add((message) => listener({ senderId: 0 }, message));
      },
    };
  }

  /** The window's webContents as the adapter sees it. */
  target = {
    send: (channel: string, message: unknown) => {
      if (channel === IPC_EVENT_CHANNEL) this.eventListeners.forEach((l) => l(structuredClone(message) as { event: string; payload: unknown }));
    },
    isDestroyed: () => false,
  };
}

export function connectIpc(
  handlers: Handlers,
  hub: EventHub,
  resolveDataFile: (rel: string) => string,
  rendererDir: string,
  frameUrl = TRUSTED_URL,
): Connected & { ipc: FakeIpc } {
  const ipc = new FakeIpc();
  const adapter = attachIpc({ ipcMain: ipc, router: createRouter(handlers), hub, isTrustedFrame: createRendererUrlCheck() });
  adapter.addTarget(ipc.target);
  // window.workbench exactly as the preload builds it; main answers every call with a CallResult (ipc-adapter).
  const bridge = createBridge(ipc.rendererAt(frameUrl));
  const appProtocol = createAppProtocolHandler({ rendererDir: writeIndex(rendererDir), resolveDataFile });
  return {
    ipc,
    client: createClient(createIpcTransport(bridge.api as PreloadBridge)),
    fetch: (url) => appProtocol(new Request(url)),
    close: async () => adapter.dispose(),
  };
}

export async function connectWs(
  handlers: Handlers,
  hub: EventHub,
  resolveDataFile: (rel: string) => string,
  staticDir: string,
  uploads?: UploadReceiver,
): Promise<Connected> {
  const server = await startWsServer({ router: createRouter(handlers), hub, staticDir: writeIndex(staticDir), resolveDataFile, uploads });
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
    fetch: (url) => fetch(url),
    async close() {
      transport.close();
      await server.close();
    },
  };
}

/** A stand-in for the built UI folder: the suite tests the API, not the UI's files. */
function writeIndex(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>GAN Workbench</title>');
  return dir;
}

/** Each transport the suite runs over, connecting a client to a Workbench made by makeWorkbench. */
export const transports = {
  ipc: (wb: ReturnType<typeof makeWorkbench>) =>
    Promise.resolve(connectIpc(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('renderer'))),
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
