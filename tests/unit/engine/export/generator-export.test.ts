/** Exported Generators reload with plain tf.loadLayersModel from model.json + weights.bin and reproduce the net's inference output. */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultTrainingConfig } from '../../../../src-main/common/training-config';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { exportGenerator } from '../../../../src-main/engine/export';
import { saveArtifacts } from '../../../../src-main/utility/save-artifacts';
import { buildGenerator, type NetShape } from '../../../../src-main/engine/nets';

type Model = ReturnType<typeof defaultTrainingConfig>['model'];

let root = '';
beforeAll(async () => {
  await resolveBackend('wasm');
  root = await mkdtemp(path.join(tmpdir(), 'gwb-export-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Reads the folder with node:fs only, as any consumer without tfjs-node would. */
function folderHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const group = manifest[0];
        if (group === undefined) throw new Error('empty weights manifest');
        const parts = await Promise.all(group.paths.map((p) => readFile(path.join(dir, p))));
        const bytes = Buffer.concat(parts);
        return [group.weights, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)];
      });
    },
  };
}

/** A few training-mode passes first, so moving statistics and spectral-norm u vectors are no longer their initial values. */
function warmUp(gen: ReturnType<typeof buildGenerator>, shape: NetShape, labels: () => tf.Tensor1D | null): void {
  for (let i = 0; i < 3; i++) tf.tidy(() => gen.apply(tf.randomNormal([6, shape.latentSize], 0, 1, 'float32', i), labels(), true));
  // Move the weights off their init too, so any mix-up of two same-shaped weights shows.
  for (const v of gen.trainable.values()) tf.tidy(() => v.assign(tf.add(v, tf.mul(tf.randomNormal(v.shape, 0, 1, 'float32', 7), 0.05))));
}

const CASES: { label: string; patch: Partial<Model>; size: number; channels: 1 | 3; numClasses: number }[] = [
  { label: 'dcgan, batch norm', patch: { arch: 'dcgan', gNorm: 'batch' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, spectral norm, 28×28', patch: { arch: 'dcgan', gNorm: 'spectral' }, size: 28, channels: 1, numClasses: 0 },
  { label: 'dcgan, no norm after the projection, 28×28', patch: { arch: 'dcgan', gNorm: 'batch', gProjectionNorm: false }, size: 28, channels: 1, numClasses: 0 },
  { label: 'resnet, batch norm', patch: { arch: 'resnet', gNorm: 'batch' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'resnet, spectral norm', patch: { arch: 'resnet', gNorm: 'spectral' }, size: 16, channels: 1, numClasses: 0 },
  { label: 'dcgan, layer norm', patch: { arch: 'dcgan', gNorm: 'layer' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, equalized learning rate (ProGAN)', patch: { arch: 'dcgan', gNorm: 'batch', equalizedLr: true }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, pixel norm (ProGAN)', patch: { arch: 'dcgan', gNorm: 'none', pixelNorm: true, equalizedLr: true }, size: 16, channels: 3, numClasses: 0 },
  { label: 'resnet, instance norm', patch: { arch: 'resnet', gNorm: 'instance' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, conditional BN (two inputs)', patch: { arch: 'dcgan', gNorm: 'batch', gConditioning: 'cbn' }, size: 16, channels: 3, numClasses: 4 },
  { label: 'resnet, spectral + conditional BN', patch: { arch: 'resnet', gNorm: 'spectral', gConditioning: 'cbn' }, size: 16, channels: 1, numClasses: 3 },
  { label: 'resnet, class embedding + layer norm', patch: { arch: 'resnet', gNorm: 'layer', gConditioning: 'embedding' }, size: 16, channels: 3, numClasses: 5 },
];

describe('exportGenerator + saveArtifacts', () => {
  for (const c of CASES) {
    it(`${c.label}: model.predict equals gen.apply(…, false) within 1e-4`, async () => {
      const model: Model = { ...defaultTrainingConfig().model, gWidth: 8, ...c.patch };
      const shape: NetShape = { size: c.size, channels: c.channels, numClasses: c.numClasses, latentSize: 6, seed: 3 };
      const conditional = model.gConditioning !== 'none';
      const labelValues = [0, 1, 2, 1, 0, 2].map((v) => v % Math.max(c.numClasses, 1));
      const labels = (): tf.Tensor1D | null => (conditional ? tf.tensor1d(labelValues, 'int32') : null);
      const gen = buildGenerator(model, shape);
      try {
        warmUp(gen, shape, labels);
        const exported = await exportGenerator(gen, { model, shape });
        expect(exported.inputs.map((i) => i.name)).toEqual(conditional ? ['z', 'label'] : ['z']);
        const dir = path.join(root, c.label.replace(/[^a-z0-9]+/gi, '-'));
        await saveArtifacts(exported.artifacts, dir);
        expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);

        const loaded = await tf.loadLayersModel(folderHandler(dir));
        const z = tf.randomNormal([6, shape.latentSize], 0, 1, 'float32', 11) as tf.Tensor2D;
        const l = labels();
        const expected = gen.apply(z, l, false);
        const inputs = l === null ? z : [z, tf.reshape(tf.cast(l, 'float32'), [6, 1])];
        const actual = loaded.predict(inputs) as tf.Tensor;
        expect(actual.shape).toEqual([6, c.size, c.size, c.channels]);
        const diff = tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] ?? Number.NaN;
        expect(diff).toBeLessThan(1e-4);
        // A constant image would pass trivially.
        expect(tf.moments(expected).variance.dataSync()[0]).toBeGreaterThan(1e-4);
        tf.dispose([z, expected, actual, ...(l === null ? [] : [l]), ...(Array.isArray(inputs) ? inputs.slice(1) : [])]);
        loaded.dispose();
      } finally {
        gen.dispose();
      }
    });
  }

  it('frees every tensor it makes (the Generator keeps its own)', async () => {
    const model: Model = { ...defaultTrainingConfig().model, arch: 'resnet', gNorm: 'spectral', gWidth: 8 };
    const shape: NetShape = { size: 16, channels: 3, numClasses: 0, latentSize: 6, seed: 1 };
    const gen = buildGenerator(model, shape);
    const before = tf.memory().numTensors;
    await exportGenerator(gen, { model, shape });
    expect(tf.memory().numTensors).toBe(before);
    gen.dispose();
  });
});
