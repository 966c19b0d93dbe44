/**
 * The standalone HTML export in Chromium from file:// (issue 12): the page runs with no server and
 * makes no request, draws the trainer's example again to within one grey level, draws new samples,
 * honours the class choice and ψ, and renders a latent walk between two clicked samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import type { Workbench } from '../../src-main/core/workbench';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../fixtures/workbench';
import { launchBrowser, screenshotsDir } from './serve';

/** The grid canvas's grey levels (the red channel: the images are grey), row-major. */
async function gridPixels(page: Page, id = 'grid'): Promise<{ width: number; height: number; grey: number[] }> {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, height: canvas.height, grey: Array.from({ length: rgba.length / 4 }, (_, i) => rgba[i * 4]!) };
  }, id);
}

describe('the standalone HTML export in a browser', () => {
  let workbench: Workbench;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    workbench = makeWorkbench().workbench;
    const folder = tempDir('mnist-html');
    await writeMnistFolder(folder, 4);
    const { dataset } = await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }));
    // A class-conditional generator, so the page offers its classes.
    const run = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(20, { model: { gConditioning: 'cbn' } }), start: true });
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

  it('is one page beside its README, example and generator.json, and opens from file:// without any request', async () => {
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'config.json', 'example.png', 'generator.html', 'generator.json']);
    // The tfjs runtime and the weights are inside: well over a megabyte.
    expect(statSync(join(dir, 'generator.html')).size).toBeGreaterThan(1_000_000);
    const url = pathToFileURL(join(dir, 'generator.html')).href;
    await page.goto(url);
    await expect.poll(() => page.evaluate(() => document.body.dataset.state), { timeout: 60_000 }).toBe('ready');
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
  });

  it('draws the trainer’s example again, to within one grey level', async () => {
    const shown = await gridPixels(page);
    const { data, info } = await sharp(join(dir, 'example.png')).raw().toBuffer({ resolveWithObject: true });
    expect([shown.width, shown.height]).toEqual([info.width, info.height]);
    let worst = 0;
    for (let i = 0; i < shown.grey.length; i++) worst = Math.max(worst, Math.abs(shown.grey[i]! - data[i * info.channels]!));
    console.log(`HTML export: worst grey-level difference from example.png ${worst} on backend ${await page.evaluate(() => document.body.dataset.backend)}`);
    expect(worst).toBeLessThanOrEqual(1);
    // Not a blank grid that would match a blank example.
    expect(new Set(shown.grey).size).toBeGreaterThan(20);
    expect(await page.locator('#grid').getAttribute('data-source')).toBe('example');
  });

  it('draws new samples, of the chosen class, with ψ-truncation when asked', async () => {
    const before = await gridPixels(page);
    expect(await page.locator('#class option').allTextContents()).toEqual(['one of each, in turn', ...'0123456789'.split('')]);
    // The example's noise as class 7 everywhere: other images from the same noise.
    await page.selectOption('#class', '7');
    await expect.poll(() => page.locator('#grid').getAttribute('data-source')).toBe('class');
    const asSeven = await gridPixels(page);
    const changed = asSeven.grey.filter((g, i) => g !== before.grey[i]).length;
    console.log(`HTML export: ${changed} of ${asSeven.grey.length} pixels changed with the class`);
    expect(changed).toBeGreaterThan(0);
    await page.check('#psi-on');
    await page.fill('#psi', '0.6');
    await page.click('#new-samples');
    await expect.poll(() => page.locator('#grid').getAttribute('data-source')).toBe('random');
    await expect.poll(() => page.locator('#psi-shown').textContent()).toBe('ψ 0.6');
    const after = await gridPixels(page);
    expect(after.grey).not.toEqual(before.grey);
    // ψ out of the redraw's range is brought into it rather than looping forever.
    await page.fill('#psi', '0');
    await page.click('#new-samples');
    await expect.poll(() => page.locator('#psi-shown').textContent()).toBe('ψ 0.1');
    expect(errors).toEqual([]);
  });

  it('renders a latent walk between two clicked samples', async () => {
    const box = (await page.locator('#grid').boundingBox())!;
    // Sample 1 (top left) to sample 16 (bottom right) of the 4 × 4 grid.
    await page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.1);
    await expect.poll(() => page.locator('#walk-status').textContent()).toContain('From sample 1');
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.9);
    await expect.poll(() => page.locator('#walk').getAttribute('data-to')).toBe('15');
    const walk = await gridPixels(page, 'walk');
    expect([walk.width, walk.height]).toEqual([8 * 28, 28]);
    expect(new Set(walk.grey).size).toBeGreaterThan(20);
    await page.screenshot({ path: join(screenshotsDir, 'html-export.png'), fullPage: true });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('Open it by double-click');
    expect(errors).toEqual([]);
  });
});
