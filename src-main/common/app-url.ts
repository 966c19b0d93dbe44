/** The desktop app's own origin, app://renderer: it serves the built UI and, under /files/, the data directory's images. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the desktop window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
/** Data images live under the UI's own origin, so the CSP's `img-src 'self'` covers them and nothing wider is needed. */
export const APP_FILES_PATH = '/files/';

/** The app:// address of a data-relative file (forward slashes, as the API returns them). */
export function appFileUrl(relativePath: string): string {
  return `${APP_ORIGIN}${APP_FILES_PATH}${relativePath.split('/').map(encodeURIComponent).join('/')}`;
}
