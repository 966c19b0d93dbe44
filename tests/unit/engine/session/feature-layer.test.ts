/** Feature matching's layer: the G step matches the chosen D block's activations (checked by hand), the logits never change with it, and a layer D lacks is refused. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildDiscriminator } from '../../../../src-main/engine/nets';
import { featureMatchingLoss } from '../../../../src-main/engine/objectives/feature-matching';
import { generatorStep } from '../../../../src-main/engine/session/g-step';
import { StepMetrics } from '../../../../src-main/engine/session/metrics';
import { createParts, disposeParts, type SessionParts } from '../../../../src-main/engine/session/parts';
import { mnistData, SIZE, tinyConfig, unlabelledData } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

// No norm in D and no augmentation or noise: D is per sample, so block 1 can be written out by hand.
const fmConfig = (layer: number) =>
  tinyConfig({ model: { dNorm: 'none' }, stabilizers: { featureMatching: { enabled: true, layer, weight: 1, adversarialWeight: 1 } } });

/** The first eight digits in [-1, 1], as the D step hands its reals to the G step. */
function realImages(): tf.Tensor4D {
  const data = mnistData();
  const n = 8;
  const pixels = Float32Array.from(data.images.subarray(0, n * SIZE * SIZE), (v) => v / 127.5 - 1);
  return tf.tensor4d(pixels, [n, SIZE, SIZE, 1]);
}

/** DCGAN's D blocks from its variables: conv 4×4 stride 2 'same' + bias, LeakyReLU 0.2 (dNorm none), each flattened. */
function blocksByHand(p: SessionParts, x: tf.Tensor4D): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  let h = x;
  for (const i of [1, 2]) {
    const kernel = p.d.trainable.get(`block${i}/conv/kernel`) as tf.Tensor4D;
    const bias = p.d.trainable.get(`block${i}/conv/bias`)!;
    h = tf.leakyRelu(tf.add(tf.conv2d(h, kernel, 2, 'same'), bias), 0.2);
    out.push(tf.reshape(h, [x.shape[0], -1]));
  }
  return out;
}

/** The `fm` metric of the first G step of fresh parts for this config, with `real` as the critic step's reals. */
async function firstStepFm(layer: number, real: tf.Tensor4D): Promise<number> {
  const p = createParts(fmConfig(layer), unlabelledData());
  const metrics = new StepMetrics();
  await generatorStep(p, 0, metrics, { images: real, labels: null });
  const m = await metrics.read();
  disposeParts(p);
  return m['fm']!;
}

