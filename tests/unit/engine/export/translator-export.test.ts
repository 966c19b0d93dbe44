/**
 * Exported translators (U-Nets) reload with plain tf.loadLayersModel from model.json + weights.bin, and
 * run as ONNX in onnxruntime-web, giving what the TranslationSession's translate() gives on the same
 * inputs: batch norm on its moving statistics, instance norm, spectral norm divided in, EMA weights.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { TrainingData } from '../../../../src-main/engine/batch-sampler';
import { translatorToOnnx } from '../../../../src-main/engine/export';
import { firstImages } from '../../../../src-main/engine/run-session';
import { TranslationSession, type TranslationData } from '../../../../src-main/engine/translate/translation-session';
import { saveArtifacts } from '../../../../src-main/utility/save-artifacts';
import { folderHandler } from '../../../fixtures/tfjs-folder';
import { pairedConfig, translationData, unpairedConfig } from '../translate/helpers';

let root = '';
beforeAll(async () => {
  await resolveBackend('wasm');
  ort.env.wasm.numThreads = 1;
  root = await mkdtemp(path.join(tmpdir(), 'gwb-translator-export-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** 16 × 16 RGB noise images: a size deep enough (3 halvings) that the encoder has a norm between its outer and innermost layers, and colour for colorization. */
function colourData(): TranslationData {
  const count = 24;
  const images = Uint8Array.from({ length: count * 16 * 16 * 3 }, (_, i) => (i * 7919 + ((i * i) % 251)) % 256);
  const a: TrainingData = { images, count, size: 16, channels: 3, numClasses: 0 };
  return { a, b: null, validationA: firstImages(a, 8), validationB: null, heldOut: false };
}

const EMA = { stabilizers: { ema: { enabled: true, halfLifeImages: 4, rampup: 0 } } };

const CASES: { label: string; config: () => TrainingConfig; data?: () => TranslationData; direction: 'ab' | 'ba' }[] = [
  { label: 'paired inpainting, batch norm, EMA', config: () => pairedConfig({ source: 'inpaint' }, { model: { gNorm: 'batch' }, ...EMA }), direction: 'ab' },
  { label: 'paired super-resolution, spectral norm', config: () => pairedConfig({ source: 'superres' }, { model: { gNorm: 'spectral', dNorm: 'spectral' } }), direction: 'ab' },
  {
    label: 'paired colorization, 16×16 RGB, depth 3, batch norm in the encoder, EMA',
    config: () => pairedConfig({ source: 'colorize' }, { model: { gNorm: 'batch' }, ...EMA }),
    data: colourData,
    direction: 'ab',
  },
  { label: 'unpaired, instance norm, B → A', config: () => unpairedConfig({}, { model: { gNorm: 'instance', dNorm: 'instance' } }), direction: 'ba' },
];

/** NHWC → NCHW. */
function toNchw(data: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k]!;
  return out;
}

const worst = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('exportTranslator: tfjs LayersModel and ONNX', () => {
  for (const c of CASES) {
    it(`${c.label}: the reloaded LayersModel and the ONNX graph give translate()'s output within 1e-4`, async () => {
      const config = c.config();
      const s = new TranslationSession({ config, data: c.data?.() ?? translationData(config) });
      try {
        // Weights well off pix2pix's N(0, 0.02²) init, so outputs vary and a mix-up of two weights shows; the steps then move the BN statistics and the EMA.
        for (const g of [s.translatorAB]) for (const v of g.trainable.values()) tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', 7))));
        for (let i = 0; i < 3; i++) await s.step();
        const { images, count, channels } = s.exampleInputs(6, c.direction);
        const size = Math.round(Math.sqrt(images.length / count / channels));
        const expected = await s.translate(images, count, c.direction);
        const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
        // A constant output would pass trivially.
        expect(expected.reduce((a, b) => a + (b - mean) ** 2, 0) / expected.length).toBeGreaterThan(1e-5);

        const exported = await s.exportTranslator(c.direction);
        expect(exported.input).toEqual({ name: 'input', shape: [size, size, channels] });
        const dir = path.join(root, c.label.replace(/\W+/g, '-'));
        await saveArtifacts(exported.artifacts, dir);
        const model = await tf.loadLayersModel(folderHandler(dir));
        const out = tf.tidy(() => model.predict(tf.tensor4d(images, [count, size, size, channels])) as tf.Tensor);
        const actual = out.dataSync() as Float32Array;
        const outChannels = out.shape[3]!;
        out.dispose();
        model.dispose();
        const tfjsWorst = worst(actual, expected);

        const onnx = translatorToOnnx(exported, { inputDescription: 'test input', outputDescription: 'test output', doc: 'test', producerVersion: 'test', metadata: {} });
        expect(onnx.input.shape).toEqual(['N', channels, size, size]);
        expect(onnx.output.shape).toEqual(['N', outChannels, size, size]);
        const session = await ort.InferenceSession.create(onnx.bytes, { executionProviders: ['wasm'] });
        expect([session.inputNames, session.outputNames]).toEqual([['input'], ['image']]);
        const { image } = await session.run({ input: new ort.Tensor('float32', toNchw(images, count, size, size, channels), [count, channels, size, size]) });
        await session.release();
        const onnxWorst = worst(image!.data as Float32Array, toNchw(expected, count, size, size, outChannels));
        console.log(`${c.label}: max |Δ| tfjs ${tfjsWorst.toExponential(2)}, onnx ${onnxWorst.toExponential(2)}`);
        expect(tfjsWorst).toBeLessThanOrEqual(1e-4);
        expect(onnxWorst).toBeLessThanOrEqual(1e-4);

        if (config.stabilizers.ema.enabled && c.direction === 'ab') {
          // The export holds the EMA weights, not the live ones (which give another image).
          const raw = tf.tidy(() => s.translatorAB.apply(tf.tensor4d(images, [count, size, size, channels]), false));
          expect(worst(raw.dataSync() as Float32Array, expected)).toBeGreaterThan(1e-3);
          raw.dispose();
        }
      } finally {
        s.dispose();
      }
    });
  }

  it('frees every tensor it makes', async () => {
    const config = pairedConfig({ source: 'inpaint' }, { model: { gNorm: 'batch' }, ...EMA });
    const s = new TranslationSession({ config, data: translationData(config) });
    try {
      await s.step();
      await s.exportTranslator();
      const before = tf.memory().numTensors;
      await s.exportTranslator();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      s.dispose();
    }
  });
});
