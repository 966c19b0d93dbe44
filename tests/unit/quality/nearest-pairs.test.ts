/**
 * The memorization check's closest pairs (issue 12) through the core with the real trainer process:
 * a tiny run on MNIST evaluates its checkpoint, and runs.nearest names a picture of K rows × 2
 * columns (generated | nearest training image) whose right cells are the packed dataset's images at
 * the stored indices, with each pair's distance over the held-out median; evaluating it again
 * replaces the pair of files whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src-main/common/domain';
import { NEAREST_PAIRS, NearestFile } from '../../../src-main/common/nearest';
import { IMAGES_FILE } from '../../../src-main/core/datasets/packed-format';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

/** Images per side: the contract's least. */
const N = 50;
const SIZE = 28;

describe('the closest pairs of an evaluated checkpoint', () => {
  let wb: ReturnType<typeof makeWorkbench>;
  let dataset: Dataset;
  let runId: string;

  beforeAll(async () => {
    wb = makeWorkbench();
    const folder = tempDir('mnist-nearest');
    // 300 digits: under 1,000, so no held-out split; the yardstick is drawn aside from the training images.
    await writeMnistFolder(folder, 30);
    const h = wb.workbench.handlers;
    ({ dataset } = await h['datasets.import'](parsed('datasets.import', { path: folder, size: SIZE, channels: 1 })));
    // One checkpoint, at step 8, evaluated as the run trains (due, and its last).
    const config = tinyConfig(8, { intervals: { metricsEvery: 1, sampleEvery: 8, checkpointEvery: 8 }, evaluation: { everyCheckpoints: 1, n: N } });
    runId = (await h['runs.create'](parsed('runs.create', { datasetId: dataset.id, config }))).id;
    expect((await wb.workbench.host.whenSettled(runId)).status).toBe('completed');
    await wb.workbench.runEvaluations.whenIdle();
  }, 300_000);
  afterAll(() => wb?.workbench.close());

  async function cells(image: string, rows: number): Promise<{ left: Buffer; right: Buffer }[]> {
    const file = wb.workbench.dataDir.resolveInside(image);
    const meta = await sharp(file).metadata();
    // A greyscale PNG, as the dataset is.
    expect([meta.width, meta.height, meta.channels]).toEqual([2 * SIZE, rows * SIZE, 1]);
    const data = await sharp(file).raw().toColourspace('b-w').toBuffer();
    const cell = (row: number, col: number) => {
      const out = Buffer.alloc(SIZE * SIZE);
      for (let y = 0; y < SIZE; y++) data.copy(out, y * SIZE, (row * SIZE + y) * 2 * SIZE + col * SIZE, (row * SIZE + y) * 2 * SIZE + (col + 1) * SIZE);
      return out;
    };
    return Array.from({ length: rows }, (_, r) => ({ left: cell(r, 0), right: cell(r, 1) }));
  }

  it('a run’s evaluation keeps K pairs: the right cell of each row is the training image at its index, closest first, each over the held-out median', async () => {
    const h = wb.workbench.handlers;
    const [evaluation] = (await h['runs.evaluations']({ id: runId })).evaluations;
    expect(evaluation?.step).toBe(8);
    const nearest = await h['runs.nearest']({ id: runId, step: 8 });
    expect(nearest).not.toBeNull();
    const { image, pairs, ...about } = nearest!;
    expect(image).toBe(`runs/${runId}/evaluations/8/nearest.png`);
    expect(about).toMatchObject({ runId, step: 8, datasetId: dataset.id, cellSize: SIZE, channels: 1, comparedWith: 'training', nGenerated: N, nTraining: N, threshold: 0.5 });
    expect(pairs).toHaveLength(NEAREST_PAIRS);
    // The closest first; each ratio is the pair's distance over the yardstick the copy ratio divides by.
    const distances = pairs.map((p) => p.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    for (const p of pairs) {
      expect(p.ratio).toBeCloseTo(p.distance / about.heldOutMedian, 12);
      expect(p.datasetId).toBe(dataset.id);
    }
    // The K closest of N: the median pair is no closer than the K-th.
    expect(pairs.at(-1)!.ratio).toBeLessThanOrEqual(evaluation!.copyRatio);
    expect(new Set(pairs.map((p) => p.generatedIndex)).size).toBe(NEAREST_PAIRS);

    const packed = readFileSync(join(wb.workbench.dataDir.dataset(dataset.id), IMAGES_FILE));
    const rows = await cells(image, NEAREST_PAIRS);
    for (const [k, p] of pairs.entries()) {
      const training = packed.subarray(p.trainingIndex * SIZE * SIZE, (p.trainingIndex + 1) * SIZE * SIZE);
      expect(rows[k]!.right.equals(training), `row ${k}: training image ${p.trainingIndex}`).toBe(true);
      // After 8 steps the generator draws no digit: the left cell is its image, not a copy.
      expect(rows[k]!.left.equals(training)).toBe(false);
    }
    // nearest.json says the same, as its schema reads it.
    const file = NearestFile.parse(JSON.parse(readFileSync(join(wb.workbench.dataDir.run(runId), 'evaluations', '8', 'nearest.json'), 'utf8')));
    expect(file.pairs).toEqual(pairs);

    // A checkpoint without an evaluation has none; an unknown run is not found.
    expect(await h['runs.nearest']({ id: runId, step: 4 })).toBeNull();
    await expect(async () => h['runs.nearest']({ id: 'run_missing0', step: 8 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);

  it('evaluating the checkpoint again with another seed replaces both files whole and leaves no temporary folder', async () => {
    const h = wb.workbench.handlers;
    const before = (await h['runs.nearest']({ id: runId, step: 8 }))!;
    await h['quality.evaluate'](parsed('quality.evaluate', { source: { runId, step: 8 }, n: N, seed: 7 }));
    const after = (await h['runs.nearest']({ id: runId, step: 8 }))!;
    expect(after.createdAt > before.createdAt).toBe(true);
    // Another seed draws other real images and noise: other pairs, and the picture shows them.
    expect(after.pairs).not.toEqual(before.pairs);
    const packed = readFileSync(join(wb.workbench.dataDir.dataset(dataset.id), IMAGES_FILE));
    const rows = await cells(after.image, after.pairs.length);
    for (const [k, p] of after.pairs.entries()) {
      expect(rows[k]!.right.equals(packed.subarray(p.trainingIndex * SIZE * SIZE, (p.trainingIndex + 1) * SIZE * SIZE))).toBe(true);
    }
    expect(readdirSync(join(wb.workbench.dataDir.run(runId), 'evaluations'))).toEqual(['8']);
    expect(readdirSync(join(wb.workbench.dataDir.run(runId), 'evaluations', '8')).sort()).toEqual(['nearest.json', 'nearest.png']);
  }, 120_000);
});
