/**
 * End to end in Chromium against serve mode: two runs from different presets through the schema-driven
 * editor, the run page, Compare (overlay, config diff, one step slider for both sample grids), the
 * Gallery with a latent walk rendered by a trainer process, and the UI in Chinese and back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { TrainingConfig } from '../../src-main/common/training-config';
import { issuesOf } from '../../src-main/common/errors';
import { diagnose } from '../../src-main/common/diagnostics';
import { gridExtent } from '../../src-main/common/grid-layout';
import { curvesOf } from '../../src-renderer/lib/diagnose-run';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir } from '../fixtures/workbench';
import { BLANK_STDEV, cellStdev, query, rowById, shownFile } from './outcomes';
import { apiClient, assertBuilt, launchBrowser, openApp, screenshotsDir, serve, type Served } from './serve';

const STEPS = 24;
/** Nine grids per run (steps 0, 3 … 24): enough sample-diversity points (MIN_POINTS, 8) for the mode-collapse check to judge. */
const SAMPLE_EVERY = 3;

describe('experiments in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  /** The whole page: the app scrolls inside <main>, so the window grows to its height for the picture. */
  async function shot(name: string): Promise<void> {
    const viewport = page.viewportSize()!;
    const height = await page.evaluate(() => {
      const main = document.querySelector('main');
      return main ? main.scrollHeight + main.getBoundingClientRect().top : document.body.scrollHeight;
    });
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(height)) });
    await page.screenshot({ path: join(screenshotsDir, name) });
    await page.setViewportSize(viewport);
  }

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(screenshotsDir, { recursive: true });
    const mnist = tempDir('mnist-experiments');
    await writeMnistFolder(mnist, 10);
    served = await serve();
    // The dataset comes in through the API: this test is about experiments, not the import dialog.
    const api = apiClient(served);
    await api.client.call('datasets.import', { path: mnist, size: 28, channels: 1, name: 'mnist-100' });
    api.close();
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  async function newRun(name: string, preset: string, screenshot?: string): Promise<string> {
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-new').click();
    await page.getByTestId('run-name').fill(name);
    await page.getByTestId('run-preset').selectOption(preset);
    await page.getByTestId('run-steps').fill(String(STEPS));
    await page.getByTestId('run-batch').fill('16');
    await page.getByTestId('run-sample-every').fill(String(SAMPLE_EVERY));
    await page.getByTestId('run-metrics-every').fill('1');
    await page.getByTestId('editor-toggle').click();
    await page.getByTestId('editor-tab-model').click();
    await page.getByTestId('field-model.gWidth').fill('16');
    await page.getByTestId('field-model.dWidth').fill('16');
    // The diff view lists exactly what differs from the preset.
    const changed = ['steps', 'batchSize', 'model.gWidth', 'model.dWidth', 'intervals.metricsEvery', 'intervals.sampleEvery'];
    const rows = page.getByTestId('editor-diff').getByTestId('config-diff-row');
    await expect.poll(async () => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).sort()).toEqual(changed.sort());
    await expect.poll(() => page.getByTestId('run-create').isEnabled()).toBe(true);
    if (screenshot) await shot(screenshot);
    await page.getByTestId('run-create').click();
    await page.waitForURL(/#\/runs\/run_/);
    return page.url().split('/runs/')[1]!;
  }

  let first = '';
  let second = '';

  /**
   * The panel shows what the diagnostics make of this run's stored curves, every check having judged
   * them: the same findings as diagnose() on the run's metrics, none of them "too few points", and
   * "healthy" exactly when nothing fires.
   */
  async function expectJudgedDiagnostics(runId: string, lossType: string): Promise<void> {
    const api = apiClient(served);
    const series = await api.client.call('runs.metrics', { id: runId });
    api.close();
    const expected = diagnose(curvesOf(series), { lossType, nonFinite: null });
    expect(expected.filter((f) => f.status === 'unavailable')).toEqual([]);
    const findings = page.getByTestId('diag-finding');
    const shown = () => findings.evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), e.getAttribute('data-status')]));
    await expect.poll(shown).toEqual(expected.map((f) => [f.id, f.status]));
    expect(await page.getByTestId('diagnostics').textContent()).not.toContain('Too few points yet');
    expect(await page.getByTestId('diag-healthy').count()).toBe(expected.some((f) => f.status === 'firing') ? 0 : 1);
  }

  it('refuses an invalid value with the schema’s message and blocks the start', async () => {
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-new').click();
    await page.getByTestId('run-batch').fill('1');
    const message = issuesOf(TrainingConfig.safeParse({ batchSize: 1 }).error!).find((i) => i.path === 'batchSize')!.message;
    const issue = page.locator('[data-testid="field-issue"][data-path="batchSize"]');
    await expect.poll(() => issue.textContent()).toBe(message);
    expect(await page.getByTestId('run-create').isDisabled()).toBe(true);
    await shot('new-run-invalid.png');
    await page.getByTestId('run-batch').fill('16');
    await expect.poll(() => issue.count()).toBe(0);
    await expect.poll(() => page.getByTestId('run-create').isEnabled()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('creates two runs from the dcgan and lsgan presets on the same dataset, and trains them', async () => {
    first = await newRun('mnist dcgan', 'dcgan', 'new-run-editor.png');
    second = await newRun('mnist lsgan', 'lsgan');
    // Runs train one after the other: the second finishing means both did.
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 240_000 }).toBe('completed');
    expect(await page.getByTestId('run-step').textContent()).toBe(String(STEPS));
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points').then(Number)).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('metric-chart-gradients').getAttribute('data-series').then(Number)).toBe(2);
    await expectJudgedDiagnostics(second, 'lsgan');
    await page.getByTestId('run-tag-input').fill('lsgan-try');
    await page.getByTestId('run-tag-input').press('Enter');
    await expect.poll(() => page.getByTestId('run-tag').allTextContents()).toEqual([expect.stringContaining('lsgan-try')]);
    await shot('run-page-experiments.png');
  });

  it('lists both runs, sorts them, and opens Compare with the two selected', async () => {
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    await page.getByTestId('runs-sort-name').click();
    expect(await page.getByTestId('run-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([first, second]);
    // Keyboard: focus the first row, select it with Space, move down, select the second.
    await page.getByTestId('run-row').first().focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('runs-compare').isEnabled()).toBe(true);
    await shot('runs-page.png');
    await page.getByTestId('runs-compare').click();
    await page.waitForURL(/#\/compare\?runs=/);
  });

  it('overlays both runs, shows the loss type in the config diff, and moves both sample grids with one slider', async () => {
    await expect.poll(() => page.getByTestId('compare-chart-g_loss').getAttribute('data-series').then(Number), { timeout: 30_000 }).toBe(2);
    const diffPaths = () => page.getByTestId('compare-config-diff').getByTestId('config-diff-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    await expect.poll(diffPaths).toContain('loss.type');
    expect(await page.locator('[data-testid="config-diff-row"][data-path="loss.type"]').textContent()).toContain('lsgan');
    const grids = page.getByTestId('compare-sample');
    await expect.poll(() => grids.count()).toBe(2);
    const steps = () => grids.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step'))));
    await expect.poll(steps).toEqual([STEPS, STEPS]);
    const slider = page.getByTestId('compare-step');
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(steps).toEqual([0, 0]);
    await page.keyboard.press('ArrowRight');
    await expect.poll(steps).toEqual([SAMPLE_EVERY, SAMPLE_EVERY]);
    // Each picture is its own run's grid of that step, byte for byte, and not blank.
    expect(await grids.evaluateAll((els) => els.map((e) => e.getAttribute('data-run')))).toEqual([first, second]);
    for (const [i, runId] of [first, second].entries()) {
      const file = `runs/${runId}/samples/${SAMPLE_EVERY}.png`;
      expect(await shownFile(grids.nth(i), served.dataDir, file)).toEqual({ width: gridExtent(8, 28), height: gridExtent(8, 28) });
    }
    await page.keyboard.press('End');
    await expect.poll(steps).toEqual([STEPS, STEPS]);
    for (const [i, runId] of [first, second].entries()) {
      const file = `runs/${runId}/samples/${STEPS}.png`;
      await shownFile(grids.nth(i), served.dataDir, file);
      expect(await cellStdev(join(served.dataDir, file), 28)).toBeGreaterThan(BLANK_STDEV);
    }
    await expect.poll(() => page.getByTestId('compare-metrics-row').count()).toBe(2);
    await shot('compare-page.png');
  });

  it('plays the gallery timeline and renders a latent walk from a checkpoint', async () => {
    await page.getByTestId('nav-gallery').click();
    await page.getByTestId('gallery-run').selectOption(first);
    await expect.poll(() => page.getByTestId('gallery-item').count()).toBe(STEPS / SAMPLE_EVERY + 1);
    await page.getByTestId('gallery-slider').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('gallery-image').getAttribute('data-step')).toBe('0');
    await page.getByTestId('gallery-play').click();
    await expect.poll(() => page.getByTestId('gallery-image').getAttribute('data-step'), { timeout: 10_000 }).toBe(String(STEPS));
    await shownFile(page.getByTestId('gallery-image'), served.dataDir, `runs/${first}/samples/${STEPS}.png`);
    // Cell A from the top-left of the grid, cell B from the bottom-right.
    const grid = page.getByTestId('gallery-grid');
    const box = (await grid.boundingBox())!;
    await grid.click({ position: { x: box.width * 0.05, y: box.height * 0.05 } });
    await expect.poll(() => page.getByTestId('gallery-lightbox').getAttribute('data-cell')).toBe('0');
    await page.getByTestId('gallery-set-from').click();
    await grid.click({ position: { x: box.width * 0.95, y: box.height * 0.95 } });
    await expect.poll(() => page.getByTestId('gallery-lightbox').getAttribute('data-cell')).toBe('63');
    await page.getByTestId('gallery-set-to').click();
    await page.getByTestId('gallery-walk').click();
    const walk = page.getByTestId('gallery-generated').locator('img');
    await expect.poll(() => walk.count(), { timeout: 120_000 }).toBe(1);
    // The walk the trainer rendered from the first run's last checkpoint, shown as written: 8 frames of 28 px with 2 px borders.
    const generated = readdirSync(join(served.dataDir, 'runs', first, 'generated'));
    expect(generated).toEqual([expect.stringMatching(new RegExp(`^interpolate-${STEPS}-[0-9a-f]+\\.png$`))]);
    const file = `runs/${first}/generated/${generated[0]}`;
    expect(await shownFile(walk, served.dataDir, file)).toEqual({ width: gridExtent(8, 28), height: gridExtent(1, 28) });
    expect(await cellStdev(join(served.dataDir, file), 28)).toBeGreaterThan(BLANK_STDEV);

    // The same walk with ψ-truncation: its own file, ψ in its name and its caption, shown above the first.
    await page.getByTestId('gallery-truncation-on').check();
    await page.getByTestId('gallery-truncation-psi').fill('0.5');
    await page.getByTestId('gallery-truncation-psi').blur();
    await page.getByTestId('gallery-walk').click();
    await expect.poll(() => walk.count(), { timeout: 120_000 }).toBe(2);
    const truncated = readdirSync(join(served.dataDir, 'runs', first, 'generated')).find((f) => f.includes('-psi'));
    expect(truncated).toMatch(new RegExp(`^interpolate-${STEPS}-psi0\\.5-[0-9a-f]+\\.png$`));
    expect(await page.getByTestId('gallery-generated-psi').textContent()).toBe('ψ 0.5');
    await shownFile(walk.first(), served.dataDir, `runs/${first}/generated/${truncated}`);
    await shot('gallery-page.png');
  });

  it('switches the whole UI to Chinese and back', async () => {
    await page.getByTestId('nav-compare').click();
    await page.getByTestId('lang-switch').selectOption('zh-CN');
    await expect.poll(() => page.getByTestId('nav-compare').textContent()).toContain('对比');
    await expect.poll(() => page.locator('h1').textContent()).toBe('对比');
    await page.goBack();
    await shot('gallery-page-zh.png');
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('训练');
    await shot('runs-page-zh.png');
    await page.getByTestId('lang-switch').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Runs');
  });

  it('forks a run from its last checkpoint with more steps, and the fork continues from there', async () => {
    await page.getByTestId('run-row').filter({ hasText: 'mnist lsgan' }).click();
    await page.getByTestId('run-fork').click();
    await expect.poll(() => page.getByTestId('fork-checkpoint').inputValue()).toBe(String(STEPS));
    await page.getByTestId('run-steps').fill(String(STEPS + 8));
    await expect.poll(() => page.getByTestId('editor-diff').getByTestId('config-diff-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual(['steps']);
    await expect.poll(() => page.getByTestId('run-create').isEnabled()).toBe(true);
    await shot('fork-dialog.png');
    await page.getByTestId('run-create').click();
    await page.waitForURL((url) => url.hash.startsWith('#/runs/run_') && !url.hash.endsWith(second));
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('completed');
    expect(await page.getByTestId('run-step').textContent()).toBe(String(STEPS + 8));
    expect(await page.getByText('Forked from “mnist lsgan” at step 24').count()).toBe(1);
    // The fork as stored: its parent and step, its own steps 25–32 of metrics, and its last checkpoint.
    const fork = page.url().split('/runs/')[1]!;
    expect(rowById(served.dataDir, 'runs', fork)).toMatchObject({ parent_run_id: second, parent_step: STEPS, status: 'completed', step: STEPS + 8 });
    const own = query<{ step: number }>(served.dataDir, "SELECT step FROM metrics WHERE run_id = ? AND key = 'g_loss' AND step > ? ORDER BY step", fork, STEPS);
    expect(own.map((r) => r.step)).toEqual([25, 26, 27, 28, 29, 30, 31, 32]);
    expect(query(served.dataDir, 'SELECT step FROM checkpoints WHERE run_id = ? AND step = ?', fork, STEPS + 8)).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
  });
});
