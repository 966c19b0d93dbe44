/** ProGAN's layers: pixel norm by hand, and the equalized learning rate's N(0, 1) kernels scaled by √(2 / fan-in) at every use and in export. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { conv, dense, equalizedScale, inferenceKernel } from '../../../../src-main/engine/nets/layers';
import { ParamStore } from '../../../../src-main/engine/nets/params';
import { PIXEL_NORM_EPS, pixelNorm } from '../../../../src-main/engine/nets/pixel-norm';
import { buildGenerator } from '../../../../src-main/engine/nets';
import { tinyModel, tinyShape } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('pixel norm', () => {
  it('divides each pixel’s feature vector by the root of its mean square', () => {
    // One pixel [3, 4]: mean square 12.5; one pixel [0, 0] stays 0.
    const x = tf.tensor4d([3, 4, 0, 0], [1, 1, 2, 2]);
    const y = Array.from(pixelNorm(x).dataSync());
    const r = Math.sqrt(12.5 + PIXEL_NORM_EPS);
    expect(y[0]).toBeCloseTo(3 / r, 6);
    expect(y[1]).toBeCloseTo(4 / r, 6);
    expect(y.slice(2)).toEqual([0, 0]);
    x.dispose();
  });

  it('is applied in G after every hidden layer: with it on, G’s output changes', () => {
    const z = tf.randomNormal([2, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
    const plain = buildGenerator(tinyModel(), tinyShape());
    const normed = buildGenerator(tinyModel({ pixelNorm: true }), tinyShape());
    const a = plain.apply(z, null, false);
    const b = normed.apply(z, null, false);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([z, a, b]);
    plain.dispose();
    normed.dispose();
  });
});

describe('equalized learning rate', () => {
  it('keeps the kernel at N(0, 1) and uses c·W with He’s constant c = √(2 / fan-in), in training and in export', () => {
    const store = new ParamStore(3, 'test');
    const layer = conv(store, 'c', 3, 4, 16, 1, { spectral: false, bias: false, std: 0.02, equalized: true });
    const kernel = store.trainable.get('c/kernel')!;
    const { mean, variance } = tf.moments(kernel);
    expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.1);
    expect(Math.sqrt(variance.dataSync()[0]!)).toBeGreaterThan(0.9);
    const c = equalizedScale(3 * 3 * 4);
    expect(c).toBeCloseTo(Math.sqrt(2 / 36), 12);
    const x = tf.randomNormal([1, 5, 5, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const y = layer(x, true);
    const byHand = tf.conv2d(x, tf.mul(kernel, c) as tf.Tensor4D, 1, 'same');
    expect(tf.max(tf.abs(tf.sub(y, byHand))).dataSync()[0]).toBeLessThan(1e-5);
    const baked = inferenceKernel(store, 'c', 'conv');
    expect(tf.max(tf.abs(tf.sub(baked, tf.mul(kernel, c)))).dataSync()[0]).toBeLessThan(1e-7);
    const d = dense(store, 'd', 10, 3, { spectral: false, bias: true, std: 0.02, equalized: true });
    expect(store.state.get('d/scale')!.dataSync()[0]).toBeCloseTo(Math.sqrt(2 / 10), 6);
    tf.dispose([mean, variance, x, y, byHand, baked]);
    void d;
    store.dispose();
  });
});
