/**
 * End to end in Chromium against serve mode (issue 12): importing 1,000 MNIST digits trains the
 * dataset's in-domain classifier, and the dataset page turns from "training" to its held-out accuracy
 * as it finishes; a conditional run evaluated on it shows the in-domain panel of its Quality chart,
 * the class histogram and the per-class scores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { Dataset } from '../../src-main/common/domain';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir, tinyConfig } from '../fixtures/workbench';
import { apiClient, assertBuilt, launchBrowser, openApp, screenshotsDir, serve, type Served } from './serve';

describe('the in-domain classifier in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let dataset: Dataset;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(screenshotsDir, { recursive: true });
    const mnist = tempDir('mnist-classifier');
    // 1,000 digits: a held-out split of 100, so the import trains a classifier.
    await writeMnistFolder(mnist, 100);
    served = await serve();
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
    const api = apiClient(served);
    try {
      ({ dataset } = await api.client.call('datasets.import', { path: mnist, size: 28, channels: 1, name: 'mnist-1000' }));
    } finally {
      api.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('the dataset page follows the classifier’s training to its held-out accuracy', async () => {
    expect(dataset.classifier?.status).toBe('training');
    await page.goto(`${served.url}#/datasets/${dataset.id}`);
    const facts = page.getByTestId('dataset-classifier');
    // Live: dataset.updated turns it from training to ready without a reload.
    await expect.poll(() => facts.getAttribute('data-status'), { timeout: 180_000 }).toBe('ready');
    expect(await page.getByTestId('classifier-accuracy').textContent()).toMatch(/^\d+\.\d% right on 100 held-out images$/);
    expect(await facts.textContent()).toMatch(/trained on 900 images, 20 epochs/);
    await facts.screenshot({ path: join(screenshotsDir, 'dataset-classifier.png') });
  });

  it('a conditional run evaluated on it: the in-domain panel, the class histogram and the per-class scores', async () => {
    const api = apiClient(served);
    let runId: string;
    try {
      const config = tinyConfig(8, {
        model: { gWidth: 8, dWidth: 8, gConditioning: 'embedding', dConditioning: 'projection' },
        intervals: { metricsEvery: 1, sampleEvery: 4, checkpointEvery: 4 },
        evaluation: { everyCheckpoints: 1, n: 50 },
      });
      runId = (await api.client.call('runs.create', { datasetId: dataset.id, name: 'conditional', config })).id;
      const deadline = Date.now() + 240_000;
      for (;;) {
        const [run, view] = await Promise.all([api.client.call('runs.get', { id: runId }), api.client.call('runs.evaluations', { id: runId })]);
        if (run.status === 'completed' && view.pending.length === 0 && view.evaluations.length === 2) break;
        if (Date.now() > deadline || ['failed', 'interrupted'].includes(run.status)) throw new Error(`run ${run.status}, evaluations ${JSON.stringify(view)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      const { evaluations } = await api.client.call('runs.evaluations', { id: runId });
      expect(evaluations.every((e) => e.inDomain !== null && e.inDomain.perClass?.length === 10)).toBe(true);
    } finally {
      api.close();
    }
    await page.goto(`${served.url}#/runs/${runId}`);
    const chart = page.getByTestId('quality-chart');
    await expect.poll(() => chart.getAttribute('data-points')).toBe('2');
    expect(await chart.getAttribute('data-in-domain')).toBe('true');
    expect(await page.getByTestId('class-scores').textContent()).toMatch(/On the dataset’s classifier \(\d+\.\d% held-out accuracy\), step 8/);
    expect(await page.getByTestId('classes-reached').textContent()).toMatch(/^\d+ of 10 classes reached · mean confidence /);
    await expect.poll(() => page.getByTestId('class-histogram').locator('canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="per-class"] tbody tr').count()).toBe(10);
    await page.getByTestId('quality-panel').screenshot({ path: join(screenshotsDir, 'run-quality-in-domain.png') });
    expect(consoleErrors).toEqual([]);
  });
});
