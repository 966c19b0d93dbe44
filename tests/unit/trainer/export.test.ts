/** Export and on-demand rendering: a trained run's generator folder loads in plain @tensorflow/tfjs and makes the trainer's images from the same noise, with or without ψ-truncation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { RequestOf } from '../../../src-main/common/contract';
import type { Dataset } from '../../../src-main/common/domain';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';
import { folderHandler } from '../../fixtures/tfjs-folder';

describe('generator export', () => {
  const { workbench } = makeWorkbench();
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist-export');
    await writeMnistFolder(folder, 3);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  let runId: string;
  beforeAll(async () => {
    const run = workbench.runs.create({
      datasetId: dataset.id,
      config: tinyConfig(40, { stabilizers: { ema: { enabled: true, halfLifeImages: 8, rampup: 0 } } }),
      start: true,
    });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    runId = run.id;
  });

  it('loads with tf.loadLayersModel and reproduces the example the trainer rendered (EMA weights)', async () => {
    const exported = await workbench.exporter.export(runId);
    expect(exported.step).toBe(40);
    expect(exported.truncation).toBeNull();
    const about = await aboutOf(exported.absolutePath);
    expect(about.weights).toBe('EMA of the generator');
    expect(about.output.shape).toEqual([null, 28, 28, 1]);
    expect(about.truncation).toBeNull();

    const { worst, mean, distinct } = await reproduce(exported.absolutePath, about);
    // The trainer ran on wasm and this on cpu: a pixel may round the other way, no more.
    expect(worst).toBeLessThanOrEqual(1);
    expect(mean).toBeLessThan(0.05);
    // The images are not blank: a generator that learned nothing would still pass a pixel compare.
    expect(distinct).toBeGreaterThan(20);

    // A second export of the same step is the same folder, not a new job.
    expect(await workbench.exporter.export(runId, 40)).toEqual(exported);
    await expect(workbench.exporter.export(runId, 3)).rejects.toThrow(/no checkpoint at step 3 \(it has/);
  });

  it('draws the example with ψ-truncation when asked, records ψ in generator.json and the README, and keeps it apart from the plain export', async () => {
    const plain = await aboutOf((await workbench.exporter.export(runId, 40)).absolutePath);
    const psi = 0.5;
    const exported = await workbench.exporter.export(runId, 40, 'tfjs', { truncation: { psi, mode: 'resample' } });
    expect(exported.path).toBe(`runs/${runId}/exports/step-40-psi0.5`);
    expect(exported.truncation).toEqual({ psi, mode: 'resample' });
    const about = await aboutOf(exported.absolutePath);
    expect(about.truncation).toEqual({ psi, mode: 'resample' });
    // Coordinates inside ±ψ are the plain example's; those outside are redrawn inside it.
    const redrawn = plain.example.noise.filter((v) => Math.abs(v) > psi).length;
    expect(redrawn).toBeGreaterThan(plain.example.noise.length / 2);
    about.example.noise.forEach((v, i) => {
      expect(Math.abs(v)).toBeLessThanOrEqual(psi);
      if (Math.abs(plain.example.noise[i]!) <= psi) expect(v).toBe(plain.example.noise[i]);
      else expect(v).not.toBe(plain.example.noise[i]);
    });
    // example.png is what the model makes of the truncated noise.
    const { worst } = await reproduce(exported.absolutePath, about);
    expect(worst).toBeLessThanOrEqual(1);
    const readme = await readFile(join(exported.absolutePath, 'README.md'), 'utf8');
    expect(readme).toContain('## Sampling with ψ-truncation (ψ 0.5)');
    expect(readme).toContain('redraw every coordinate of `z` whose absolute value is above 0.5');

    // lerp: z ← ψ·z, in its own folder.
    const lerp = await workbench.exporter.export(runId, 40, 'tfjs', { truncation: { psi, mode: 'lerp' } });
    expect(lerp.path).toBe(`runs/${runId}/exports/step-40-psi0.5lerp`);
    const lerpAbout = await aboutOf(lerp.absolutePath);
    expect(lerpAbout.example.noise).toEqual(plain.example.noise.map((v) => Math.fround(psi * v)));
    expect(await readFile(join(lerp.absolutePath, 'README.md'), 'utf8')).toContain('multiply `z` by 0.5');
    const events = workbench.store.events.list(runId).map((e) => e.message);
    expect(events).toContain(`generator of step 40 exported, sampled with ψ 0.5 (lerp) to runs/${runId}/exports/step-40-psi0.5lerp`);
  });

  it('renders gallery images with ψ-truncation: ψ in the response and the file name, and other pictures than without it', async () => {
    const spec = { kind: 'interpolate', from: 0, to: 3, frames: 4, mode: 'slerp' } as const;
    const generate = (request: RequestOf<'runs.generate'>) => workbench.handlers['runs.generate'](parsed('runs.generate', request));
    const plain = await generate({ id: runId, spec });
    const truncated = await generate({ id: runId, spec: { ...spec, truncation: { psi: 0.3 } } });
    expect(plain.truncation).toBeNull();
    expect(truncated.truncation).toEqual({ psi: 0.3, mode: 'resample' });
    expect(truncated.path).toMatch(new RegExp(`^runs/${runId}/generated/interpolate-40-psi0\\.3-[0-9a-f]{12}\\.png$`));
    const pixels = async (path: string) => (await sharp(join(workbench.dataDir.root, path)).raw().toBuffer()).toString('hex');
    expect(await pixels(truncated.path)).not.toBe(await pixels(plain.path));
    // The same request gives the same file back.
    expect(await generate({ id: runId, spec: { ...spec, truncation: { psi: 0.3 } } })).toEqual(truncated);
  });
});

interface About {
  weights: string;
  latentSize: number;
  output: { shape: (number | null)[] };
  truncation: { psi: number; mode: string } | null;
  example: { count: number; noise: number[] };
}

async function aboutOf(dir: string): Promise<About> {
  return JSON.parse(await readFile(join(dir, 'generator.json'), 'utf8')) as About;
}

/** Runs the exported model on cpu over the example noise and compares with example.png, which tiles the n images ⌈√n⌉ wide without borders. */
async function reproduce(dir: string, about: About): Promise<{ worst: number; mean: number; distinct: number }> {
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(folderHandler(dir));
  const n = about.example.count;
  const images = tf.tidy(() => {
    const out = model.predict(tf.tensor2d(about.example.noise, [n, about.latentSize])) as tf.Tensor4D;
    return out.add(1).mul(127.5).round().clipByValue(0, 255);
  });
  const predicted = images.dataSync();
  images.dispose();
  model.dispose();
  const { data, info } = await sharp(join(dir, 'example.png')).raw().toBuffer({ resolveWithObject: true });
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
  return { worst, mean: total / (n * 784), distinct: new Set(predicted).size };
}
