/**
 * End to end in Chromium against serve mode: what the UI does (rename, delete, train) is what SQLite and
 * the data directory hold; a restarted server on the same directory shows it all again; a run whose
 * server was SIGKILLed comes back interrupted and resumes from its last checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { gridExtent } from '../../src-main/common/grid-layout';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { alive, childrenOf } from '../fixtures/processes';
import { tempDir } from '../fixtures/workbench';
import { until } from './cli-process';
import { BLANK_STDEV, cellStdev, countFor, query, rowById, shownFile } from './outcomes';
import { apiClient, assertBuilt, launchBrowser, openApp, serve, type Served } from './serve';

const STEPS = 30;
const SAMPLE_EVERY = 10;

describe('what the UI does persists', () => {
  const dataDir = tempDir('persist');
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  let kept = '';
  let dropped = '';
  let trained = '';

  /** The app of the current server at a route: the token changes with every start. */
  async function open(route: string): Promise<void> {
    await page.goto(`${served.url}#${route}`);
  }

  beforeAll(async () => {
    assertBuilt();
    const folders = [tempDir('persist-a'), tempDir('persist-b')];
    await Promise.all(folders.map((f) => writeMnistFolder(f, 2)));
    served = await serve(dataDir);
    // Set-up through the API: this file is about what the UI's actions leave behind.
    const api = apiClient(served);
    kept = (await api.client.call('datasets.import', { path: folders[0]!, size: 28, channels: 1, name: 'digits a' })).dataset.id;
    dropped = (await api.client.call('datasets.import', { path: folders[1]!, size: 28, channels: 1, name: 'digits b' })).dataset.id;
    api.close();
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('renames one dataset and deletes the other: the rows and folders follow', async () => {
    await open(`/datasets/${kept}`);
    await page.getByTestId('dataset-rename').click();
    await page.getByTestId('dataset-name-input').fill('  Kept digits ');
    await page.getByTestId('dataset-rename-save').click();
    await expect.poll(() => page.getByTestId('dataset-title').textContent()).toBe('Kept digits');
    expect(rowById(dataDir, 'datasets', kept)).toMatchObject({ name: 'Kept digits', count: 20 });

    await page.getByTestId('nav-datasets').click();
    await expect.poll(() => page.getByTestId('dataset-row').count()).toBe(2);
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('dataset-row').filter({ hasText: 'digits b' }).getByTestId('dataset-delete').click();
    await expect.poll(() => page.getByTestId('dataset-name').allTextContents()).toEqual(['Kept digits']);
    expect(rowById(dataDir, 'datasets', dropped)).toBeUndefined();
    expect(existsSync(join(dataDir, 'datasets', dropped))).toBe(false);
    expect(existsSync(join(dataDir, 'datasets', kept, 'images.u8'))).toBe(true);
  });

  it('trains a run and deletes another: the store holds the run, its metrics, grids and checkpoint; nothing of the deleted one', async () => {
    await page.getByTestId('dataset-train').first().click();
    await page.getByTestId('run-steps').fill(String(STEPS));
    await page.getByTestId('run-batch').fill('16');
    await page.getByTestId('run-sample-every').fill(String(SAMPLE_EVERY));
    await page.getByTestId('run-metrics-every').fill('1');
    await page.getByTestId('run-create').click();
    await page.waitForURL(/#\/runs\/run_/);
    trained = page.url().split('/runs/')[1]!;
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 180_000 }).toBe('completed');

    expect(rowById(dataDir, 'runs', trained)).toMatchObject({ status: 'completed', step: STEPS, dataset_id: kept });
    expect(JSON.parse(readFileSync(join(dataDir, 'runs', trained, 'config.json'), 'utf8'))).toMatchObject({ steps: STEPS, batchSize: 16 });
    const lossSteps = query<{ step: number }>(dataDir, "SELECT step FROM metrics WHERE run_id = ? AND key = 'd_loss' ORDER BY step", trained);
    expect(lossSteps.map((r) => r.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(query<{ step: number }>(dataDir, 'SELECT step FROM samples WHERE run_id = ? ORDER BY step', trained).map((r) => r.step)).toEqual([0, 10, 20, 30]);
    const checkpoint = query<{ path: string }>(dataDir, 'SELECT path FROM checkpoints WHERE run_id = ? AND step = ?', trained, STEPS)[0];
    expect(checkpoint).toBeDefined();
    expect(existsSync(join(dataDir, checkpoint!.path, 'state.json'))).toBe(true);
    expect(await cellStdev(join(dataDir, 'runs', trained, 'samples', `${STEPS}.png`), 28)).toBeGreaterThan(BLANK_STDEV);

    // A run that never started, made through the API, deleted through the runs table.
    const api = apiClient(served);
    const doomed = (await api.client.call('runs.create', { datasetId: kept, name: 'doomed', config: { steps: 5 }, start: false })).id;
    api.close();
    expect(existsSync(join(dataDir, 'runs', doomed))).toBe(true);
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    await page.getByTestId('run-row').filter({ hasText: 'doomed' }).getByTestId('run-select').check();
    await page.getByTestId('runs-delete').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    expect(rowById(dataDir, 'runs', doomed)).toBeUndefined();
    expect(existsSync(join(dataDir, 'runs', doomed))).toBe(false);
    for (const table of ['metrics', 'samples', 'checkpoints', 'events'] as const) expect(countFor(dataDir, table, doomed), table).toBe(0);
    expect(rowById(dataDir, 'runs', trained)).toMatchObject({ status: 'completed' });
  });

  it('shows the datasets, the run, its metrics and its grids again after the server restarts on the same directory', async () => {
    await served.stop();
    served = await serve(dataDir);
    await open('/datasets');
    await expect.poll(() => page.getByTestId('dataset-name').allTextContents()).toEqual(['Kept digits']);
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([trained]);
    await page.getByTestId('run-row').first().click();
    await page.waitForURL(new RegExp(`#/runs/${trained}$`));
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('completed');
    expect(await page.getByTestId('run-step').textContent()).toBe(String(STEPS));
    // Every stored step of both losses is drawn again: d_loss and g_loss, one point per step each.
    const chart = page.getByTestId('loss-chart');
    await expect.poll(() => chart.getAttribute('data-series').then(Number)).toBe(2);
    await expect.poll(() => chart.getAttribute('data-points').then(Number)).toBe(2 * STEPS);
    const sample = page.getByTestId('sample-latest');
    await expect.poll(() => sample.getAttribute('data-step')).toBe(String(STEPS));
    expect(await shownFile(sample, dataDir, `runs/${trained}/samples/${STEPS}.png`)).toEqual({ width: gridExtent(8, 28), height: gridExtent(8, 28) });
  });

  it('marks a run interrupted when its server was SIGKILLed mid-training, and resumes it from the last checkpoint', async () => {
    await open('/datasets');
    await page.getByTestId('dataset-train').first().click();
    await page.getByTestId('run-name').fill('killed');
    await page.getByTestId('run-steps').fill('5000');
    await page.getByTestId('run-batch').fill('16');
    await page.getByTestId('run-metrics-every').fill('1');
    await page.getByTestId('editor-toggle').click();
    await page.getByTestId('editor-tab-schedule').click();
    await page.getByTestId('field-intervals.checkpointEvery').fill('5');
    await expect.poll(() => page.getByTestId('run-create').isEnabled()).toBe(true);
    await page.getByTestId('run-create').click();
    await page.waitForURL((url) => url.hash.startsWith('#/runs/run_') && !url.hash.endsWith(trained));
    const killed = page.url().split('/runs/')[1]!;
    await until('two checkpoints of the run', () => countFor(dataDir, 'checkpoints', killed) >= 2);
    expect(rowById(dataDir, 'runs', killed)).toMatchObject({ status: 'running' });

    const trainers = childrenOf(served.proc.pid!);
    expect(trainers.length).toBeGreaterThan(0);
    const exited = new Promise((r) => served.proc.once('exit', r));
    served.proc.kill('SIGKILL');
    await exited;
    // The orphaned trainer ends on its own when its host's channel closes; only then is the directory at rest.
    await until('the orphaned trainers to exit', () => trainers.every((pid) => !alive(pid)), 30_000);
    // Killed, the server could not say so: the row still says running until a server starts again.
    expect(rowById(dataDir, 'runs', killed)).toMatchObject({ status: 'running' });

    served = await serve(dataDir);
    await open(`/runs/${killed}`);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('interrupted');
    expect(rowById(dataDir, 'runs', killed)).toMatchObject({ status: 'interrupted' });
    const resumeStep = query<{ step: number }>(dataDir, 'SELECT MAX(step) AS step FROM checkpoints WHERE run_id = ?', killed)[0]!.step;
    expect(resumeStep).toBeGreaterThanOrEqual(10);

    await page.getByTestId('run-start').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('running');
    const started = () => query<{ message: string }>(dataDir, "SELECT message FROM events WHERE run_id = ? AND kind = 'started' ORDER BY id", killed).map((e) => e.message);
    await expect.poll(started).toHaveLength(2);
    expect(started()[1]).toMatch(new RegExp(`from step ${resumeStep}$`));
    await expect.poll(() => page.getByTestId('run-step').textContent().then(Number), { timeout: 60_000 }).toBeGreaterThan(resumeStep);

    await page.getByTestId('run-stop').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('stopped');
    const stopped = rowById<{ step: number; status: string }>(dataDir, 'runs', killed)!;
    expect(stopped.step).toBeGreaterThan(resumeStep);
    // Every step's metrics from 1 on, once: the attempt cut by the kill left nothing past the checkpoint twice.
    const steps = query<{ step: number }>(dataDir, "SELECT step FROM metrics WHERE run_id = ? AND key = 'g_loss' ORDER BY step", killed).map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: stopped.step }, (_, i) => i + 1));
    expect(consoleErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE/.test(e))).toEqual([]);
  });
});
