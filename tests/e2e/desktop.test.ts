/** The desktop app in Electron: hardened window, only `call` and `on` exposed, images through workbench://. Skips without the Electron binary. */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { repoRoot, tempDir } from '../fixtures/workbench';

const electronDist = join(repoRoot, 'node_modules', 'electron', 'dist');
const electronSqlite = join(repoRoot, 'node_modules', '.electron-native', 'better_sqlite3.node');
const missing = !existsSync(electronDist)
  ? 'the Electron binary is not installed (node_modules/electron/dist; it downloads on first launch, which this machine cannot do)'
  : !existsSync(electronSqlite)
    ? 'better-sqlite3 is not compiled for Electron yet (run npm start once)'
    : null;

if (missing) console.warn(`desktop tests skipped: ${missing}`);

describe.skipIf(missing !== null)('the desktop app', () => {
  it('opens a hardened window whose page sees only the bridge, and imports a folder through it', async () => {
    const dataDir = tempDir('desktop');
    const app = await electron.launch({
      args: [join(repoRoot, 'out', 'main', 'index.js')],
      env: { ...process.env, WORKBENCH_DATA_DIR: dataDir },
    });
    try {
      const page = await app.firstWindow();
      expect(await page.title()).toBe('GAN Workbench');
      const prefs = await app.evaluate(({ BrowserWindow }) =>
        (BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): object }).getLastWebPreferences(),
      );
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      expect(await page.evaluate(() => Object.keys((window as unknown as { workbench: object }).workbench).sort())).toEqual(['call', 'on']);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

      const folder = tempDir('desktop-mnist');
      await writeMnistFolder(folder, 2);
      const reply = await page.evaluate(
        (path) => (window as unknown as { workbench: { call(m: string, p: unknown): Promise<unknown> } }).workbench.call('datasets.import', { path, size: 28, channels: 1 }),
        folder,
      );
      expect(reply).toMatchObject({ ok: true, result: { dataset: { count: 20 } } });
      const preview = (reply as { result: { dataset: { previewPath: string } } }).result.dataset.previewPath;
      const loaded = await page.evaluate(async (p) => (await fetch(`workbench://data/${p}`)).status, preview);
      expect(loaded).toBe(200);
      const escaped = await page.evaluate(async () => (await fetch('workbench://data/..%2Fworkbench.sqlite')).status);
      expect(escaped).toBe(404);
    } finally {
      await app.close();
    }
  });
});
