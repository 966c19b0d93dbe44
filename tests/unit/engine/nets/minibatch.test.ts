/** Minibatch stddev (ProGAN) and minibatch discrimination (Salimans et al. 2016) checked by hand on tiny batches. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { minibatchDiscrimination, minibatchStddev } from '../../../../src-main/engine/nets/minibatch';
import { ParamStore } from '../../../../src-main/engine/nets/params';
import { expectedNormals, normals } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('minibatchStddev', () => {
  it('appends one map holding the mean over features of the std across the batch', () => {
    // Two samples, one pixel, two channels: stds |1−3|/2 = 1 and |2−8|/2 = 3, mean 2.
    const out = tf.tidy(() => Array.from(minibatchStddev(tf.tensor4d([1, 2, 3, 8], [2, 1, 1, 2])).dataSync()));
    expect(out.length).toBe(6);
    expect(out[2]).toBeCloseTo(2, 4);
    expect(out[5]).toBeCloseTo(2, 4);
    expect([out[0], out[1], out[3], out[4]]).toEqual([1, 2, 3, 8]);
  });
});

describe('minibatchDiscrimination', () => {
  it('o_b(x_i) = Σ_{j≠i} exp(−‖M_i,b − M_j,b‖₁) on a hand-sized example', () => {
    const store = new ParamStore(1, 'test');
    const layer = minibatchDiscrimination(store, 'mbd', 1, 1, 1);
    store.trainable.get('mbd/T')?.assign(tf.tensor2d([[1]]));
    const out = tf.tidy(() => Array.from(layer(tf.tensor2d([[0], [1], [3]])).dataSync()));
    const e = Math.exp;
    expect(out[0]).toBeCloseTo(e(-1) + e(-3), 5);
    expect(out[1]).toBeCloseTo(e(-1) + e(-2), 5);
    expect(out[2]).toBeCloseTo(e(-3) + e(-2), 5);
    store.dispose();
  });

  it('measures the distance between kernel rows by L1 over C (C = 2, two kernels), not by L2', () => {
    const store = new ParamStore(1, 'test');
    const layer = minibatchDiscrimination(store, 'mbd', 2, 2, 2);
    // Kernel 0 sees the features as they are, kernel 1 twice as large.
    store.trainable.get('mbd/T')?.assign(tf.tensor2d([[1, 0, 2, 0], [0, 1, 0, 2]]));
    const out = tf.tidy(() => Array.from(layer(tf.tensor2d([[0, 0], [1, 2], [3, 1]])).dataSync()));
    const e = (d: number) => Math.exp(-d);
    // L1 distances: |0−1|+|0−2| = 3, |0−3|+|0−1| = 4, |1−3|+|2−1| = 3 (L2 would give √5, √10, √5).
    const expected = [e(3) + e(4), e(6) + e(8), e(3) + e(3), e(6) + e(6), e(4) + e(3), e(8) + e(6)];
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(out[0]).not.toBeCloseTo(e(Math.sqrt(5)) + e(Math.sqrt(10)), 3);
    store.dispose();
  });

  it('gives [N, B], and identical samples score higher than very distinct ones', () => {
    const store = new ParamStore(2, 'test');
    const layer = minibatchDiscrimination(store, 'mbd', 16, 5, 3);
    const [same, distinct] = tf.tidy(() => {
      const one = normals([1, 16], 3);
      const identical = layer(tf.tile(one, [6, 1]) as tf.Tensor2D);
      const spread = layer(normals([6, 16], 4, 20) as tf.Tensor2D);
      expect(identical.shape).toEqual([6, 5]);
      return [Array.from(identical.dataSync()), Array.from(spread.dataSync())];
    });
    // Identical samples: every other sample is at distance 0, so each o_b = N − 1 exactly.
    same?.forEach((v) => expect(v).toBeCloseTo(5, 5));
    distinct?.forEach((v) => expect(v).toBeLessThan(0.5));
    store.dispose();
  });
  it("T [A, B·C] starts at N(0, 0.05²) from 'name/T''s own draw", () => {
    const store = new ParamStore(6, 'discriminator');
    minibatchDiscrimination(store, 'mbd', 3, 2, 2);
    const t = store.trainable.get('mbd/T');
    expect(t?.shape).toEqual([3, 4]);
    expect(Array.from(t?.dataSync() ?? [])).toEqual(expectedNormals(6, 'discriminator', 'mbd/T', 12, 0.05));
    store.dispose();
  });
});
