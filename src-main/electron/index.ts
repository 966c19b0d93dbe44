/** Composition root of the desktop app: window, protocol, IPC adapter, Store and TrainerHost. */
import { app, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pkg from '../../package.json';
import { createWorkbench } from '../core/workbench';
import { createEventHub } from '../transport/event-hub';
import { attachIpc } from '../transport/ipc-adapter';
import { createRouter } from '../transport/router';
import { utilityLauncher } from './utility-launcher';
import { createMainWindow } from './window';
import { handleWorkbenchProtocol, registerSchemeAsPrivileged } from './workbench-protocol';

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
/** better-sqlite3 compiled for Electron's ABI by `npm start` (scripts/electron-native.mjs). */
const electronSqlite = join(here, '../../node_modules/.electron-native/better_sqlite3.node');

function isTrustedUrl(url: string): boolean {
  if (devServer) return url.startsWith(devServer);
  return url.split(/[?#]/)[0] === pathToFileURL(rendererIndex).toString();
}

if (!app.requestSingleInstanceLock()) app.quit();
registerSchemeAsPrivileged();

app.whenReady().then(() => {
  const hub = createEventHub();
  const workbench = createWorkbench({
    dataDir: process.env.WORKBENCH_DATA_DIR ?? app.getPath('userData'),
    launcher: utilityLauncher(join(here, 'trainer.js')),
    emit: hub.emit,
    mode: 'desktop',
    version: pkg.version,
    sqliteBinding: existsSync(electronSqlite) ? electronSqlite : undefined,
    log: (m) => console.log(m),
  });
  const router = createRouter(workbench.handlers, { onInternalError: (method, e) => console.error(method, e) });
  const ipc = attachIpc({ ipcMain, router, hub, isTrustedFrame: isTrustedUrl });
  handleWorkbenchProtocol((rel) => workbench.dataDir.resolveInside(rel));

  const open = () => {
    const win = createMainWindow({
      preload: join(here, '../preload/index.cjs'),
      load: devServer ? { url: devServer } : { file: rendererIndex },
      isTrustedUrl,
    });
    ipc.addTarget(win.webContents);
  };
  open();
  app.on('second-instance', open);
  app.on('activate', open);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    ipc.dispose();
    workbench.close();
  });
});
