/**
 * A translation run's standalone page in Chromium from file://: it opens with no request, takes a chosen
 * image, draws the translator's input from it (inpainting: the centred hole of half the side, mid grey)
 * and its output beside it, and offers the output as a PNG download.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import type { Workbench } from '../../src-main/core/workbench';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../fixtures/workbench';
import { launchBrowser, screenshotsDir } from './serve';

describe('the translator page in a browser', () => {
  let workbench: Workbench;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    workbench = makeWorkbench().workbench;
    const folder = tempDir('mnist-translator-html');
    await writeMnistFolder(folder, 2);
    const { dataset } = await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }));
    const config = tinyConfig(5, { evaluation: { everyCheckpoints: 0 }, task: { kind: 'paired', source: 'inpaint' } });
    const run = workbench.runs.create({ datasetId: dataset.id, config, start: true });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    dir = (await workbench.exporter.export(run.id, undefined, 'html')).absolutePath;
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    workbench?.close();
  });

  it('translates a chosen image: the holed input beside the output, with a download link, and no request', async () => {
    const url = pathToFileURL(join(dir, 'generator.html')).href;
    await page.goto(url);
    await expect.poll(() => page.evaluate(() => document.body.dataset.state), { timeout: 60_000 }).toBe('ready');
    // A 40 × 30 picture: the page crops its centred 30 × 30 square and draws it at 28 × 28.
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 240, g: 240, b: 240 } } }).png().toBuffer();
    await page.setInputFiles('#file', { name: 'light.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => page.evaluate(() => document.body.dataset.state), { timeout: 30_000 }).toBe('translated');
    const grey = (id: string) =>
      page.evaluate((canvasId) => {
        const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
        const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        return Array.from({ length: rgba.length / 4 }, (_, i) => rgba[i * 4]!);
      }, id);
    const input = await grey('input');
    expect(input.length).toBe(28 * 28);
    // The hole (rows and columns 7…20) reads mid grey; outside it the light image.
    expect(input[14 * 28 + 14]).toBe(128);
    expect(input[2 * 28 + 2]).toBeGreaterThan(230);
    const output = await grey('output');
    expect(output.length).toBe(28 * 28);
    expect(await page.locator('#download').getAttribute('href')).toMatch(/^data:image\/png;base64,/);
    await page.screenshot({ path: join(screenshotsDir, 'translator-html-export.png'), fullPage: true });
    expect(requests.filter((r) => !r.startsWith('blob:') && !r.startsWith('data:'))).toEqual([url]);
    expect(errors).toEqual([]);
  });
});
