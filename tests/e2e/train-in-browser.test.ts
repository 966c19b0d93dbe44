/** End to end in Chromium against serve mode: import real MNIST images, train, watch the chart grow and a sample grid appear. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir } from '../fixtures/workbench';
import { apiClient, assertBuilt, launchBrowser, openApp, screenshotsDir, serve, type Served } from './serve';

describe('the workbench in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let mnist: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(screenshotsDir, { recursive: true });
    mnist = tempDir('mnist-e2e');
    await writeMnistFolder(mnist, 10);
    served = await serve();
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('imports a folder of MNIST digits typed as a path', async () => {
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-path').fill(mnist);
    await page.getByTestId('import-size').fill('28');
    await page.getByTestId('import-channels').selectOption('1');
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 60_000 }).toContain('100');
    await page.screenshot({ path: join(screenshotsDir, 'import-dialog.png') });
    await page.getByTestId('import-close').click();
    await expect.poll(() => page.getByTestId('dataset-row').count()).toBe(1);
    await page.screenshot({ path: join(screenshotsDir, 'datasets-page.png') });
  });

  it('starts a run and shows the loss chart gaining points and a sample grid', async () => {
    await page.getByTestId('dataset-train').first().click();
    await page.getByTestId('run-steps').fill('40');
    await page.getByTestId('run-batch').fill('16');
    await page.getByTestId('run-sample-every').fill('10');
    await page.getByTestId('run-metrics-every').fill('1');
    await page.getByTestId('run-create').click();
    await page.waitForURL(/#\/runs\/run_/);

    const points = () => page.getByTestId('loss-chart').getAttribute('data-points').then(Number);
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(0);
    const first = await points();
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(first);

    const sample = page.getByTestId('sample-latest');
    await expect.poll(() => sample.getAttribute('data-step').then(Number), { timeout: 120_000 }).toBeGreaterThanOrEqual(10);
    await expect.poll(() => sample.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 180_000 }).toBe('completed');
    expect(await page.getByTestId('run-step').textContent()).toBe('40');
    await page.screenshot({ path: join(screenshotsDir, 'run-page.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('shows the EMA and the raw G side by side while the EMA warms up', async () => {
    const api = apiClient(served);
    try {
      const [dataset] = await api.client.call('datasets.list');
      // 20 steps of 16 images are far inside the default ramp-up (200 000 images): the EMA is warming up.
      const config = { steps: 20, batchSize: 16, intervals: { sampleEvery: 10 }, stabilizers: { ema: { enabled: true } } };
      const run = await api.client.call('runs.create', { datasetId: dataset!.id, config });
      await page.goto(`${served.url.split('#')[0]}#/runs/${run.id}`);
      await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 180_000 }).toBe('completed');
      const raw = page.getByTestId('sample-latest-raw');
      await expect.poll(() => raw.getAttribute('data-step').then(Number), { timeout: 60_000 }).toBe(20);
      await expect.poll(() => raw.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect(await page.getByTestId('sample-pair').locator('figcaption').allTextContents()).toEqual(['EMA step 20', 'raw G step 20']);
      await page.screenshot({ path: join(screenshotsDir, 'run-page-ema-warming.png'), fullPage: true });
      expect(consoleErrors).toEqual([]);
    } finally {
      api.close();
    }
  });
});
