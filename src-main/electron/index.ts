/** Composition root of the desktop app: app:// protocol, guards, window, IPC adapter, Store and TrainerHost. */
import { app, dialog, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json';
import { APP_INDEX_URL } from '../common/app-url';
import { createWorkbench, type Workbench } from '../core/workbench';
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
  let workbench: Workbench;
  try {
    workbench = createWorkbench({
      dataDir: process.env.WORKBENCH_DATA_DIR ?? app.getPath('userData'),
      launcher: utilityLauncher(join(here, 'trainer.js')),
      emit: hub.emit,
      mode: 'desktop',
      version: pkg.version,
      sqliteBinding: existsSync(electronSqlite) ? electronSqlite : undefined,
      log: (m) => console.log(m),
    });
  } catch (error) {
    // Another process owns the data directory (a running `serve`), or the database is from a newer version.
    dialog.showErrorBox('GAN Workbench cannot open its data', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }
  // Evaluations the app was closed in the middle of: measured again in the background.
  workbench.runEvaluations.catchUp();
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
  // Quitting (closing the window) stops a training run after a checkpoint; quitting again stops it at once.
  let quitting: 'no' | 'stopping' | 'done' = 'no';
  app.on('before-quit', (event) => {
    if (quitting === 'done') return;
    event.preventDefault();
    if (quitting === 'stopping') {
      void workbench.stopTraining({ immediate: true });
      return;
    }
    quitting = 'stopping';
    void workbench
      .stopTraining()
      .catch((e: unknown) => console.error('stopping training:', e))
      .finally(() => {
        quitting = 'done';
        ipc.dispose();
        workbench.close();
        app.quit();
      });
  });
});
