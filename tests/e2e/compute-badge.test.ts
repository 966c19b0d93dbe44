/** End to end in Chromium: the top bar's compute badge shows the backend a trainer gets, and opened, the GPU adapter and why each other backend was not used. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { hardwareAdapterHere, webgpuAdapterForTests } from '../fixtures/webgpu-env';
import { openServedApp, screenshotsDir, type Served } from './serve';

// The served app's trainer inherits this environment: SwiftShader's Vulkan driver when installed.
const adapter = await webgpuAdapterForTests();
const hardware = await hardwareAdapterHere();

describe('the compute badge', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ({ served, browser, page } = await openServedApp(consoleErrors));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('names the backend; opened, it lists the adapter with its limits and a reason for every other backend', async () => {
    const badge = page.getByTestId('compute-badge');
    const expected = hardware === null ? 'wasm' : 'webgpu';
    await expect.poll(() => badge.locator('summary').textContent(), { timeout: 120_000 }).toContain(expected);
    await badge.locator('summary').click();
    const details = page.getByTestId('compute-details');
    await expect.poll(() => details.isVisible()).toBe(true);
    const text = (await details.textContent()) ?? '';
    for (const other of ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'].filter((b) => b !== expected)) expect(text).toContain(other);
    if (adapter !== null) {
      expect(await page.getByTestId('compute-adapter').textContent()).toContain(adapter.description);
      expect(text).toMatch(/f16 (yes|no) · maxBufferSize \d/);
    }
    if (hardware === null && adapter !== null) expect(text).toContain('only a software adapter was found');
    await page.screenshot({ path: join(screenshotsDir, 'compute-badge.png') });
    expect(consoleErrors).toEqual([]);
  });
});
