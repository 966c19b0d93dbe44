/** Picks the transport the page runs on: the preload bridge on the desktop, the WebSocket in a browser. */
import { createClient, type WorkbenchClient } from '@common/client/client';
import { createIpcTransport, type PreloadBridge } from './ipc-transport';
import { createWsTransport } from '@common/client/ws-transport';

declare global {
  interface Window {
    workbench?: PreloadBridge;
  }
}

const TOKEN_KEY = 'workbench.token';

function browserToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the secret out of the address bar and history once it is stored.
    const url = new URL(window.location.href);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function connect(): WorkbenchClient {
  if (window.workbench) return createClient(createIpcTransport(window.workbench));
  const { protocol, host } = window.location;
  return createClient(
    createWsTransport({
      url: `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api`,
      token: browserToken(),
      httpBase: `${protocol}//${host}`,
    }),
  );
}

export type { WorkbenchClient } from '@common/client/client';
export { ApiError } from '@common/client/transport-port';
