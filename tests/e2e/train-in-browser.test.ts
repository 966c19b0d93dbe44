/** End to end in Chromium against serve mode: import real MNIST images, train, watch the chart grow and a sample grid appear. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir } from '../fixtures/workbench';
import { gridExtent } from '../../src-main/common/grid-layout';
import { BLANK_STDEV, cellStdev, countFor, query, rowById, shownFile } from './outcomes';
import { apiClient, openServedApp, screenshotsDir, type Served } from './serve';

const STEPS = 40;
const SAMPLE_EVERY = 10;

describe('the workbench in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let mnist: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mnist = tempDir('mnist-e2e');
    await writeMnistFolder(mnist, 10);
    ({ served, browser, page } = await openServedApp(consoleErrors));
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
    // 10 digits of each of 10 classes, all accepted: the exact count and the folder's name, nothing rejected.
    await expect
      .poll(async () => (await page.getByTestId('import-result').textContent())?.trim(), { timeout: 60_000 })
      .toBe(`Imported 100 images into “${basename(mnist)}”.`);
    await page.screenshot({ path: join(screenshotsDir, 'import-dialog.png') });
    await page.getByTestId('import-close').click();
    await expect.poll(() => page.getByTestId('dataset-row').count()).toBe(1);

    // What the dialog claims is stored: one dataset row and its packed pixels, 100 images of 28×28×1.
    const rows = query<{ id: string; count: number; size: number; channels: number; classes_json: string }>(served.dataDir, 'SELECT * FROM datasets');
    expect(rows).toMatchObject([{ count: 100, size: 28, channels: 1 }]);
    expect(JSON.parse(rows[0]!.classes_json)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const dir = join(served.dataDir, 'datasets', rows[0]!.id);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ count: 100 });
    expect(statSync(join(dir, 'images.u8')).size).toBe(100 * 28 * 28);
    expect(statSync(join(dir, 'labels.u8')).size).toBe(100);
    await page.screenshot({ path: join(screenshotsDir, 'datasets-page.png') });
  });

  it('starts a run and shows the loss chart gaining points and a sample grid', async () => {
    await page.getByTestId('dataset-train').first().click();
    await page.getByTestId('run-steps').fill(String(STEPS));
    await page.getByTestId('run-batch').fill('16');
    await page.getByTestId('run-sample-every').fill(String(SAMPLE_EVERY));
    await page.getByTestId('run-metrics-every').fill('1');
    await page.getByTestId('run-create').click();
    await page.waitForURL(/#\/runs\/run_/);

    const points = () => page.getByTestId('loss-chart').getAttribute('data-points').then(Number);
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(0);
    const first = await points();
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(first);

    const runId = page.url().split('/runs/')[1]!;
    const sample = page.getByTestId('sample-latest');
    await expect.poll(() => sample.getAttribute('data-step').then(Number), { timeout: 120_000 }).toBeGreaterThanOrEqual(SAMPLE_EVERY);
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 180_000 }).toBe('completed');
    expect(await page.getByTestId('run-step').textContent()).toBe(String(STEPS));

    // The latest grid is this run's last one, step 40: an 8×8 grid of 28 px digits, and not blank.
    await expect.poll(() => sample.getAttribute('data-step')).toBe(String(STEPS));
    const last = `runs/${runId}/samples/${STEPS}.png`;
    expect(await shownFile(sample, served.dataDir, last)).toEqual({ width: gridExtent(8, 28), height: gridExtent(8, 28) });
    expect(await cellStdev(join(served.dataDir, last), 28)).toBeGreaterThan(BLANK_STDEV);

    // What the page claims is stored: the run completed at step 40, a metrics row per step, a grid every 10 steps and its checkpoint.
    expect(rowById(served.dataDir, 'runs', runId)).toMatchObject({ status: 'completed', step: STEPS });
    const steps = query<{ step: number }>(served.dataDir, "SELECT step FROM metrics WHERE run_id = ? AND key = 'g_loss' ORDER BY step", runId).map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    const grids = [0, 10, 20, 30, 40];
    expect(query<{ step: number }>(served.dataDir, 'SELECT step FROM samples WHERE run_id = ? ORDER BY step', runId).map((r) => r.step)).toEqual(grids);
    expect(readdirSync(join(served.dataDir, 'runs', runId, 'samples')).sort()).toEqual(grids.map((g) => `${g}.png`).sort());
    expect(countFor(served.dataDir, 'checkpoints', runId)).toBeGreaterThan(0);
    expect(query(served.dataDir, 'SELECT step FROM checkpoints WHERE run_id = ? AND step = ?', runId, STEPS)).toHaveLength(1);
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
