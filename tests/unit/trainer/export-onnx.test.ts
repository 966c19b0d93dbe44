/** ONNX export: a trained run's generator.onnx runs in onnxruntime-web (wasm, in Node) and reproduces, from the stored noise, the example the trainer rendered. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import sharp from 'sharp';
import type { Dataset } from '../../../src-main/common/domain';
import type { OnnxTensorSpec } from '../../../src-main/engine/export';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';

interface About {
  format: string;
  file: string;
  opset: number;
  weights: string;
  latentSize: number;
  classes: string[];
  inputs: OnnxTensorSpec[];
  output: OnnxTensorSpec;
  example: { file: string; count: number; noise: number[]; labels: number[] | null };
}

const SIDE = 28;

/** Runs generator.onnx on the example's noise (and labels) and compares each image with its cell of example.png, in grey levels. */
async function compareWithExample(dir: string): Promise<{ about: About; worst: number; mean: number; distinct: number }> {
  const about = JSON.parse(await readFile(join(dir, 'generator.json'), 'utf8')) as About;
  const { count: n, noise, labels } = about.example;
  const session = await ort.InferenceSession.create(await readFile(join(dir, about.file)), { executionProviders: ['wasm'] });
  const feeds: Record<string, ort.Tensor> = { z: new ort.Tensor('float32', Float32Array.from(noise), [n, about.latentSize]) };
  if (labels !== null) feeds.label = new ort.Tensor('int64', BigInt64Array.from(labels.map(BigInt)), [n]);
  const { image } = await session.run(feeds);
  await session.release();
  expect(image!.dims).toEqual([n, 1, SIDE, SIDE]);
  const values = image!.data as Float32Array;
  const predicted = Array.from(values, (x) => Math.min(255, Math.max(0, Math.round((x + 1) * 127.5))));

  // example.png holds the same n images, tiled ⌈√n⌉ wide without borders, as the trainer rendered them (NCHW with C = 1 is row-major per image).
  const { data, info } = await sharp(join(dir, about.example.file)).raw().toBuffer({ resolveWithObject: true });
  const cols = Math.ceil(Math.sqrt(n));
  expect(info.width).toBe(cols * SIDE);
  let worst = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const png = data[((Math.floor(k / cols) * SIDE + y) * info.width + (k % cols) * SIDE + x) * info.channels]!;
        const diff = Math.abs(png - predicted[k * SIDE * SIDE + y * SIDE + x]!);
        worst = Math.max(worst, diff);
        total += diff;
      }
    }
  }
  return { about, worst, mean: total / (n * SIDE * SIDE), distinct: new Set(predicted).size };
}

describe('ONNX export of a trained run', () => {
  const { workbench } = makeWorkbench();
  let dataset: Dataset;

  beforeAll(async () => {
    ort.env.wasm.numThreads = 1;
    const folder = tempDir('mnist-export-onnx');
    await writeMnistFolder(folder, 3);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: SIDE, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  it('DCGAN with EMA: generator.onnx reproduces example.png from the stored noise within 1 grey level, beside the tfjs export', async () => {
    const run = workbench.runs.create({
      datasetId: dataset.id,
      config: tinyConfig(40, { stabilizers: { ema: { enabled: true, halfLifeImages: 8, rampup: 0 } } }),
      start: true,
    });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    const exported = await workbench.exporter.export(run.id, undefined, 'onnx');
    expect(exported).toMatchObject({ step: 40, format: 'onnx', path: expect.stringMatching(/exports[/\\]step-40-onnx$/) });
    expect((await readdir(exported.absolutePath)).sort()).toEqual(['README.md', 'config.json', 'example.png', 'generator.json', 'generator.onnx']);

    const { about, worst, mean, distinct } = await compareWithExample(exported.absolutePath);
    console.log(`DCGAN + EMA: max ${worst} grey levels, mean ${mean.toFixed(4)}`);
    expect(about).toMatchObject({ format: 'gan-workbench/generator-onnx', file: 'generator.onnx', opset: 13, weights: 'EMA of the generator', latentSize: 16 });
    expect(about.inputs).toEqual([{ name: 'z', dtype: 'float32', shape: ['N', 16], range: null, description: expect.stringContaining('N(0, 1)') }]);
    expect(about.output).toMatchObject({ name: 'image', dtype: 'float32', shape: ['N', 1, SIDE, SIDE], range: [-1, 1] });
    expect(worst).toBeLessThanOrEqual(1);
    expect(mean).toBeLessThan(0.05);
    // The images are not blank: a generator that learned nothing would still pass a pixel compare.
    expect(distinct).toBeGreaterThan(20);
    const readme = await readFile(join(exported.absolutePath, 'README.md'), 'utf8');
    expect(readme).toContain('| output | `image` | float32 | [N, 1, 28, 28] | NCHW');

    // The tfjs export of the same step is its own folder; asking again for either is the folder there, not a new job.
    const tfjs = await workbench.exporter.export(run.id);
    expect(tfjs).toMatchObject({ step: 40, format: 'tfjs', path: expect.stringMatching(/exports[/\\]step-40$/) });
    expect(existsSync(join(tfjs.absolutePath, 'model.json'))).toBe(true);
    const jobs = workbench.worker.jobsSubmitted;
    expect(await workbench.exporter.export(run.id, 40, 'onnx')).toEqual(exported);
    expect(workbench.worker.jobsSubmitted).toBe(jobs);
  });

  it('conditional ResNet (conditional BN), no EMA: the label input is int64 [N] and the example images match per class', async () => {
    const run = workbench.runs.create({
      datasetId: dataset.id,
      config: tinyConfig(10, { model: { arch: 'resnet', gWidth: 8, dWidth: 8, gConditioning: 'cbn', dConditioning: 'projection' } }),
      start: true,
    });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    const exported = await workbench.exporter.export(run.id, undefined, 'onnx');
    const { about, worst, mean, distinct } = await compareWithExample(exported.absolutePath);
    console.log(`ResNet + conditional BN: max ${worst} grey levels, mean ${mean.toFixed(4)}`);
    expect(about.weights).toBe('generator');
    expect(about.inputs.map((i) => [i.name, i.dtype, i.shape, i.range])).toEqual([
      ['z', 'float32', ['N', 16], null],
      ['label', 'int64', ['N'], [0, 9]],
    ]);
    expect(about.example.labels).toEqual(Array.from({ length: 16 }, (_, i) => i % 10));
    expect(worst).toBeLessThanOrEqual(1);
    expect(mean).toBeLessThan(0.05);
    expect(distinct).toBeGreaterThan(20);
  });
});
