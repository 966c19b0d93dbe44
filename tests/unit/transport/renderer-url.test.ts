/** Which pages count as our renderer (navigation and IPC sender checks): app://renderer/index.html, or exactly the dev server's origin. */
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL } from '../../../src-main/common/app-url';
import { createRendererUrlCheck } from '../../../src-main/transport/renderer-url';

describe('the built renderer (no dev server)', () => {
  const isRenderer = createRendererUrlCheck();

  it.each([APP_INDEX_URL, 'app://renderer/index.html#/runs/run_1', 'app://renderer/index.html?lang=zh-CN'])('trusts %s', (url) => {
    expect(isRenderer(url)).toBe(true);
  });

  it.each([
    'file:///app/out/renderer/index.html',
    'app://renderer/files/runs/r1/samples/10.png',
    'app://renderer/',
    'app://renderer.evil.io/index.html',
    'app://evil/index.html',
    'app://renderer:1/index.html',
    'app://x@renderer/index.html',
    'https://renderer/index.html',
    'http://localhost:5173/',
    'about:blank',
    '',
    'not a url',
  ])('refuses %j', (url) => {
    expect(isRenderer(url)).toBe(false);
  });
});

describe('the dev server (npm run dev)', () => {
  const isRenderer = createRendererUrlCheck('http://localhost:5173');

  it.each(['http://localhost:5173/', 'http://localhost:5173/index.html', 'http://localhost:5173/#/datasets'])('trusts %s', (url) => {
    expect(isRenderer(url)).toBe(true);
  });

  it.each([
    'http://localhost:5173.evil.io/',
    'http://localhost:51730/',
    'http://localhost:5173@evil.io/',
    'http://evil.io@localhost:5173/',
    'https://localhost:5173/',
    'http://127.0.0.1:5173/',
    APP_INDEX_URL,
    'null',
  ])('refuses %j, which only a prefix check would let through or which is another origin', (url) => {
    expect(isRenderer(url)).toBe(false);
  });

  it('refuses to start with a dev-server address that has no real origin', () => {
    expect(() => createRendererUrlCheck('app://renderer')).toThrow(/http\(s\) URL/);
    expect(() => createRendererUrlCheck('localhost:5173')).toThrow(/http\(s\) URL/);
  });
});
