/** End to end in Chromium against serve mode: the Settings page sets the memory budget and the training slots, and the new-run editor shows the estimate against the budget and the server's refusal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir } from '../fixtures/workbench';
import { apiClient, assertBuilt, launchBrowser, openApp, screenshotsDir, serve, type Served } from './serve';

describe('settings and the memory budget in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(screenshotsDir, { recursive: true });
    const mnist = tempDir('mnist-settings');
    await writeMnistFolder(mnist, 2);
    served = await serve();
    const api = apiClient(served);
    await api.client.call('datasets.import', { path: mnist, size: 28, channels: 1, name: 'digits' });
    api.close();
    browser = await launchBrowser();
    page = await openApp(browser, served.url, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows the automatic budget, refuses a budget under the minimum with the schema’s message, and saves a fixed one', async () => {
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('settings-budget-automatic-value').textContent()).toMatch(/Automatic: \d+ MB now \(half the free RAM/);
    expect(await page.getByTestId('settings-budget-automatic').isChecked()).toBe(true);
    await page.getByTestId('settings-budget-custom').check();
    await page.getByTestId('settings-budget-input').fill('10');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-issue').textContent()).toBe('memoryBudgetMB must be at least 64');
    await page.getByTestId('settings-budget-input').fill('64');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-budget-effective').textContent()).toBe('In force: 64 MB');
    expect(await page.getByTestId('settings-issue').count()).toBe(0);
    await page.screenshot({ path: join(screenshotsDir, 'settings.png') });
  });

  it('shows the estimate over the budget in the new-run dialog, the server refuses it, and a smaller config fits', async () => {
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-new').click();
    await expect.poll(() => page.getByTestId('model-size-estimate').textContent()).toMatch(/≈ 672 k parameters · ≈ \d+ MB while training/);
    await expect.poll(() => page.getByTestId('model-size-budget').textContent()).toContain('over the memory budget of 64 MB');
    await page.screenshot({ path: join(screenshotsDir, 'new-run-over-budget.png') });
    await expect.poll(() => page.getByTestId('run-create').isEnabled()).toBe(true);
    await page.getByTestId('run-create').click();
    await expect.poll(() => page.locator('[role="alert"]').allTextContents()).toContainEqual(expect.stringContaining('over the memory budget of 64 MB (set in Settings)'));

    await page.getByTestId('run-batch').fill('8');
    await expect.poll(() => page.getByTestId('model-size-budget').textContent()).toContain('within the memory budget of 64 MB');
    await page.keyboard.press('Escape');
    expect(consoleErrors.filter((e) => !e.includes('INVALID_REQUEST') && !e.includes('over the memory budget'))).toEqual([]);
  });

  it('refuses 0 training slots with the schema’s message and saves 2, which the server then uses', async () => {
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('settings-slots-effective').textContent()).toBe('In force: 1 at once');
    await page.getByTestId('settings-slots-input').fill('0');
    await page.getByTestId('settings-slots-save').click();
    await expect.poll(() => page.getByTestId('settings-slots-issue').textContent()).toBe('trainingSlots must be at least 1');
    await page.getByTestId('settings-slots-input').fill('2');
    await page.getByTestId('settings-slots-save').click();
    await expect.poll(() => page.getByTestId('settings-slots-effective').textContent()).toBe('In force: 2 at once');
    const api = apiClient(served);
    expect((await api.client.call('settings.get')).settings.trainingSlots).toBe(2);
    api.close();
  });
});