describe('feature matching’s layer', () => {
  it('layer 1 matches block 1’s activations of reals and fakes, as computed by hand; layer 0 the last block’s', async () => {
    const real = realImages();
    const replay = createParts(fmConfig(1), unlabelledData());
    const n = replay.config.batchSize;
    // The G step's first draw is z from the noise stream; G in training mode, as in the step.
    const z = replay.rng.noise.normals(n * replay.config.latentSize);
    const [onBlock1, onBlock2] = tf.tidy(() => {
      const fake = replay.g.apply(tf.tensor2d(z, [n, replay.config.latentSize]), null, true);
      const [r1, r2] = blocksByHand(replay, real);
      const [f1, f2] = blocksByHand(replay, fake);
      return [featureMatchingLoss(r1!, f1!).dataSync()[0]!, featureMatchingLoss(r2!, f2!).dataSync()[0]!];
    });
    disposeParts(replay);

    const layer1 = await firstStepFm(1, real);
    const layer0 = await firstStepFm(0, real);
    expect(Math.abs(layer1 - onBlock1) / onBlock1).toBeLessThanOrEqual(1e-5);
    // On DCGAN the last hidden features are the last block's output flattened.
    expect(Math.abs(layer0 - onBlock2) / onBlock2).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(onBlock1 - onBlock2) / onBlock2).toBeGreaterThan(1e-3);
    real.dispose();
  });

  it('layer 0 reads the last hidden features, and the logits are the same whichever layer is chosen', () => {
    const real = realImages();
    const shape = { size: SIZE, channels: 1 as const, numClasses: 0, latentSize: 8, seed: 3 };
    const model = fmConfig(0).model;
    const [d0, d1, d2] = [0, 1, 2].map((layer) => buildDiscriminator(model, shape, layer));
    const out = [d0!, d1!, d2!].map((d) => tf.tidy(() => {
      const o = d.apply(real, null, true);
      return { logits: Array.from(o.logits.dataSync()), features: o.features.shape };
    }));
    expect(out[1]!.logits).toEqual(out[0]!.logits);
    expect(out[2]!.logits).toEqual(out[0]!.logits);
    // dWidth 4 at 28×28: block 1 is 14×14×4, block 2 (the last) 7×7×8, which layer 0 also reads on DCGAN.
    expect(out.map((o) => o.features)).toEqual([[8, 392], [8, 784], [8, 392]]);
    [d0, d1, d2].forEach((d) => d!.dispose());
    real.dispose();
  });

  it('the projection head and minibatch discrimination keep reading the last features whichever layer is chosen', () => {
    const real = realImages();
    const shape = { size: SIZE, channels: 1 as const, numClasses: 10, latentSize: 8, seed: 3 };
    const model = tinyConfig({
      model: { arch: 'resnet', dNorm: 'spectral', dConditioning: 'projection', gConditioning: 'embedding', minibatchDiscrimination: { enabled: true } },
    }).model;
    const labels = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
    const [d0, d2] = [0, 2].map((layer) => buildDiscriminator(model, shape, layer));
    const logits = [d0!, d2!].map((d) => tf.tidy(() => Array.from(d.apply(real, labels, true).logits.dataSync())));
    expect(logits[1]).toEqual(logits[0]);
    [d0, d2].forEach((d) => d!.dispose());
    tf.dispose([labels, real]);
  });

  it('ResNet’s layer k is block k’s residual sum flattened; its layer 0 stays the pooled features', () => {
    const real = realImages();
    const shape = { size: SIZE, channels: 1 as const, numClasses: 0, latentSize: 8, seed: 3 };
    const model = tinyConfig({ model: { arch: 'resnet', dNorm: 'none' } }).model;
    const [d0, d1] = [0, 1].map((layer) => buildDiscriminator(model, shape, layer));
    const shapes = [d0!, d1!].map((d) => tf.tidy(() => d.apply(real, null, true).features.shape));
    expect(shapes).toEqual([[8, 8], [8, 14 * 14 * 4]]);
    [d0, d1].forEach((d) => d!.dispose());
    real.dispose();
  });

  it('a layer beyond D’s blocks at the image size is refused, naming the field and the maximum', () => {
    const shape = { size: SIZE, channels: 1 as const, numClasses: 0, latentSize: 8, seed: 3 };
    expect(() => buildDiscriminator(fmConfig(0).model, shape, 3)).toThrow(/config\.stabilizers\.featureMatching\.layer is 3.*the maximum is 2/);
    expect(() => createParts(fmConfig(3), unlabelledData())).toThrow(/featureMatching\.layer.*maximum is 2/);
    expect(() => buildDiscriminator(fmConfig(0).model, shape, -1)).toThrow(/featureMatching\.layer is -1/);
    // Off, the layer is not read, so it is not refused.
    const off = tinyConfig({ stabilizers: { featureMatching: { enabled: false, layer: 3 } } });
    disposeParts(createParts(off, unlabelledData()));
  });

  it('the config refuses a layer above an explicit model.depth before any dataset is known', () => {
    expect(() => tinyConfig({ model: { depth: 2 }, stabilizers: { featureMatching: { enabled: true, layer: 3 } } })).toThrow(/stabilizers\.featureMatching\.layer must be at most 2/);
    expect(tinyConfig({ model: { depth: 2 }, stabilizers: { featureMatching: { enabled: true, layer: 2 } } }).stabilizers.featureMatching.layer).toBe(2);
  });
});
