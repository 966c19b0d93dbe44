/** The headless server: the built UI, data files and the WebSocket API on 127.0.0.1, all behind one token. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventHub } from './event-hub';
import { serveDataFile, serveStatic } from './file-routes';
import { answerSocket, securityHeaders, sendText } from './http-answers';
import { createRequestGuard } from './request-guard';
import type { Router } from './router';
import { handleUpload, type UploadReceiver } from './upload-route';
import { serveApiSocket } from './ws-api';

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
  /** Where failures of the server itself are told (a client never sees their details). */
  log?: (message: string) => void;
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
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function startWsServer(opts: WsServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const guard = createRequestGuard({ host: HOST, port: () => port, token });
  const log = (where: string, error: unknown) => opts.log?.(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = guard.refusal(req);
    if (refused) return sendText(res, refused, refused === 403 ? 'forbidden host' : 'origin refused');
    const url = guard.target(req);
    if (!url) return sendText(res, 400, 'the request target is not a valid URL');
    if (url.pathname === '/upload') {
      securityHeaders(res);
      return handleUpload(req, res, url, opts.uploads, { allowed: (_r, u) => guard.tokenOk(u.searchParams.get('token')) });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    if (url.pathname.startsWith('/files/')) {
      if (!guard.tokenOk(url.searchParams.get('token'))) return sendText(res, 401, 'token required');
      return serveDataFile(req, res, url, opts.resolveDataFile);
    }
    return serveStatic(req, res, url, opts.staticDir);
  }

  // Our guard refuses a missing Host itself (403, with the security headers), so Node need not answer it bare.
  const server: Server = createServer({ requireHostHeader: false }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      log(`${req.method} ${req.url}`, error);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });

  // What Node's HTTP parser refuses never reaches `route`: answer it here, with the same headers as any answer.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own default handler looks here too: a response already under way must not get a second head.
    const underway = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || underway) return void socket.destroy();
    answerSocket(socket, error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400);
  });

  // CONNECT (a proxy tunnel) is not for us; without this Node would drop the connection unanswered.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    answerSocket(socket, guard.refusal(req) ?? 405);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // A handshake ws refuses (bad key, version or method) is answered by us, with the security headers.
  wss.on('wsClientError', (_error, socket, req) => answerSocket(socket, req.method === 'GET' ? 400 : 405));
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over without an error listener: a reset must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    try {
      const refused = guard.refusal(req);
      if (refused) return answerSocket(socket, refused);
      const url = guard.target(req);
      if (!url) return answerSocket(socket, 400, 'the request target is not a valid URL');
      if (url.pathname !== '/api' || !guard.tokenOk(url.searchParams.get('token'))) return answerSocket(socket, 401);
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        serveApiSocket(ws, opts.router);
      });
    } catch (error) {
      log('upgrade', error);
      answerSocket(socket, 500);
    }
  });

  const unsubscribe = opts.hub.subscribe((event, payload) => {
    let text: string;
    try {
      text = JSON.stringify({ event, payload });
    } catch (error) {
      return log(`event ${event}`, error);
    }
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, a failure to accept a connection (too many open files) is told, not thrown.
  server.on('error', (error) => log('server', error));
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
