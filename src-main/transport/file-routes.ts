/** GET routes of the headless server: images of the data directory under /files/ (with the token), and the built UI. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { WorkbenchError } from '../common/errors';
import { isServableDataFile } from './file-types';
import { sendFile, sendText } from './http-answers';
import { decodePath } from './request-guard';


/** `/files/<path relative to the data directory>?token=…`; the caller has checked the token. */
export async function serveDataFile(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  resolveDataFile: (relativePath: string) => string,
): Promise<void> {
  const rel = decodePath(url.pathname.slice('/files/'.length));
  if (rel === null) return sendText(res, 400, 'the path is not valid percent-encoding');
  if (!isServableDataFile(rel)) return sendText(res, 403, 'not a servable file');
  let file: string;
  try {
    file = resolveDataFile(rel);
  } catch (e) {
    const code = e instanceof WorkbenchError && e.code === 'NOT_FOUND' ? 404 : 403;
    return sendText(res, code, e instanceof Error ? e.message : 'refused');
  }
  await sendFile(req, res, file, 'private, max-age=3600');
}

/** The built renderer: `/` is index.html, which is never cached (it carries the asset names). */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL, staticDir: string): Promise<void> {
  const rel = url.pathname === '/' ? 'index.html' : decodePath(url.pathname.slice(1));
  if (rel === null) return sendText(res, 400, 'the path is not valid percent-encoding');
  const file = normalize(join(staticDir, rel));
  if (!file.startsWith(staticDir + sep)) return sendText(res, 403, 'forbidden');
  await sendFile(req, res, file, rel === 'index.html' ? 'no-store' : 'public, max-age=600');
}
