/** Export: a trained run's generator folder loads in plain @tensorflow/tfjs and makes the trainer's images from the same noise. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { Dataset } from '../../../src-main/common/domain';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';

/** Reads model.json + weights.bin the way tfjs-node's file:// would, with nothing but fs. */
function folderHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const weights = await readFile(join(dir, 'weights.bin'));
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    },
  };
}

describe('generator export', () => {
  const { workbench } = makeWorkbench();
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist-export');
    await writeMnistFolder(folder, 3);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  it('loads with tf.loadLayersModel and reproduces the example the trainer rendered (EMA weights)', async () => {
    const run = workbench.runs.create({
      datasetId: dataset.id,
      config: tinyConfig(40, { stabilizers: { ema: { enabled: true, halfLifeImages: 8, rampup: 0 } } }),
      start: true,
    });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    const exported = await workbench.exporter.export(run.id);
    expect(exported.step).toBe(40);
    const about = JSON.parse(await readFile(join(exported.absolutePath, 'generator.json'), 'utf8')) as {
      weights: string;
      latentSize: number;
      output: { shape: (number | null)[] };
      example: { count: number; noise: number[] };
    };
    expect(about.weights).toBe('EMA of the generator');
    expect(about.output.shape).toEqual([null, 28, 28, 1]);

    await tf.setBackend('cpu');
    const model = await tf.loadLayersModel(folderHandler(exported.absolutePath));
    const n = about.example.count;
    const images = tf.tidy(() => {
      const out = model.predict(tf.tensor2d(about.example.noise, [n, about.latentSize])) as tf.Tensor4D;
      return out.add(1).mul(127.5).round().clipByValue(0, 255);
    });
    const predicted = images.dataSync();
    images.dispose();
    model.dispose();

    // example.png holds the same n images, tiled ⌈√n⌉ wide without borders, as the trainer rendered them.
    const { data, info } = await sharp(join(exported.absolutePath, 'example.png')).raw().toBuffer({ resolveWithObject: true });
    const cols = Math.ceil(Math.sqrt(n));
    expect(info.width).toBe(cols * 28);
    let worst = 0;
    let total = 0;
    for (let k = 0; k < n; k++) {
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const png = data[((Math.floor(k / cols) * 28 + y) * info.width + (k % cols) * 28 + x) * info.channels]!;
          const diff = Math.abs(png - predicted[k * 784 + y * 28 + x]!);
          worst = Math.max(worst, diff);
          total += diff;
        }
      }
    }
    // The trainer ran on wasm and this on cpu: a pixel may round the other way, no more.
    expect(worst).toBeLessThanOrEqual(1);
    expect(total / (n * 784)).toBeLessThan(0.05);
    // The images are not blank: a generator that learned nothing would still pass a pixel compare.
    expect(new Set(predicted).size).toBeGreaterThan(20);

    // A second export of the same step is the same folder, not a new job.
    expect(await workbench.exporter.export(run.id, 40)).toEqual(exported);
    await expect(workbench.exporter.export(run.id, 3)).rejects.toThrow(/no checkpoint at step 3 \(it has/);
  });
});
