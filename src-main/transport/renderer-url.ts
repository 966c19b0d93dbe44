/** Which URLs are our own renderer: the only pages the window may navigate to, and the only frames that may call the API. */
import { APP_HOST, APP_SCHEME } from '../common/app-url';

export type UrlCheck = (url: string) => boolean;

/**
 * Without a dev server, only app://renderer/index.html (with any query or hash) is ours. With one
 * (`npm run dev`), pages of exactly its origin: scheme, host and port compared whole, never as a
 * prefix, so http://localhost:5173.evil.io and http://localhost:51730 are strangers.
 */
export function createRendererUrlCheck(devServerUrl?: string): UrlCheck {
  if (devServerUrl === undefined) {
    return (url) => {
      const u = URL.parse(url);
      return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !hasUserinfo(u) && u.pathname === '/index.html';
    };
  }
  const dev = URL.parse(devServerUrl);
  if (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:')) {
    throw new Error(`the renderer dev-server URL must be an http(s) URL, got: ${devServerUrl}`);
  }
  return (url) => {
    const u = URL.parse(url);
    return u !== null && u.origin === dev.origin && !hasUserinfo(u);
  };
}

function hasUserinfo(u: URL): boolean {
  return u.username !== '' || u.password !== '';
}
