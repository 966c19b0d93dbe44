/** Feature matching: ‖mean f(x) − mean f(G(z))‖², zero for identical batches, a hand value otherwise. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { featureMatchingLoss } from '../../../../src-main/engine/objectives/feature-matching';

function num(t: tf.Scalar): number {
  const v = t.dataSync()[0] ?? Number.NaN;
  t.dispose();
  return v;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('featureMatchingLoss', () => {
  it('is exactly 0 for identical batches', () => {
    const a = tf.tensor2d([[1, -2, 3], [0.5, 4, -1]]);
    const b = tf.tensor2d([[1, -2, 3], [0.5, 4, -1]]);
    expect(num(featureMatchingLoss(a, b))).toBe(0);
    tf.dispose([a, b]);
  });

  it('is the squared L2 norm (sum over features) of the difference of batch means', () => {
    // Real means: [1, 2]; fake means over 3 rows: [0, 5]. Σ (1 − 0)² + (2 − 5)² = 10.
    const real = tf.tensor2d([[0, 1], [2, 3]]);
    const fake = tf.tensor2d([[1, 4], [-1, 5], [0, 6]]);
    expect(num(featureMatchingLoss(real, fake))).toBeCloseTo(10, 5);
    tf.dispose([real, fake]);
  });

  it('only the batch means matter: a permuted or differently-spread batch with the same mean costs 0', () => {
    const real = tf.tensor2d([[0, 4], [2, 0]]);
    const fake = tf.tensor2d([[1, 2], [1, 2]]);
    expect(num(featureMatchingLoss(real, fake))).toBeCloseTo(0, 6);
    tf.dispose([real, fake]);
  });

  it('has gradient −2(μ_real − μ_fake)/M per fake row', () => {
    const real = tf.tensor2d([[0, 1], [2, 3]]);
    const fake = tf.tensor2d([[1, 4], [-1, 5], [0, 6]]);
    const g = tf.grad((f: tf.Tensor) => featureMatchingLoss(real, f as tf.Tensor2D))(fake);
    const row = [(-2 * (1 - 0)) / 3, (-2 * (2 - 5)) / 3];
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(row[i % 2] ?? Number.NaN, 6));
    tf.dispose([real, fake, g]);
  });

  it('rejects mismatched feature widths and leaks nothing', () => {
    const a = tf.tensor2d([[1, 2]]);
    const b = tf.tensor2d([[1, 2, 3]]);
    expect(() => featureMatchingLoss(a, b)).toThrow(/equal F/);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) featureMatchingLoss(a, a).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
