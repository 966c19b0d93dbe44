/**
 * The held-out split (issue 12): an import of 1,000 images or more reserves a seeded tenth (at most
 * 5,000) that training never receives, stored with the dataset; the memorization check then takes its
 * yardstick from that split and says so. Smaller datasets keep every image for training.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { heldOutCount, heldOutIndices } from '../../../src-main/common/held-out';
import type { Dataset } from '../../../src-main/common/domain';
import type { Evaluation } from '../../../src-main/common/quality';
import type { StartTraining } from '../../../src-main/common/trainer-protocol';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import { imageBytes, readPackedDataset, trainingPart } from '../../../src-main/core/datasets/packed-format';
import type { TrainingLoop } from '../../../src-main/engine/loop/training-loop';
import { runTraining } from '../../../src-main/utility/training-run';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir } from '../../fixtures/workbench';

describe('the held-out split’s size and draw', () => {
  it('is a tenth of 1,000 images or more, at most 5,000, and none below 1,000', () => {
    expect([999, 1000, 1234, 30_000, 60_000].map(heldOutCount)).toEqual([0, 100, 123, 3000, 5000]);
  });

  it('draws distinct indices in range, ascending, the same every time', () => {
    const picked = heldOutIndices(1234);
    expect(picked).toHaveLength(123);
    expect(new Set(picked).size).toBe(123);
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    expect(picked.every((i) => i >= 0 && i < 1234)).toBe(true);
    expect(heldOutIndices(1234)).toEqual(picked);
    // Spread over the whole dataset, not its first tenth.
    expect(picked.at(-1)!).toBeGreaterThan(1000);
    expect(heldOutIndices(500)).toEqual([]);
  });
});

describe('a dataset with a held-out split', () => {
  const { workbench } = makeWorkbench();
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist-held-out');
    await writeMnistFolder(folder, 100);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  }, 120_000);
  afterAll(() => workbench.close());

  it('is stored with its split: the count with the dataset, the indices in its manifest', async () => {
    expect(dataset).toMatchObject({ count: 1000, heldOut: 100 });
    expect(workbench.store.datasets.get(dataset.id)?.heldOut).toBe(100);
    const packed = await readPackedDataset(workbench.dataDir.dataset(dataset.id));
    expect(packed.manifest.heldOut).toEqual(heldOutIndices(1000));
  });

  it('never gives the held-out images to training', async () => {
    const dir = workbench.dataDir.dataset(dataset.id);
    const packed = await readPackedDataset(dir);
    const bytes = imageBytes(packed.manifest);
    const image = (images: Uint8Array, i: number) => Buffer.from(images.subarray(i * bytes, (i + 1) * bytes)).toString('base64');
    // What the trainer's training job hands the loop.
    let data: { images: Uint8Array; labels: Uint8Array; count: number } | undefined;
    const loop = { run: async (_options: unknown, given: typeof data) => void (data = given) } as unknown as TrainingLoop;
    const job = { type: 'train', runId: 'run_heldout01', datasetDir: dir, runDir: tempDir('held-out-run'), config: defaultTrainingConfig(), evaluations: { evaluated: [], awaiting: [] } } as unknown as StartTraining;
    await runTraining(loop, job);
    expect(data!.count).toBe(900);
    const seen = new Set(Array.from({ length: data!.count }, (_, i) => image(data!.images, i)));
    for (const i of packed.manifest.heldOut) expect(seen.has(image(packed.images, i)), `held-out image ${i}`).toBe(false);
    // The rest, in packed order, with their labels.
    const kept = Array.from({ length: 1000 }, (_, i) => i).filter((i) => !packed.manifest.heldOut.includes(i));
    expect(image(data!.images, 0)).toBe(image(packed.images, kept[0]!));
    expect(image(data!.images, 899)).toBe(image(packed.images, kept[899]!));
    expect(Array.from(data!.labels)).toEqual(kept.map((i) => packed.labels[i]));
    expect(trainingPart(packed).count).toBe(900);
  });

  it('gives the memorization check its yardstick from the split, and says so', async () => {
    const digits = tempDir('held-out-digits');
    await writeMnistFolder(digits, 5, { split: 'test' });
    const evaluation = (await workbench.handlers['quality.evaluate'](
      parsed('quality.evaluate', { datasetId: dataset.id, source: { folder: digits }, n: 50 }),
    )) as Evaluation;
    expect(evaluation.memorization).toMatchObject({ comparedWith: 'held-out', nHeldOut: 100, nTraining: 50 });
  }, 180_000);

  it('is absent from a dataset under 1,000 images, whose check compares with training images', async () => {
    const folder = tempDir('mnist-small');
    await writeMnistFolder(folder, 10);
    const small = (await workbench.datasets.import(parsed('datasets.import', { path: join(folder), size: 28, channels: 1 }))).dataset;
    expect(small.heldOut).toBe(0);
    expect((await readPackedDataset(workbench.dataDir.dataset(small.id))).manifest.heldOut).toEqual([]);
  });
});
