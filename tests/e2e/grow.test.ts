/**
 * End to end in Chromium against serve mode (issue 13): a tiny DCGAN trained on 14 × 14 digits is
 * grown from its run page to 28 × 28 on the same digits imported at that size; the new run's page
 * opens with its Grow report, and once it has trained, every chart marks where the 28 × 28 block
 * fades in and the gallery labels its first grid as the parent's 14 × 14, upscaled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { Dataset, Run } from '../../src-main/common/domain';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir, tinyConfig } from '../fixtures/workbench';
import { apiClient, assertBuilt, launchBrowser, openApp, screenshotsDir, serve, type Served } from './serve';

/** Polls the run over the API until it has completed (or failed, which ends the test with its reason). */
async function untilCompleted(served: Served, id: string, timeoutMs: number): Promise<Run> {
  const api = apiClient(served);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await api.client.call('runs.get', { id });
      if (run.status === 'completed') return run;
      if (Date.now() > deadline || ['failed', 'interrupted', 'stopped'].includes(run.status)) throw new Error(`run ${id} is ${run.status}: ${JSON.stringify(run.reason)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    api.close();
  }
}

describe('Grow in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let small: Dataset;
  let large: Dataset;
  let parent: Run;
  let grownId = '';
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(screenshotsDir, { recursive: true });
    const mnist = tempDir('mnist-grow');
    // 10 digits a class: too few for a held-out split, so no classifier trains beside the runs.
    await writeMnistFolder(mnist, 10);
    served = await serve();
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
    const api = apiClient(served);
    try {
      ({ dataset: small } = await api.client.call('datasets.import', { path: mnist, size: 14, channels: 1, name: 'mnist-14' }));
      ({ dataset: large } = await api.client.call('datasets.import', { path: mnist, size: 28, channels: 1, name: 'mnist-28' }));
      const config = tinyConfig(30, { intervals: { metricsEvery: 1, sampleEvery: 10, checkpointEvery: 10 } });
      parent = await api.client.call('runs.create', { datasetId: small.id, name: 'digits-14', config });
    } finally {
      api.close();
    }
    parent = await untilCompleted(served, parent.id, 180_000);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('grows the finished 14 × 14 run to 28 × 28 from its page and opens the grown run with its report', async () => {
    expect(parent.lastCheckpointStep).toBe(30);
    await page.goto(`${served.url}#/runs/${parent.id}`);
    await page.getByTestId('run-grow').click();
    const dialog = page.getByTestId('grow-dialog');
    await dialog.waitFor();

    // 4× has no dataset: the dialog says to import the images at that size.
    await page.getByTestId('grow-size-56').check();
    expect(await page.getByTestId('grow-no-dataset').textContent()).toContain('Import the same images again at size 56');
    expect(await page.getByTestId('grow-submit').isDisabled()).toBe(true);

    await page.getByTestId('grow-size-28').check();
    await page.getByTestId('grow-dataset').selectOption(large.id);
    await page.getByTestId('grow-steps').fill('40');
    await page.getByTestId('grow-fade').fill('80');
    await page.locator('[role="dialog"]').screenshot({ path: join(screenshotsDir, 'grow-dialog.png') });
    await page.getByTestId('grow-submit').click();

    await expect.poll(() => new URL(page.url()).hash, { timeout: 60_000 }).toMatch(/^#\/runs\/run_/);
    await expect.poll(() => new URL(page.url()).hash).not.toBe(`#/runs/${parent.id}`);
    grownId = new URL(page.url()).hash.replace('#/runs/', '');

    const report = page.getByTestId('grow-report');
    await report.waitFor();
    expect((await page.getByTestId('grow-summary').textContent())?.replace(/\s+/g, ' ').trim()).toBe('Grown from digits-14 at step 30: 14 × 14 → 28 × 28');
    const counts = (await page.getByTestId('grow-counts').textContent())?.trim() ?? '';
    const [kept, widened, fresh] = (counts.match(/^(\d+) kept · (\d+) widened · (\d+) new$/) ?? []).slice(1).map(Number);
    // The parent's blocks carry over; the 28 × 28 block and its output layer start fresh.
    expect(kept).toBeGreaterThan(0);
    expect(fresh).toBeGreaterThan(0);
    expect(Number(await report.getAttribute('data-kept'))).toBe(kept);
    expect(Number(await report.getAttribute('data-widened'))).toBe(widened);
    expect(Number(await report.getAttribute('data-new'))).toBe(fresh);
    expect(await page.getByTestId('grow-fade').textContent()).toContain('from 14×14 to 28×28 over 80 images');
    await page.getByTestId('grow-weights').locator('summary').click();
    expect(await page.getByTestId('grow-weight').count()).toBe(kept! + widened! + fresh!);
    await report.screenshot({ path: join(screenshotsDir, 'grow-report.png') });
  });

  it('marks the 28 × 28 fade on every chart of the grown run and labels its first grid 14 × 14', async () => {
    expect(grownId).not.toBe('');
    const grown = await untilCompleted(served, grownId, 240_000);
    expect(grown.datasetId).toBe(large.id);
    expect(grown.config.progressive).toMatchObject({ enabled: true, startSize: 14, fadeImages: 80, firstPhaseImages: 0 });

    const charts = page.locator('[data-testid="loss-chart"], [data-testid^="metric-chart-"], [data-testid="d-output-chart"]');
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points'), { timeout: 30_000 }).not.toBe('0');
    const count = await charts.count();
    expect(count).toBeGreaterThan(2);
    for (let i = 0; i < count; i++) expect(await charts.nth(i).getAttribute('data-phase-marks'), await charts.nth(i).getAttribute('data-testid') ?? '').toBe('28');
    // The growth chart shows the side and α the fade moved through.
    await expect.poll(() => page.getByTestId('metric-chart-growth').getAttribute('data-series')).toBe('2');
    await page.getByTestId('loss-chart').screenshot({ path: join(screenshotsDir, 'grow-phase-marks.png') });
    await page.getByTestId('metric-chart-growth').scrollIntoViewIfNeeded();
    await page.getByTestId('metric-chart-growth').screenshot({ path: join(screenshotsDir, 'grow-growth-chart.png') });

    await page.getByTestId('run-gallery').click();
    const first = page.locator('[data-testid="gallery-item"][data-step="0"]');
    await first.waitFor();
    expect(await first.getByTestId('gallery-item-side').textContent()).toBe('14×14');
    // The last grid is drawn at the full side: nothing to say.
    expect(await page.locator('[data-testid="gallery-item"][data-step="40"] [data-testid="gallery-item-side"]').count()).toBe(0);
    await first.click();
    expect(await page.getByTestId('gallery-side').textContent()).toBe('14×14 upscaled, fading into 28×28 (α 0.00)');
    await page.locator('section.body').screenshot({ path: join(screenshotsDir, 'grow-gallery.png') });
    expect(consoleErrors).toEqual([]);
  });
});
