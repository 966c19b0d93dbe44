/** The hardened main window: isolated, sandboxed, no Node, no navigation away, no new windows, no permissions. */
import { BrowserWindow, session, shell } from 'electron';

export interface WindowOptions {
  preload: string;
  /** The renderer: a dev-server URL or the built index.html. */
  load: { url: string } | { file: string };
  isTrustedUrl(url: string): boolean;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    title: 'GAN Workbench',
    show: false,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!opts.isTrustedUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  if ('url' in opts.load) void win.loadURL(opts.load.url);
  else void win.loadFile(opts.load.file);
  return win;
}
