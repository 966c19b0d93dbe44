/** The desktop's app:// protocol as a plain fetch handler: the built UI from its folder, data images under /files/, the CSP on every answer. */
import { realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_FILES_PATH, APP_HOST, APP_SCHEME } from '../common/app-url';
import { WorkbenchError } from '../common/errors';
import { contentTypeOf, isServableDataFile } from './file-types';
import { SECURITY_HEADERS } from './web-security';

export interface AppProtocolOptions {
  /** The built renderer (out/renderer): the only folder UI files come from. */
  rendererDir: string;
  /** Maps a data-relative path to a file inside the data directory, or throws (DataDir.resolveInside). */
  resolveDataFile(relativePath: string): string;
}

/** What Electron's `protocol.handle` takes; plain `Request`/`Response`, so it runs and is tested in Node. */
export type AppProtocolHandler = (request: Request) => Promise<Response>;

export function createAppProtocolHandler(opts: AppProtocolOptions): AppProtocolHandler {
  return async (request) => {
    try {
      return await answer(opts, request);
    } catch (e) {
      console.error('app:// handler failed', request.url, e);
      return refuse(500, 'internal error');
    }
  };
}

async function answer(opts: AppProtocolOptions, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
  const head = request.method === 'HEAD';
  const url = URL.parse(request.url);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) {
    return refuse(404, 'not found');
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return refuse(400, 'malformed path');
  }
  // No file we serve has a NUL or a backslash in its name; on Windows a backslash would be a separator.
  if (path.includes('\0') || path.includes('\\')) return refuse(400, 'malformed path');
  if (path.startsWith(APP_FILES_PATH)) return dataFile(opts, path.slice(APP_FILES_PATH.length), head);
  return rendererFile(opts.rendererDir, path === '/' ? 'index.html' : path.slice(1), head);
}

async function dataFile(opts: AppProtocolOptions, relativePath: string, head: boolean): Promise<Response> {
  if (!isServableDataFile(relativePath)) return refuse(403, 'not a servable file');
  let file: string;
  try {
    file = opts.resolveDataFile(relativePath);
  } catch (e) {
    if (e instanceof WorkbenchError && e.code === 'NOT_FOUND') return refuse(404, 'not found');
    return refuse(403, e instanceof Error ? e.message : 'refused');
  }
  return fileResponse(file, head);
}

/** Confined like the data files: the lexical path and the real path (after symlinks) must both lie inside the folder. */
async function rendererFile(rendererDir: string, relativePath: string, head: boolean): Promise<Response> {
  const root = realpathSync(resolve(rendererDir));
  const lexical = resolve(root, relativePath);
  if (isAbsolute(relativePath) || !isInside(root, lexical)) return refuse(403, 'outside the renderer');
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    return refuse(404, 'not found');
  }
  if (!isInside(root, real)) return refuse(403, 'outside the renderer');
  return fileResponse(real, head);
}

async function fileResponse(file: string, head: boolean): Promise<Response> {
  const info = await stat(file).catch(() => null);
  // A directory named like an image, or a file removed since it was resolved, is simply not there.
  if (!info?.isFile()) return refuse(404, 'not found');
  const body = head ? null : await readFile(file).catch(() => null);
  if (!head && !body) return refuse(404, 'not found');
  return new Response(body, {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeOf(file), 'Content-Length': String(body?.length ?? info.size) },
  });
}

function refuse(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
