/**
 * End to end in Chromium against serve mode: a paired super-resolution ×2 run on 28 × 28 MNIST digits is
 * made from the New run dialog (where colorization is ruled out for the greyscale digits), trains, shows its
 * sample grid with the input | output | target captions and a Translation chart with val_psnr beside its
 * dashed baseline, and then translates a PNG through Try it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import type { Dataset, Run } from '../../src-main/common/domain';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir } from '../fixtures/workbench';
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

describe('Paired translation in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let digits: Dataset;
  let runId = '';
  const consoleErrors: string[] = [];
  const pngPath = join(tempDir('translate-png'), 'digit.png');

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(screenshotsDir, { recursive: true });
    const mnist = tempDir('mnist-translate');
    // 8 digits a class: too few for a held-out split, so no classifier trains beside the run.
    await writeMnistFolder(mnist, 8);
    // A 20 × 20 grey square with a bright bar: Try it's input, resized to the training size.
    const pixels = new Uint8Array(20 * 20);
    for (let y = 0; y < 20; y++) for (let x = 8; x < 12; x++) pixels[y * 20 + x] = 255;
    writeFileSync(pngPath, await sharp(pixels, { raw: { width: 20, height: 20, channels: 1 } }).png().toBuffer());
    served = await serve();
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
    const api = apiClient(served);
    try {
      ({ dataset: digits } = await api.client.call('datasets.import', { path: mnist, size: 28, channels: 1, name: 'digits' }));
    } finally {
      api.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('makes a super-resolution ×2 run from the New run dialog, colorization ruled out for greyscale digits', async () => {
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-new').click();
    await page.getByTestId('run-dataset').selectOption(digits.id);
    await page.getByTestId('run-name').fill('digits ×2');
    await page.getByTestId('run-task-paired').check();

    expect(await page.getByTestId('run-task-source-colorize').isDisabled()).toBe(true);
    expect(await page.getByTestId('run-task-problem').allTextContents()).toContain('Colorization needs colour images: “digits” is greyscale.');
    await page.getByTestId('run-task-source-superres').check();
    await page.getByTestId('run-task-scale-2').check();
    expect(await page.getByTestId('run-task-evaluation').isVisible()).toBe(true);

    await page.getByTestId('run-steps').fill('20');
    await page.getByTestId('run-batch').fill('8');
    await page.getByTestId('run-sample-every').fill('10');
    await page.getByTestId('run-metrics-every').fill('1');
    await page.getByTestId('editor-toggle').click();
    await page.getByTestId('editor-tab-model').click();
    await page.getByTestId('field-model.gWidth').fill('8');
    await page.getByTestId('field-model.dWidth').fill('8');
    await page.getByTestId('editor-tab-schedule').click();
    await page.getByTestId('field-intervals.checkpointEvery').fill('10');

    const rows = page.getByTestId('editor-diff').getByTestId('config-diff-row');
    await expect.poll(async () => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).sort()).toEqual(
      ['batchSize', 'intervals.checkpointEvery', 'intervals.metricsEvery', 'intervals.sampleEvery', 'model.dWidth', 'model.gWidth', 'steps', 'task.kind'].sort(),
    );
    await expect.poll(() => page.getByTestId('run-create').isEnabled()).toBe(true);
    await page.locator('[role="dialog"]').screenshot({ path: join(screenshotsDir, 'translate-new-run.png') });
    await page.getByTestId('run-create').click();
    await page.waitForURL(/#\/runs\/run_/);
    runId = new URL(page.url()).hash.replace('#/runs/', '');
    expect(await page.getByTestId('run-task').textContent()).toBe('Paired · super-resolution ×2');
  });

  it('trains, captions its triplet grid and charts val_psnr beside its dashed baseline', async () => {
    expect(runId).not.toBe('');
    const run = await untilCompleted(served, runId, 120_000);
    expect(run.config.task).toMatchObject({ kind: 'paired', source: 'superres', scale: 2 });
    expect(run.config.evaluation.everyCheckpoints).toBe(0);

    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('sample-latest').first().getAttribute('data-step'), { timeout: 30_000 }).toBe('20');
    expect(await page.getByTestId('triplet-captions').first().getByTestId('triplet-caption').allTextContents()).toEqual(['input', 'output', 'target']);

    const chart = page.getByTestId('metric-chart-translation');
    await expect.poll(async () => (await chart.getAttribute('data-drawn'))?.split(','), { timeout: 30_000 }).toContain('val_psnr');
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
    expect((await chart.getAttribute('data-dashed'))?.split(',')).toContain('baseline_psnr');
    await chart.scrollIntoViewIfNeeded();
    await chart.screenshot({ path: join(screenshotsDir, 'translate-chart.png') });
  });

  it('translates a PNG through Try it: input and output side by side, the output at the training size', async () => {
    const tryIt = page.getByTestId('try-it');
    await tryIt.waitFor();
    expect(await page.getByTestId('try-mode-tile').isDisabled()).toBe(false);
    // The checkpoint list is fetched again when the run completes: the newest is chosen.
    await expect.poll(() => page.getByTestId('try-checkpoint').inputValue(), { timeout: 10_000 }).toBe('20');
    await page.getByTestId('try-file').setInputFiles(pngPath);
    await page.getByTestId('try-submit').click();

    const result = page.getByTestId('try-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-width')).toBe('28');
    expect(await result.getAttribute('data-height')).toBe('28');
    for (const id of ['try-input-image', 'try-output-image']) {
      await expect.poll(() => page.getByTestId(id).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    }
    const size = await page.getByTestId('try-output-image').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(size).toEqual([28, 28]);
    expect(await page.getByTestId('try-download').getAttribute('href')).toContain('-output.png');
    await tryIt.scrollIntoViewIfNeeded();
    await tryIt.screenshot({ path: join(screenshotsDir, 'translate-try-it.png') });
    expect(consoleErrors).toEqual([]);
  });
});
