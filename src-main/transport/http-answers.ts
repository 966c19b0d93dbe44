/** Every answer of the headless server over HTTP, with its security headers: text, files, and refusals written to raw sockets. */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf } from './file-types';
import { SECURITY_HEADERS } from './web-security';

export function securityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * Sends a regular file, or 404. The file is opened before anything is answered, so a path that is a
 * folder, a pipe, or gone by now is a 404, and a file deleted while it is sent is still sent whole.
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cache: string): Promise<void> {
  let handle: FileHandle;
  try {
    // Non-blocking, so that opening a named pipe does not wait for a writer.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return sendText(res, 404, 'not found');
  }
  let streaming = false;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return sendText(res, 404, 'not found');
    securityHeaders(res);
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': stat.size,
      'Cache-Control': cache,
    });
    if (req.method === 'HEAD') return void res.end();
    streaming = true;
    // The stream owns the handle from here and closes it, also when the client leaves halfway.
    await pipeline(handle.createReadStream(), res);
  } catch {
    if (!res.headersSent) sendText(res, 500, 'could not read the file');
    else res.destroy();
  } finally {
    if (!streaming) await handle.close().catch(() => undefined);
  }
}

/** An answer written straight to a socket that has no ServerResponse (refused upgrades, requests the parser rejected). */
export function answerSocket(socket: Duplex, status: number, text = STATUS_CODES[status] ?? 'refused'): void {
  if (!socket.writable) return void socket.destroy();
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    Connection: 'close',
  };
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n${text}`,
  );
}
