/** The desktop app's own addresses: the page its window loads and the app:// URL of a data file, path segments escaped. */
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, appFileUrl } from '../../../src-main/common/app-url';

describe('app:// addresses', () => {
  it('load the UI from app://renderer/index.html', () => {
    expect(APP_INDEX_URL).toBe('app://renderer/index.html');
  });

  it('put a data file under app://renderer/files/, escaping each segment but keeping the slashes', () => {
    expect(appFileUrl('runs/r1/samples/10.png')).toBe('app://renderer/files/runs/r1/samples/10.png');
    expect(appFileUrl('datasets/my cats/#1?.png')).toBe('app://renderer/files/datasets/my%20cats/%231%3F.png');
  });

  it('give a URL that reads back as the same file path', () => {
    const path = 'runs/run 2/samples/100%.png';
    const url = new URL(appFileUrl(path));
    expect([url.protocol, url.host]).toEqual(['app:', 'renderer']);
    expect(url.pathname.split('/').map(decodeURIComponent).join('/')).toBe(`/files/${path}`);
  });
});
