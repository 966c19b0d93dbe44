/** The headless server: the built UI, data files and the WebSocket API on 127.0.0.1, all behind one token. */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { WorkbenchError } from '../common/errors';
import type { EventHub } from './event-hub';
import { contentTypeOf, isServableDataFile } from './file-types';
import type { Router } from './router';
import { handleUpload, type UploadReceiver } from './upload-route';
import { SECURITY_HEADERS } from './web-security';

export interface WsServerOptions {
  router: Router;
  hub: EventHub;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
  /** Maps a data-relative path to an absolute file, refusing paths outside the data directory. */
  resolveDataFile(relativePath: string): string;
  port?: number;
  /** Where `POST /upload` streams browser uploads; without it the route answers 404. */
  uploads?: UploadReceiver;
  /** Defaults to a fresh random token. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** The address to open in a browser: the UI with the token. */
  openUrl: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
export async function startWsServer(opts: WsServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenOk = (candidate: string | null): boolean => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  let port = 0;
  const hostOk = (req: IncomingMessage) => {
    // Refuse other Host headers: a DNS-rebinding page must not reach the server by name.
    const host = req.headers.host ?? '';
    return host === `${HOST}:${port}` || host === `localhost:${port}`;
  };

  // A browser sends Origin on cross-site requests; only our own page may call the API or upload.
  const originOk = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
  };

  const server: Server = createServer((req, res) => {
    if (!hostOk(req)) return send(res, 403, 'forbidden host');
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (url.pathname === '/upload') {
      securityHeaders(res);
      const allowed = (r: IncomingMessage, u: URL) => originOk(r) && tokenOk(u.searchParams.get('token'));
      return void handleUpload(req, res, url, opts.uploads, { allowed });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    if (url.pathname.startsWith('/files/')) {
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 401, 'token required');
      const rel = decodeURIComponent(url.pathname.slice('/files/'.length));
      if (!isServableDataFile(rel)) return send(res, 403, 'not a servable file');
      try {
        return sendFile(res, opts.resolveDataFile(rel), 'private, max-age=3600');
      } catch (e) {
        const code = e instanceof WorkbenchError && e.code === 'NOT_FOUND' ? 404 : 403;
        return send(res, code, e instanceof Error ? e.message : 'refused');
      }
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(opts.staticDir, rel));
    if (!file.startsWith(opts.staticDir + sep)) return send(res, 403, 'forbidden');
    try {
      if (statSync(file).isFile()) return sendFile(res, file, rel === 'index.html' ? 'no-store' : 'public, max-age=600');
    } catch {
      /* fall through to 404 */
    }
    send(res, 404, 'not found');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (!hostOk(req) || !originOk(req) || url.pathname !== '/api' || !tokenOk(url.searchParams.get('token'))) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, String(data)));
    });
  });

  async function answer(ws: WebSocket, text: string) {
    let msg: { id?: unknown; method?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.id !== 'number') return;
    const reply = await opts.router.dispatch(String(msg.method), msg.payload);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, ...reply }));
  }

  const unsubscribe = opts.hub.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${HOST}:${port}`;
  return {
    url,
    port,
    token,
    openUrl: `${url}/?token=${encodeURIComponent(token)}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function securityHeaders(res: ServerResponse) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

function send(res: ServerResponse, status: number, text: string) {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function sendFile(res: ServerResponse, file: string, cache: string) {
  securityHeaders(res);
  res.writeHead(200, {
    'Content-Type': contentTypeOf(file),
    'Cache-Control': cache,
  });
  createReadStream(file).pipe(res);
}
