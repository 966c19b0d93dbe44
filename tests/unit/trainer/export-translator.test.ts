/**
 * Export of translation runs through the workbench and a trainer process: the tfjs folder, generator.onnx and
 * generator.html of a paired run (and the B → A translator beside them for an unpaired run), generator.json
 * saying what the input channels are, the example picture, the README; the synthetic-dataset format refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import sharp from 'sharp';
import type { Dataset } from '../../../src-main/common/domain';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { folderHandler } from '../../fixtures/tfjs-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

interface Translator {
  direction: 'ab' | 'ba';
  folder?: string;
  file?: string;
  input: { shape: (number | string | null)[]; channels: string[]; description: string };
  example: { file: string; count: number };
}
interface About {
  format: string;
  weights: string;
  translators: Translator[];
}

const aboutOf = async (dir: string): Promise<About> => JSON.parse(await readFile(join(dir, 'generator.json'), 'utf8')) as About;

describe('translator export', () => {
  const { workbench } = makeWorkbench();
  let dataset: Dataset;
  let paired: string;
  let unpaired: string;

  beforeAll(async () => {
    const folder = tempDir('mnist-translate-export');
    await writeMnistFolder(folder, 2);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
    const datasetB = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
    const base = { evaluation: { everyCheckpoints: 0 }, stabilizers: { ema: { enabled: true, halfLifeImages: 8, rampup: 0 } } };
    const p = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(5, { ...base, model: { gWidth: 8, dWidth: 8, gNorm: 'batch' }, task: { kind: 'paired', source: 'inpaint' } }), start: true });
    const u = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(5, { ...base, task: { kind: 'unpaired', datasetB: datasetB.id } }), start: true });
    expect((await workbench.host.whenSettled(p.id)).status).toBe('completed');
    expect((await workbench.host.whenSettled(u.id)).status).toBe('completed');
    paired = p.id;
    unpaired = u.id;
  }, 180_000);
  afterAll(() => workbench.close());

  it('tfjs: the folder loads with tf.loadLayersModel, generator.json names the channels (image, then the mask), the example shows input | output', async () => {
    const exported = await workbench.exporter.export(paired);
    const dir = exported.absolutePath;
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'config.json', 'example.png', 'generator.json', 'model.json', 'weights.bin']);
    const about = await aboutOf(dir);
    expect(about.format).toBe('gan-workbench/translator-export');
    expect(about.weights).toBe('EMA of the translator');
    const [t] = about.translators;
    expect(t).toMatchObject({ direction: 'ab', folder: '.', input: { shape: [null, 28, 28, 2], channels: ['grey', 'mask'] } });
    expect(t!.input.description).toContain('1 inside the hole');
    await tf.setBackend('cpu');
    const model = await tf.loadLayersModel(folderHandler(dir));
    const out = tf.tidy(() => model.predict(tf.zeros([2, 28, 28, 2])) as tf.Tensor);
    expect(out.shape).toEqual([2, 28, 28, 1]);
    out.dispose();
    model.dispose();
    const meta = await sharp(join(dir, 'example.png')).metadata();
    // Two columns (input | output) of 28-pixel cells and a row per example, with the grid's borders.
    expect(meta.width).toBeGreaterThan(2 * 28);
    expect(meta.width).toBeLessThan(3 * 28);
    expect(meta.height).toBeGreaterThan(t!.example.count * 28);
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('# Translator of run');
    expect(readme).toContain('tf.loadLayersModel');
    expect(workbench.store.events.list(paired).map((e) => e.message)).toContain(`translator of step 5 exported to ${exported.path}`);
  });

  it('onnx and html: generator.onnx runs in onnxruntime-web with an NCHW input, the page holds the model and the translator script', async () => {
    ort.env.wasm.numThreads = 1;
    const onnxDir = (await workbench.exporter.export(paired, undefined, 'onnx')).absolutePath;
    const about = await aboutOf(onnxDir);
    expect(about.translators[0]).toMatchObject({ file: 'generator.onnx', input: { shape: ['N', 2, 28, 28], channels: ['grey', 'mask'] } });
    const session = await ort.InferenceSession.create(await readFile(join(onnxDir, 'generator.onnx')), { executionProviders: ['wasm'] });
    const { image } = await session.run({ input: new ort.Tensor('float32', new Float32Array(2 * 2 * 28 * 28), [2, 2, 28, 28]) });
    await session.release();
    expect(image!.dims).toEqual([2, 1, 28, 28]);

    const htmlDir = (await workbench.exporter.export(paired, undefined, 'html')).absolutePath;
    expect((await readdir(htmlDir)).sort()).toEqual(['README.md', 'config.json', 'example.png', 'generator.html', 'generator.json']);
    const page = await readFile(join(htmlDir, 'generator.html'), 'utf8');
    expect(page).toContain('id="translator-data"');
    expect(page).toContain('"prepare":{"kind":"inpaint"}');
    expect(page).toContain('"modelTopology"');
    expect(page).toContain('id="drop"');
    expect(await readFile(join(htmlDir, 'README.md'), 'utf8')).toContain('Drop an image on the page');
  });

  it('an unpaired run exports B → A beside A → B; the synthetic-dataset format and ψ are refused for translation runs', async () => {
    const tfjsDir = (await workbench.exporter.export(unpaired)).absolutePath;
    expect((await readdir(tfjsDir)).sort()).toEqual(['README.md', 'config.json', 'example-ba.png', 'example.png', 'generator.json', 'model.json', 'translator-ba', 'weights.bin']);
    expect((await readdir(join(tfjsDir, 'translator-ba'))).sort()).toEqual(['model.json', 'weights.bin']);
    expect((await aboutOf(tfjsDir)).translators.map((t) => [t.direction, t.folder])).toEqual([
      ['ab', '.'],
      ['ba', 'translator-ba'],
    ]);
    const onnxDir = (await workbench.exporter.export(unpaired, undefined, 'onnx')).absolutePath;
    expect((await readdir(onnxDir)).filter((f) => f.endsWith('.onnx')).sort()).toEqual(['generator-ba.onnx', 'generator.onnx']);

    await expect(workbench.exporter.export(paired, undefined, 'dataset')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      details: { issues: [{ path: 'format' }] },
    });
    await expect(workbench.exporter.export(paired, undefined, 'dataset')).rejects.toThrow(/no synthetic-dataset export/);
    await expect(workbench.exporter.export(unpaired, undefined, 'tfjs', { truncation: { psi: 0.5, mode: 'resample' } })).rejects.toThrow(/ψ-truncation does not apply/);
  });
});
