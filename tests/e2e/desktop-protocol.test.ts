/** The built renderer (out/renderer) through the desktop's app:// handler: every file with its bytes and the type Chromium needs, index.html with the CSP. Runs in Node, no Electron needed. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { APP_INDEX_URL, APP_ORIGIN } from '../../src-main/common/app-url';
import { DataDir } from '../../src-main/core/data-dir';
import { createAppProtocolHandler } from '../../src-main/transport/app-protocol';
import { CSP } from '../../src-main/transport/web-security';
import { repoRoot, tempDir } from '../fixtures/workbench';

const rendererDir = join(repoRoot, 'out', 'renderer');
const EXPECTED_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

describe('the built renderer over app://', () => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: the e2e tests run after "electron-vite build" (npm run test:e2e)');
  const dataDir = new DataDir(tempDir('desktop-protocol'));
  const handler = createAppProtocolHandler({ rendererDir, resolveDataFile: (rel) => dataDir.resolveInside(rel) });
  const files = readdirSync(rendererDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(rendererDir, join(d.parentPath, d.name)).split(sep).join('/'));

  it('serves index.html with the CSP, and every script and stylesheet it links', async () => {
    const index = await handler(new Request(APP_INDEX_URL));
    expect(index.headers.get('content-security-policy')).toBe(CSP);
    const html = await index.text();
    const linked = [...html.matchAll(/(?:src|href)="(\.\/[^"]+)"/g)].map((m) => m[1]!);
    expect(linked.some((l) => l.endsWith('.js'))).toBe(true);
    for (const link of linked) {
      const res = await handler(new Request(new URL(link, APP_INDEX_URL).toString()));
      expect(res.status, link).toBe(200);
    }
  });

  it('serves every built file with its exact bytes and content type', async () => {
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const res = await handler(new Request(`${APP_ORIGIN}/${file}`));
      expect(res.status, file).toBe(200);
      const ext = file.split('.').pop()!;
      if (EXPECTED_TYPES[ext]) expect(res.headers.get('content-type'), file).toBe(EXPECTED_TYPES[ext]);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(rendererDir, file))), file).toBe(true);
    }
  });
});
