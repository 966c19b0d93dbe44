/** The desktop's app:// handler, driven with real Requests: the built UI and data images, nothing else, the CSP on every answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { APP_INDEX_URL, appFileUrl } from '../../../src-main/common/app-url';
import { DataDir } from '../../../src-main/core/data-dir';
import { createAppProtocolHandler, type AppProtocolHandler } from '../../../src-main/transport/app-protocol';
import { createEventHub } from '../../../src-main/transport/event-hub';
import { createRouter } from '../../../src-main/transport/router';
import { startWsServer } from '../../../src-main/transport/ws-server';
import { tempDir } from '../../fixtures/workbench';

const INDEX = '<!doctype html><title>GAN Workbench</title><script type="module" src="./assets/index.js"></script>';
const SCRIPT = 'console.log("ui")';

let handler: AppProtocolHandler;
let rendererDir: string;
let dataDir: DataDir;
let png: Buffer;
const get = (url: string, init?: RequestInit) => handler(new Request(url, init));

beforeAll(async () => {
  const root = tempDir('app-protocol');
  rendererDir = join(root, 'out', 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX);
  writeFileSync(join(rendererDir, 'assets', 'index.js'), SCRIPT);
  writeFileSync(join(rendererDir, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'out', 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(root, 'out', 'secret.txt'), join(rendererDir, 'assets', 'link.js'));

  dataDir = new DataDir(join(root, 'data'));
  png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } }).png().toBuffer();
  mkdirSync(join(dataDir.root, 'runs', 'r1', 'samples', 'dir.png'), { recursive: true });
  writeFileSync(join(dataDir.root, 'runs', 'r1', 'samples', '10.png'), png);
  writeFileSync(join(dataDir.root, 'runs', 'r1', 'config.json'), '{}');
  writeFileSync(join(dataDir.root, 'workbench.sqlite'), 'SQLite format 3');
  const outside = join(root, 'elsewhere');
  mkdirSync(outside);
  writeFileSync(join(outside, 'leak.png'), png);
  symlinkSync(outside, join(dataDir.root, 'runs', 'escape'));

  handler = createAppProtocolHandler({ rendererDir, resolveDataFile: (rel) => dataDir.resolveInside(rel) });
});

describe('the app:// protocol: the renderer', () => {
  it('serves index.html as HTML with the CSP and the other security headers', async () => {
    for (const url of [APP_INDEX_URL, 'app://renderer/']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves the built assets with their content types', async () => {
    const js = await get('app://renderer/assets/index.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe(SCRIPT);
    expect((await get('app://renderer/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_INDEX_URL, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(INDEX.length));
    expect(await head.text()).toBe('');
    expect((await get(APP_INDEX_URL, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it.each([
    ['a dotted path (normalized by the URL parser, then not found)', 'app://renderer/../../etc/passwd', 404],
    ['encoded dots', 'app://renderer/%2e%2e/%2e%2e/etc/passwd', 404],
    ['encoded slashes', 'app://renderer/..%2Fsecret.txt', 403],
    ['encoded slashes deep', 'app://renderer/assets/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd', 403],
    ['an absolute path', 'app://renderer/%2Fetc%2Fpasswd', 403],
    ['an encoded backslash', 'app://renderer/..%5C..%5Csecret.txt', 400],
    ['an encoded NUL', 'app://renderer/index.html%00.png', 400],
    ['malformed encoding', 'app://renderer/%E0%A4%A', 400],
    ['a symlink leading out of the folder', 'app://renderer/assets/link.js', 403],
    ['a missing file', 'app://renderer/assets/nope.js', 404],
    ['a directory', 'app://renderer/assets', 404],
    ['another host', 'app://evil/index.html', 404],
    ['a lookalike host', 'app://renderer.evil.io/index.html', 404],
    ['a port', 'app://renderer:8080/index.html', 404],
    ['another scheme', 'file:///etc/passwd', 404],
  ])('refuses %s', async (_what, url, status) => {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const body = await res.text();
    expect(body).not.toContain('TOP SECRET');
    expect(body).not.toContain('root:');
  });
});

describe('the app:// protocol: data files', () => {
  it('serves an image of the data directory at the URL the renderer builds for it', async () => {
    const res = await get(appFileUrl('runs/r1/samples/10.png'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it.each([
    ['the database', 'app://renderer/files/workbench.sqlite', 403],
    ['a JSON file', 'app://renderer/files/runs/r1/config.json', 403],
    ['a directory named x.png', 'app://renderer/files/runs/r1/samples/dir.png', 404],
    ['a missing image', 'app://renderer/files/runs/r1/samples/11.png', 404],
    ['encoded traversal', 'app://renderer/files/..%2F..%2Fetc%2Fpasswd.png', 403],
    ['encoded traversal to a real image', 'app://renderer/files/..%2Felsewhere%2Fleak.png', 403],
    ['a symlink leading out of the data directory', 'app://renderer/files/runs/escape/leak.png', 403],
    ['an absolute path', 'app://renderer/files/%2Fetc%2Fx.png', 403],
  ])('refuses %s', async (_what, url, status) => {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('treats an image removed after it was listed as not found', async () => {
    const file = join(dataDir.root, 'runs', 'r1', 'samples', '20.png');
    writeFileSync(file, png);
    expect((await get(appFileUrl('runs/r1/samples/20.png'))).status).toBe(200);
    rmSync(file);
    expect((await get(appFileUrl('runs/r1/samples/20.png'))).status).toBe(404);
  });
});

describe('one CSP', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('the desktop sends exactly the headers the headless server sends on its index.html', async () => {
    const server = await startWsServer({
      // Only the static files are compared: no API call reaches the (empty) handler table.
      router: createRouter({} as never),
      hub: createEventHub(),
      staticDir: rendererDir,
      resolveDataFile: (rel) => dataDir.resolveInside(rel),
    });
    closers.push(() => server.close());
    const served = await fetch(`${server.url}/`);
    const desktop = await get(APP_INDEX_URL);
    for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-resource-policy']) {
      expect(desktop.headers.get(name), name).not.toBeNull();
      expect(desktop.headers.get(name), name).toBe(served.headers.get(name));
    }
  });
});
