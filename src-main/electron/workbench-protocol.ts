/** The `workbench://data/<path>` protocol: images under the data directory, nothing else, nowhere else. */
import { net, protocol } from 'electron';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SCHEME = 'workbench';
const IMAGE_TYPES = new Set(['.png', '.jpg', '.jpeg', '.webp']);

/** Must run before the app is ready. */
export function registerSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function handleWorkbenchProtocol(resolveDataFile: (relativePath: string) => string): void {
  protocol.handle(SCHEME, (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (url.host !== 'data' || !IMAGE_TYPES.has(extname(rel).toLowerCase())) {
      return new Response('not found', { status: 404 });
    }
    try {
      return net.fetch(pathToFileURL(resolveDataFile(rel)).toString());
    } catch (e) {
      return new Response(e instanceof Error ? e.message : 'refused', { status: 403 });
    }
  });
}
