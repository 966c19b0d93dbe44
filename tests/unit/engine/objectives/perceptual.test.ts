/** The perceptual loss by hand on a tiny extractor with set weights; its gradient on wasm equals cpu's, through the real classifier's network, with and without the bilinear reduction; the extractor is frozen and leaks nothing. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildDomainClassifier } from '../../../../src-main/engine/evaluators/feature-nets/domain-classifier';
import { convFeatureExtractor, frozenClassifierExtractor, perceptualLoss, type FrozenClassifier } from '../../../../src-main/engine/objectives/perceptual';
import { Rng } from '../../../../src-main/common/rng';

beforeAll(async () => {
  await resolveBackend('wasm');
});
afterAll(async () => {
  await resolveBackend('wasm');
});

/** conv 1×1 (kernel 2, no bias, ReLU) → conv 1×1 (kernel −1, bias 0.5, ReLU), on `side` × `side` grey images. */
function tinyExtractor(side: number) {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [side, side, 1], filters: 1, kernelSize: 1, activation: 'relu', useBias: false }),
      tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'relu' }),
    ],
  });
  model.setWeights([tf.tensor4d([2], [1, 1, 1, 1]), tf.tensor4d([-1], [1, 1, 1, 1]), tf.tensor1d([0.5])]);
  return convFeatureExtractor(model);
}

const value = async (t: tf.Tensor) => {
  const v = (await t.data())[0]!;
  t.dispose();
  return v;
};

describe('perceptualLoss', () => {
  it('is the mean over layers of the mean |φ_l(output) − φ_l(target)|, by hand', async () => {
    const e = tinyExtractor(2);
    const output = tf.tensor4d([0.5, -0.5, 0.2, 0], [1, 2, 2, 1]);
    const target = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    // Layer 1: relu(2o) = [1, 0, 0.4, 0] against 0 → 0.35. Layer 2: relu(0.5 − h1) = [0, 0.5, 0.1, 0.5] against 0.5 → 0.225.
    expect(await value(perceptualLoss(e, output, target))).toBeCloseTo((0.35 + 0.225) / 2, 6);
    expect(await value(perceptualLoss(e, target, target))).toBe(0);
    // At o = 0.5 only layer 1 passes a gradient (layer 2's ReLU is off): ½ · ¼ · 2 = 0.25; at o = 0.2 both: ½ · ¼ · 2 + ½ · ¼ · (−1)(−1) · 2 = 0.5; o ≤ 0 none.
    const grad = tf.grad((x: tf.Tensor) => perceptualLoss(e, x as tf.Tensor4D, target))(output);
    expect(Array.from(await grad.data()).map((v) => Number(v.toFixed(6)))).toEqual([0.25, 0, 0.5, 0]);
    tf.dispose([output, target, grad]);
    e.dispose();
  });

  it('brings larger images down to its side by bilinear averaging (half-pixel centres), as the classifier sees them', async () => {
    const e = tinyExtractor(2);
    // Each 2 × 2 block of the 4 × 4 image averages to the hand example's pixel.
    const blocks = [0.5, -0.5, 0.2, 0];
    const jitter = [0.1, -0.1, -0.1, 0.1];
    const pixels = new Float32Array(16);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) pixels[y * 4 + x] = blocks[(y >> 1) * 2 + (x >> 1)]! + jitter[(y % 2) * 2 + (x % 2)]!;
    const output = tf.tensor4d(pixels, [1, 4, 4, 1]);
    const target = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(await value(perceptualLoss(e, output, target))).toBeCloseTo(0.2875, 6);
    expect(() => perceptualLoss(e, tf.zeros([1, 1, 1, 1]) as tf.Tensor4D, tf.zeros([1, 1, 1, 1]) as tf.Tensor4D)).toThrow(/takes 2 × 2/);
    expect(() => perceptualLoss(e, output, tf.zeros([1, 2, 2, 1]) as tf.Tensor4D)).toThrow(/one shape/);
    tf.dispose([output, target]);
    e.dispose();
  });

  it.each([28, 64])('has the same gradient w.r.t. the output on wasm as on cpu, through the classifier network (side %i)', async (size) => {
    const shape = { size, channels: 1 as const, classes: 10 };
    const model = buildDomainClassifier(shape, 5);
    const frozen: FrozenClassifier = { shape, weights: model.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() as Float32Array })) };
    model.dispose();
    const rng = new Rng(9, 0);
    const n = 2 * size * size;
    const out = Float32Array.from({ length: n }, () => rng.nextFloat() * 2 - 1);
    const tgt = Float32Array.from({ length: n }, () => rng.nextFloat() * 2 - 1);
    const on = async (backend: string) => {
      await resolveBackend(backend);
      const e = frozenClassifierExtractor(frozen);
      const [output, target] = [tf.tensor4d(out, [2, size, size, 1]), tf.tensor4d(tgt, [2, size, size, 1])];
      const { value: loss, grad } = tf.valueAndGrad((x: tf.Tensor) => perceptualLoss(e, x as tf.Tensor4D, target))(output);
      const result = { loss: (await loss.data())[0]!, grad: (await grad.data()) as Float32Array };
      tf.dispose([output, target, loss, grad]);
      e.dispose();
      return result;
    };
    const cpu = await on('cpu');
    const wasm = await on('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
    expect(cpu.grad.some((g) => g !== 0)).toBe(true);
    let worst = 0;
    for (let i = 0; i < cpu.grad.length; i++) worst = Math.max(worst, Math.abs(wasm.grad[i]! - cpu.grad[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('rebuilds the frozen classifier with its weights, marks it untrainable, and frees every tensor on dispose', () => {
    const shape = { size: 28, channels: 1 as const, classes: 3 };
    const model = buildDomainClassifier(shape, 1);
    const frozen: FrozenClassifier = { shape, weights: model.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() as Float32Array })) };
    model.dispose();
    const before = tf.memory().numTensors;
    const e = frozenClassifierExtractor(frozen);
    expect(e.side).toBe(28);
    expect(e.weights.map((w) => w.trainable)).toEqual(e.weights.map(() => false));
    expect(e.weights[0]?.dataSync()).toEqual(frozen.weights[0]?.values);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => frozenClassifierExtractor({ ...frozen, weights: frozen.weights.slice(1) })).toThrow(/do not fit/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
