/**
 * End to end in Chromium against serve mode (issue 12): on imported MNIST digits, a run that evaluates
 * its checkpoints shows FD, KID and precision/recall over steps in its Quality chart, with the best
 * checkpoint (the lowest KID) marked and named, how the values were measured and the comparability
 * note; the fork dialog offers that checkpoint as the best, and the export panel exports it (or any
 * kept checkpoint) as ONNX or TensorFlow.js, with or without ψ-truncation, into the run's folder, and
 * N generated images as a synthetic dataset that imports from the panel; the gallery shows an
 * evaluated checkpoint's generated images closest to the training images, each beside that image.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunNearest } from '../../src-main/common/nearest';
import type { RunEvaluations } from '../../src-main/common/quality';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir, tinyConfig } from '../fixtures/workbench';
import { apiClient, assertBuilt, launchBrowser, openApp, screenshotsDir, serve, type Served } from './serve';

describe('the Quality chart in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let runId: string;
  let quality: RunEvaluations;
  /** The closest pairs of each evaluated checkpoint, as runs.nearest answers. */
  const nearest = new Map<number, RunNearest>();
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(screenshotsDir, { recursive: true });
    const mnist = tempDir('mnist-quality');
    await writeMnistFolder(mnist, 30);
    served = await serve();
    // Set-up through the API: the test is about what the run page shows.
    const api = apiClient(served);
    try {
      const { dataset } = await api.client.call('datasets.import', { path: mnist, size: 28, channels: 1, name: 'mnist-300' });
      // Checkpoints at 4, 8 and 12, each evaluated on 50 images per side.
      const config = tinyConfig(12, { intervals: { metricsEvery: 1, sampleEvery: 4, checkpointEvery: 4 }, evaluation: { everyCheckpoints: 1, n: 50 } });
      runId = (await api.client.call('runs.create', { datasetId: dataset.id, name: 'evaluated', config })).id;
      // Trained, and every checkpoint evaluated (the last one after the run ends).
      const deadline = Date.now() + 240_000;
      for (;;) {
        const [run, view] = await Promise.all([api.client.call('runs.get', { id: runId }), api.client.call('runs.evaluations', { id: runId })]);
        if (run.status === 'completed' && view.pending.length === 0 && view.evaluations.length === 3) break;
        if (Date.now() > deadline || ['failed', 'interrupted'].includes(run.status)) throw new Error(`run ${run.status}, evaluations ${JSON.stringify(view)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      quality = await api.client.call('runs.evaluations', { id: runId });
      for (const e of quality.evaluations) nearest.set(e.step, (await api.client.call('runs.nearest', { id: runId, step: e.step }))!);
    } finally {
      api.close();
    }
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows FD, KID and precision/recall of every evaluated checkpoint, the lowest KID as the best, and what the values compare with', async () => {
    const lowest = quality.evaluations.reduce((a, b) => (b.kid.mean < a.kid.mean ? b : a));
    expect(quality.best).toEqual({ step: lowest.step, by: 'kid' });
    await page.goto(`${served.url}#/runs/${runId}`);
    const chart = page.getByTestId('quality-chart');
    await expect.poll(() => chart.getAttribute('data-points')).toBe('3');
    expect(await chart.getAttribute('data-best')).toBe(String(lowest.step));
    // The chart is drawn, not just laid out.
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('quality-best').textContent()).toMatch(new RegExp(`^Best: step ${lowest.step}, the lowest KID \\(`));
    expect(await page.getByTestId('quality-measured').textContent()).toMatch(/Measured on nsfwjs MobileNetV2 \(1792-d\) · N = 50 generated vs 50 real · .*224.* · backend wasm · last evaluation took [\d.]+ s/);
    expect(await page.getByTestId('quality-note').textContent()).toBe(
      'These values compare only with runs measured the same way (network, N, preprocessing, backend), never with published FIDs.',
    );
    await page.getByTestId('quality-panel').screenshot({ path: join(screenshotsDir, 'run-quality.png') });

    // Forking offers the best checkpoint by KID.
    await page.getByTestId('run-fork').click();
    // The dialog fetches the checkpoints when it opens.
    const bestOption = async () => (await page.getByTestId('fork-checkpoint').locator('option').allTextContents()).find((o) => o.includes(`step ${lowest.step}`)) ?? '';
    await expect.poll(bestOption).toMatch(/· best · KID /);
    expect(consoleErrors).toEqual([]);
  });

  it('exports the best checkpoint as ONNX, and any other as TensorFlow.js with ψ-truncation, from the run page into the run’s folder', async () => {
    const lowest = quality.evaluations.reduce((a, b) => (b.kid.mean < a.kid.mean ? b : a));
    const other = quality.evaluations.find((e) => e.step !== lowest.step)!.step;
    await page.goto(`${served.url}#/runs/${runId}`);
    const panel = page.getByTestId('export-panel');
    const checkpoint = panel.getByTestId('export-checkpoint');
    // The best checkpoint is offered first: it is what people export.
    await expect.poll(() => checkpoint.inputValue()).toBe(String(lowest.step));
    expect(await checkpoint.locator('option:checked').textContent()).toMatch(new RegExp(`^step ${lowest.step} · best · KID `));

    await panel.getByTestId('export-format-onnx').check();
    await panel.getByTestId('export-submit').click();
    const onnxDir = join(served.dataDir, 'runs', runId, 'exports', `step-${lowest.step}-onnx`);
    await expect.poll(() => panel.getByTestId('export-path').allTextContents(), { timeout: 60_000 }).toEqual([onnxDir]);
    expect(existsSync(join(onnxDir, 'generator.onnx'))).toBe(true);
    // The checkpoint chosen, in the format chosen.
    const about = JSON.parse(readFileSync(join(onnxDir, 'generator.json'), 'utf8')) as { format: string; step: number; runId: string };
    expect(about).toMatchObject({ format: 'gan-workbench/generator-onnx', step: lowest.step, runId });
    // The run's log says what was exported, and where.
    await expect.poll(() => page.getByTestId('event').first().textContent()).toContain(`generator of step ${lowest.step} exported as ONNX to runs/${runId}/exports/step-${lowest.step}-onnx`);

    // Another checkpoint, as TensorFlow.js, sampled with ψ-truncation: ψ in the folder's name, its generator.json and the panel.
    await checkpoint.selectOption(String(other));
    await panel.getByTestId('export-format-tfjs').check();
    await panel.getByTestId('export-truncation-on').check();
    await panel.getByTestId('export-truncation-psi').fill('0.8');
    await panel.getByTestId('export-truncation-psi').blur();
    await panel.getByTestId('export-submit').click();
    const tfjsDir = join(served.dataDir, 'runs', runId, 'exports', `step-${other}-psi0.8`);
    await expect.poll(() => panel.getByTestId('export-path').allTextContents(), { timeout: 60_000 }).toEqual([tfjsDir, onnxDir]);
    expect(await panel.getByTestId('export-result').first().textContent()).toContain(`TensorFlow.js, step ${other} · ψ 0.8:`);
    expect(existsSync(join(tfjsDir, 'model.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(tfjsDir, 'generator.json'), 'utf8'))).toMatchObject({ step: other, truncation: { psi: 0.8, mode: 'resample' } });

    // 20 generated images as a synthetic dataset, imported from the panel: the dataset page says where they came from.
    await panel.getByTestId('export-format-dataset').check();
    await panel.getByTestId('export-truncation-on').uncheck();
    await panel.getByTestId('export-count').fill('20');
    // 300 digits have no held-out split, so no classifier to filter by: the field says why.
    expect(await panel.getByTestId('export-filter').isDisabled()).toBe(true);
    expect(await panel.getByTestId('export-filter-blocked').textContent()).toMatch(/no held-out split/);
    await panel.getByTestId('export-submit').click();
    const datasetDir = join(served.dataDir, 'runs', runId, 'exports', `step-${other}-dataset-20-seed0`);
    await expect.poll(() => panel.getByTestId('export-path').first().textContent(), { timeout: 60_000 }).toBe(datasetDir);
    expect(readdirSync(datasetDir).filter((f) => f.endsWith('.png'))).toHaveLength(20);
    await panel.getByTestId('export-import').click();
    const link = panel.getByTestId('export-imported');
    await expect.poll(() => link.textContent(), { timeout: 60_000 }).toMatch(/^Imported as “mnist-300 · synthetic \(step \d+\)” →$/);
    await panel.screenshot({ path: join(screenshotsDir, 'run-export.png') });
    await link.click();
    await expect.poll(() => page.getByTestId('dataset-synthetic').textContent()).toMatch(
      new RegExp(`synthetic\\s+Generated by run ${runId} at step ${other} \\(G\\) · seed 0 · no truncation\\s*open the run\\s*$`),
    );
    // In the list, only the imported one is marked synthetic.
    await page.getByTestId('nav-datasets').click();
    await expect.poll(() => page.getByTestId('dataset-name').count()).toBe(2);
    expect(await page.getByTestId('dataset-synthetic-chip').count()).toBe(1);
    expect(consoleErrors).toEqual([]);
  });

  it('shows in the gallery the generated images closest to the training images, each beside it with its distance over the held-out median', async () => {
    await page.goto(`${served.url}#/gallery?run=${runId}`);
    const panel = page.getByTestId('gallery-nearest');
    // The timeline follows the newest grid (step 12), so the newest evaluated checkpoint shows.
    const shown = nearest.get(12)!;
    await expect.poll(() => panel.getByTestId('nearest-pair').count()).toBe(8);
    expect(await panel.getByTestId('nearest-step').inputValue()).toBe('12');
    expect(await panel.getByTestId('nearest-step').locator('option').allTextContents()).toEqual(['step 12', 'step 8', 'step 4']);
    // Row by row, the pairs runs.nearest lists, each labelled with its ratio and what it means.
    const rows = panel.getByTestId('nearest-pair');
    expect(await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-training-index'))))).toEqual(shown.pairs.map((p) => p.trainingIndex));
    for (const [k, p] of shown.pairs.entries()) {
      const meaning = p.ratio < shown.threshold ? 'close to a training image' : p.ratio < 1 ? 'nearer than unseen images are' : 'new';
      expect(await rows.nth(k).locator('strong').textContent()).toBe(`${p.ratio < 10 ? p.ratio.toFixed(2) : p.ratio.toFixed(0)}× the held-out median: ${meaning}`);
      expect(await rows.nth(k).textContent()).toContain(`training image #${p.trainingIndex} · distance ${p.distance.toFixed(2)}`);
    }
    // 300 digits have no held-out split: the panel says what the check compared with.
    expect(await panel.getByTestId('nearest-compared').textContent()).toMatch(/^\s*This dataset has no held-out split \(under 1,000 images\): the check compared with training images/);
    // The picture loaded: 2 columns × 8 rows of 28-pixel digits.
    const image = panel.getByTestId('nearest-image');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, img.naturalHeight])).toEqual([true, 56, 224]);
    await panel.screenshot({ path: join(screenshotsDir, 'gallery-nearest.png') });

    // Another evaluated checkpoint, picked by hand.
    await panel.getByTestId('nearest-step').selectOption('4');
    const other = nearest.get(4)!;
    await expect
      .poll(() => rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-training-index')))))
      .toEqual(other.pairs.map((p) => p.trainingIndex));
    await expect.poll(() => image.getAttribute('src')).toContain(`runs/${runId}/evaluations/4/nearest.png`);
    expect(consoleErrors).toEqual([]);
  });
});
