/** End to end in Chromium against serve mode: upload a messy folder from the browser, watch progress, browse the grid and the rejects, preview augmentation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { writeMessyFolder, type MessyFolderExpectation } from '../fixtures/messy-folder';
import { tempDir } from '../fixtures/workbench';
import { query } from './outcomes';
import { openServedApp, screenshotsDir, type Served } from './serve';

/** Sets a range input the way a drag does: value, then an input event. */
async function slide(page: Page, testId: string, value: number): Promise<void> {
  await page.getByTestId(testId).evaluate((el: HTMLInputElement, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

describe('datasets in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let messy: string;
  let expected: MessyFolderExpectation;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    messy = join(tempDir('messy-e2e'), 'messy');
    expected = await writeMessyFolder(messy);
    ({ served, browser, page } = await openServedApp(consoleErrors));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('uploads a chosen folder, shows what it found, imports it with progress and lists every reject', async () => {
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-folder-input').setInputFiles(messy);
    const upload = page.getByTestId('import-upload');
    await expect.poll(() => upload.getAttribute('data-done'), { timeout: 60_000 }).toBe('true');
    expect(await page.getByTestId('import-upload-progress').textContent()).toMatch(/^\s*(\d+) \/ \1 files/);

    await expect.poll(() => page.getByTestId('import-scan').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    const found = await page.getByTestId('import-scan-found').textContent();
    expect(found).toContain(`${Object.keys(expected.rejected).length + expected.imported.length} files`);
    expect(await page.getByTestId('import-scan-class').allTextContents()).toEqual(
      expected.classes.map((c) => expect.stringContaining(c)),
    );

    await page.getByTestId('import-size').fill('16');
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 60_000 }).toContain(`${expected.imported.length} images`);
    expect(await page.getByTestId('import-progress').getAttribute('data-phase')).toBe('done');
    const rows = page.getByTestId('import-reject');
    await expect.poll(() => rows.count()).toBe(Object.keys(expected.rejected).length);
    const shown = Object.fromEntries(
      await rows.evaluateAll((els) => els.map((el) => [el.children[0]!.textContent!.trim(), el.children[1]!.textContent!.trim()])),
    );
    expect(shown).toEqual(expected.rejected);
    await page.screenshot({ path: join(screenshotsDir, 'import-upload.png') });
    // What the dialog lists is what was stored: one dataset row with the imported count and the rejects, and its packed pixels.
    const stored = query<{ id: string; count: number; rejected_count: number; size: number }>(served.dataDir, 'SELECT id, count, rejected_count, size FROM datasets');
    expect(stored).toEqual([{ id: expect.any(String), count: expected.imported.length, rejected_count: Object.keys(expected.rejected).length, size: 16 }]);
    expect(statSync(join(served.dataDir, 'datasets', stored[0]!.id, 'images.u8')).size).toBe(expected.imported.length * 16 * 16 * 3);
    // The uploaded copy is removed once imported.
    const uploads = join(served.dataDir, 'uploads');
    expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([]);
  });

  it('shows the dataset: a thumbnail grid filtered by class, statistics and the rejects', async () => {
    await page.getByTestId('import-open-dataset').click();
    await page.waitForURL(/#\/datasets\/ds_/);
    const grid = page.getByTestId('thumb-grid');
    await expect.poll(() => grid.getAttribute('data-count')).toBe(String(expected.imported.length));
    await expect.poll(() => page.getByTestId('thumb').count()).toBe(expected.imported.length);
    // The sprite sheet behind the thumbnails loads (positioned through element.style under the strict CSP).
    const sheet = await page.getByTestId('thumb').first().evaluate((el) => getComputedStyle(el).backgroundImage.replace(/^url\("?|"?\)$/g, ''));
    expect(await page.evaluate(async (url) => (await fetch(url)).headers.get('content-type'), sheet)).toBe('image/png');
    await page.screenshot({ path: join(screenshotsDir, 'dataset-grid.png') });

    await page.getByTestId('class-filter').selectOption({ label: 'Katzen (2)' });
    await expect.poll(() => page.getByTestId('thumb').count()).toBe(2);

    await page.getByTestId('tab-stats').click();
    await expect.poll(() => page.getByTestId('channel-stat').count()).toBe(3);
    expect(await page.getByTestId('class-histogram').getAttribute('data-bars')).toBe(String(expected.classes.length + 1));
    await page.screenshot({ path: join(screenshotsDir, 'dataset-stats.png') });

    await page.getByTestId('tab-rejects').click();
    await expect.poll(() => page.getByTestId('dataset-reject').count()).toBe(Object.keys(expected.rejected).length);
    await page.screenshot({ path: join(screenshotsDir, 'dataset-rejects.png') });
  });

  it('previews augmentation and updates the preview when a slider moves', async () => {
    await page.getByTestId('tab-augment').click();
    const preview = page.getByTestId('augment-preview');
    const variants = page.getByTestId('aug-variant');
    await expect.poll(() => variants.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => preview.getAttribute('data-busy')).toBe('false');
    const originals = await page.getByTestId('aug-original').evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src));
    const before = await variants.evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src));
    // Nothing enabled yet: every variant is its original.
    expect(new Set(before)).toEqual(new Set(originals));

    await slide(page, 'aug-flip-p', 1);
    await slide(page, 'aug-cutout-p', 1);
    await expect.poll(() => variants.evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src)), { timeout: 30_000 }).not.toEqual(before);
    await expect.poll(() => preview.getAttribute('data-busy')).toBe('false');
    expect(await page.getByTestId('aug-latency').textContent()).toMatch(/\d+ ms/);
    await page.screenshot({ path: join(screenshotsDir, 'augment-preview.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
