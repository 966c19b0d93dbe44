/** Composition root of the desktop app: app:// protocol, guards, window, IPC adapter, Store and TrainerHost. */
import { app, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json';
import { APP_INDEX_URL } from '../common/app-url';
import { createWorkbench } from '../core/workbench';
import { createAppProtocolHandler } from '../transport/app-protocol';
import { createEventHub } from '../transport/event-hub';
import { attachIpc } from '../transport/ipc-adapter';
import { createRendererUrlCheck } from '../transport/renderer-url';
import { createRouter } from '../transport/router';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { hardenApp } from './hardening';
import { utilityLauncher } from './utility-launcher';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const isRendererUrl = createRendererUrlCheck(devServer);
/** better-sqlite3 compiled for Electron's ABI by `npm start` (scripts/electron-native.mjs). */
const electronSqlite = join(here, '../../node_modules/.electron-native/better_sqlite3.node');

if (!app.requestSingleInstanceLock()) app.quit();
registerAppScheme();

app.whenReady().then(() => {
  hardenApp(isRendererUrl);
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
  const ipc = attachIpc({ ipcMain, router, hub, isTrustedFrame: isRendererUrl });
  serveAppScheme(createAppProtocolHandler({ rendererDir, resolveDataFile: (rel) => workbench.dataDir.resolveInside(rel) }));

  const open = () => {
    const win = createMainWindow({ preload: join(here, '../preload/index.cjs'), url: devServer ?? APP_INDEX_URL });
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
