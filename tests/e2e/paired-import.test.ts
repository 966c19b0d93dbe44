/** End to end in Chromium against serve mode: a paired import from two browser folders (A/ and B/), its pairs side by side on the dataset page, and the B half offered as a stored-pairs run's targets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { tempDir } from '../fixtures/workbench';
import { query } from './outcomes';
import { openServedApp, screenshotsDir, type Served } from './serve';

const PAIRS = 6;
const SIDE = 16;

/** Input i: a grey square of level 30·(i+1); target i: a colour square whose red is that level. A file only in A is a reject. */
async function writePairFolders(root: string): Promise<{ a: string; b: string }> {
  const a = join(root, 'photos-A');
  const b = join(root, 'photos-B');
  mkdirSync(join(a, 'set'), { recursive: true });
  mkdirSync(join(b, 'set'), { recursive: true });
  const square = (r: number, g: number, bl: number) => sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: { r, g, b: bl } } }).png();
  for (let i = 0; i < PAIRS; i++) {
    const level = 30 * (i + 1);
    await square(level, level, level).toFile(join(a, 'set', `p${i}.png`));
    // Another extension on the B side: pairs match by path without it.
    await square(level, 255 - level, 90).jpeg({ quality: 95 }).toFile(join(b, 'set', `p${i}.jpg`));
  }
  await square(10, 10, 10).toFile(join(a, 'set', 'lonely.png'));
  return { a, b };
}

interface DatasetRow {
  id: string;
  name: string;
  count: number;
  pair_dataset_id: string | null;
  pair_role: string | null;
}

describe('a paired import in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let folders: { a: string; b: string };
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    folders = await writePairFolders(tempDir('paired-e2e'));
    ({ served, browser, page } = await openServedApp(consoleErrors));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('uploads the A and B folders, imports them as two linked datasets and lists the file without a partner', async () => {
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-kind').selectOption('paired-folders');
    await page.getByTestId('import-folder-input-a').setInputFiles(folders.a);
    await page.getByTestId('import-folder-input-b').setInputFiles(folders.b);
    await expect.poll(() => page.getByTestId('import-upload').getAttribute('data-done'), { timeout: 60_000 }).toBe('true');
    await page.getByTestId('import-size').fill(String(SIDE));
    await page.getByTestId('import-name').fill('squares');
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-paired-result').textContent(), { timeout: 60_000 }).toContain(String(PAIRS));
    const rejects = await page.getByTestId('import-reject').allTextContents();
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toContain('lonely.png');
    expect(rejects[0]).toContain('no partner in B/');

    const rows = query<DatasetRow>(served.dataDir, 'SELECT id, name, count, pair_dataset_id, pair_role FROM datasets ORDER BY pair_role');
    expect(rows.map((r) => [r.name, r.count, r.pair_role])).toEqual([
      ['squares · A', PAIRS, 'A'],
      ['squares · B', PAIRS, 'B'],
    ]);
    expect(rows[0]!.pair_dataset_id).toBe(rows[1]!.id);
    expect(rows[1]!.pair_dataset_id).toBe(rows[0]!.id);
    expect(consoleErrors).toEqual([]);
  });

  it('shows the pairs side by side and links each half to its partner', async () => {
    const [a, b] = query<DatasetRow>(served.dataDir, 'SELECT id, name FROM datasets ORDER BY pair_role');
    await page.getByTestId('import-open-dataset').click();
    await expect.poll(() => page.url()).toContain(`/datasets/${a!.id}`);
    await expect.poll(() => page.getByTestId('pair-preview-item').count(), { timeout: 15_000 }).toBe(PAIRS);
    // A message's "|" is vue-i18n's plural separator: the title must keep both halves.
    expect(await page.locator('.pairs-title').textContent()).toBe('First pairs: A | B');
    // Each cell draws its thumbnail sheet: both halves of every pair have a picture.
    const cells = page.getByTestId('pair-preview-item').first().locator('.cell');
    expect(await cells.count()).toBe(2);
    for (const cell of await cells.all()) expect(await cell.evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/^url\(/);
    await page.screenshot({ path: join(screenshotsDir, 'paired-dataset.png') });

    expect(await page.getByTestId('dataset-partner').textContent()).toBe(b!.name);
    await page.getByTestId('dataset-partner').click();
    await expect.poll(() => page.url()).toContain(`/datasets/${b!.id}`);
    await expect.poll(() => page.getByTestId('dataset-partner').textContent()).toBe(a!.name);

    await page.getByTestId('nav-datasets').click();
    expect(await page.getByTestId('dataset-pair-chip').count()).toBe(2);
  });

  it('offers the B half first as the targets of a stored-pairs run on the A half', async () => {
    const [a, b] = query<DatasetRow>(served.dataDir, 'SELECT id FROM datasets ORDER BY pair_role');
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-new').click();
    await page.getByTestId('run-dataset').selectOption(a!.id);
    await page.getByTestId('run-task-paired').check();
    await page.getByTestId('run-task-source-pairs').check();
    await expect.poll(() => page.getByTestId('run-task-targets').inputValue()).toBe(b!.id);
    expect(await page.getByTestId('run-task-issue').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
