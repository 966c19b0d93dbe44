/** The non-saturating GAN losses against values worked out by hand. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { discriminatorLoss, generatorLoss, sigmoidCrossEntropy } from '../../../src-main/engine/losses';

/** -log(sigmoid(x)) and -log(1 - sigmoid(x)), written out directly. */
const bceOne = (x: number): number => -Math.log(1 / (1 + Math.exp(-x)));
const bceZero = (x: number): number => -Math.log(1 - 1 / (1 + Math.exp(-x)));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function value(t: tf.Scalar): number {
  const v = t.dataSync()[0] ?? Number.NaN;
  t.dispose();
  return v;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GAN losses on logits', () => {
  const real = [0, 2, -1];
  const fake = [0.5, -3, 1];

  it('sigmoid cross-entropy matches -log(sigmoid) by hand', () => {
    const logits = tf.tensor1d(real);
    expect(value(sigmoidCrossEntropy(logits, 1))).toBeCloseTo(mean(real.map(bceOne)), 6);
    expect(value(sigmoidCrossEntropy(logits, 0))).toBeCloseTo(mean(real.map(bceZero)), 6);
    // Spot values: log 2 at zero, log(1 + e^-2) at 2.
    expect(bceOne(0)).toBeCloseTo(Math.log(2), 12);
    expect(bceOne(2)).toBeCloseTo(Math.log(1 + Math.exp(-2)), 12);
    logits.dispose();
  });

  it('discriminatorLoss is BCE(real, 1) + BCE(fake, 0), each averaged over its batch', () => {
    const r = tf.tensor2d(real, [3, 1]);
    const f = tf.tensor2d(fake, [3, 1]);
    const expected = mean(real.map(bceOne)) + mean(fake.map(bceZero));
    expect(value(discriminatorLoss(r, f))).toBeCloseTo(expected, 6);
    tf.dispose([r, f]);
  });

  it('generatorLoss is BCE(fake, 1) (non-saturating)', () => {
    const f = tf.tensor2d(fake, [3, 1]);
    expect(value(generatorLoss(f))).toBeCloseTo(mean(fake.map(bceOne)), 6);
    f.dispose();
  });

  it('stays finite and exact for huge logits', () => {
    const r = tf.tensor1d([100, -100]);
    // BCE(100, 1) ~ e^-100 and BCE(-100, 1) ~ 100: the mean is 50.
    expect(value(sigmoidCrossEntropy(r, 1))).toBeCloseTo(50, 4);
    expect(value(sigmoidCrossEntropy(r, 0))).toBeCloseTo(50, 4);
    r.dispose();
  });

  it('has the textbook gradient sigmoid(x) - z', () => {
    const x = tf.tensor1d(real);
    const g = tf.grad((t: tf.Tensor) => sigmoidCrossEntropy(t, 1))(x);
    const expected = real.map((v) => (1 / (1 + Math.exp(-v)) - 1) / real.length);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 6));
    tf.dispose([x, g]);
  });

  it('leaks no tensors', () => {
    const r = tf.tensor1d(real);
    const f = tf.tensor1d(fake);
    const before = tf.memory().numTensors;
    discriminatorLoss(r, f).dispose();
    generatorLoss(f).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([r, f]);
  });
});
