/** `POST /upload?token=…&session=…&path=…`: one browser-uploaded file per request, streamed to the core's upload store. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { WorkbenchError } from '../common/errors';

/** What the route needs from the core (its UploadStore); injected, since transport never imports core. */
export interface UploadReceiver {
  readonly limits: { maxFileBytes: number };
  receive(session: string, path: string, body: Readable, declaredBytes: number): Promise<number>;
  /** The browser skipped a file over the limit: record it so the import lists it as rejected. */
  recordTooLarge(session: string, path: string, bytes: number): void;
}

export interface UploadChecks {
  /** The token, checked by the server exactly as for the WebSocket (Host and Origin were checked before any route). */
  allowed(req: IncomingMessage, url: URL): boolean;
}

function reply(res: ServerResponse, status: number, body: object, close = false): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...(close ? { Connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

function statusOf(error: unknown): number {
  if (!(error instanceof WorkbenchError)) return 500;
  if (error.code === 'PATH_OUTSIDE_DATA_DIR') return 403;
  return /larger than|over its limit/.test(error.message) ? 413 : 400;
}

export async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, receiver: UploadReceiver | undefined, checks: UploadChecks): Promise<void> {
  // Refusals before the body is read close the connection, so an unread body cannot linger on it.
  if (!receiver) return reply(res, 404, { error: 'uploads are not available here' }, true);
  if (req.method !== 'POST') return reply(res, 405, { error: 'POST a file to /upload' }, true);
  if (!checks.allowed(req, url)) return reply(res, 401, { error: 'token, host or origin refused' }, true);
  const session = url.searchParams.get('session') ?? '';
  const path = url.searchParams.get('path') ?? '';
  try {
    const tooLarge = url.searchParams.get('tooLarge');
    if (tooLarge !== null) {
      const bytes = Number(tooLarge);
      if (!Number.isSafeInteger(bytes) || bytes <= receiver.limits.maxFileBytes) {
        return reply(res, 400, { error: `tooLarge must be a byte count above ${receiver.limits.maxFileBytes}` }, true);
      }
      receiver.recordTooLarge(session, path, bytes);
      req.resume();
      return reply(res, 200, { ok: true, bytes: 0 });
    }
    const length = Number(req.headers['content-length']);
    if (req.headers['content-length'] === undefined || !Number.isSafeInteger(length) || length < 0) {
      return reply(res, 411, { error: 'send the file with a Content-Length' }, true);
    }
    if (length > receiver.limits.maxFileBytes) {
      return reply(res, 413, { error: `file larger than the limit of ${receiver.limits.maxFileBytes} bytes` }, true);
    }
    const bytes = await receiver.receive(session, path, req, length);
    reply(res, 200, { ok: true, bytes });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!res.headersSent) reply(res, statusOf(error), { error: message }, true);
  }
}
