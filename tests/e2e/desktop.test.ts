/** The desktop app in Electron: hardened window served from app:// with the CSP header, only `call` and `on` exposed, images under app://renderer/files/. Skips without the Electron binary. */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { APP_INDEX_URL, appFileUrl } from '../../src-main/common/app-url';
import { CSP } from '../../src-main/transport/web-security';
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
      expect(page.url().startsWith(APP_INDEX_URL)).toBe(true);
      const index = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return { csp: res.headers.get('content-security-policy'), type: res.headers.get('content-type') };
      }, APP_INDEX_URL);
      expect(index).toEqual({ csp: CSP, type: 'text/html; charset=utf-8' });
      expect(await page.evaluate(() => window.open('https://evil.example/'))).toBeNull();
      expect(await page.evaluate(async () => (await navigator.permissions.query({ name: 'notifications' })).state)).toBe('denied');
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
      const status = (url: string) => page.evaluate(async (u) => (await fetch(u)).status, url);
      expect(await status(appFileUrl(preview))).toBe(200);
      expect(await status('app://renderer/files/workbench.sqlite')).toBe(403);
      expect(await status('app://renderer/files/..%2F..%2Fetc%2Fpasswd.png')).toBe(403);
      expect(await status('app://renderer/..%2F..%2Fpackage.json')).toBe(403);
    } finally {
      await app.close();
    }
  });
});
