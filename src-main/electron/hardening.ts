/** App-wide guards: no permissions, no webviews, no navigation away from our renderer, no new windows (allowed links open in the browser). */
import { app, session, shell, type WebContents } from 'electron';
import { isAllowedExternalUrl } from '../transport/external-links';
import type { UrlCheck } from '../transport/renderer-url';

/** Call once, before the first window: the guards apply to every webContents the app ever creates. */
export function hardenApp(isRendererUrl: UrlCheck): void {
  const ses = session.defaultSession;
  // Requests are what a page asks for; checks are what Chromium asks silently (clipboard, fullscreen...). Deny both.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => guard(contents, isRendererUrl));
}

function guard(contents: WebContents, isRendererUrl: UrlCheck): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (details) => {
    if (isRendererUrl(details.url)) return;
    details.preventDefault();
    openInBrowser(details.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
}

/** Documentation links go to the user's browser, and only those on the allowlist. */
function openInBrowser(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}
