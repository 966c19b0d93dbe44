/** A trained run with EMA on: while the EMA warms up each sample step stores `<step>-raw.png` (the raw G) beside `<step>.png`, recorded on its sample row. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Dataset } from '../../../src-main/common/domain';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

describe('raw G sample grids', () => {
  const dataDir = tempDir('raw-samples');
  const { workbench } = makeWorkbench(dataDir);
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist-raw-samples');
    await writeMnistFolder(folder, 3);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  it('are written and recorded while the EMA warms up, and not after', async () => {
    // Batch 8, half-life 16 images without ramp-up: warmed up after 4 half-lives, 64 images (step 8).
    const run = workbench.runs.create({
      datasetId: dataset.id,
      config: tinyConfig(10, { stabilizers: { ema: { enabled: true, halfLifeImages: 16, rampup: 0 } } }),
      start: true,
    });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    const samples = workbench.runs.samples(run.id);
    expect(samples.map((s) => [s.step, s.rawPath])).toEqual([
      [0, null],
      [5, `runs/${run.id}/samples/5-raw.png`],
      [10, null],
    ]);
    const [ema, raw] = await Promise.all([5, '5-raw'].map((name) => sharp(join(dataDir, 'runs', run.id, 'samples', `${name}.png`)).raw().toBuffer({ resolveWithObject: true })));
    expect(raw!.info).toMatchObject({ width: ema!.info.width, height: ema!.info.height, channels: ema!.info.channels });
    expect(raw!.data.equals(ema!.data)).toBe(false);
  });
});
