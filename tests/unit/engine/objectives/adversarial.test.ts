/** Every adversarial loss, D and G side, against values worked out by hand with Math.log/Math.exp. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { LossType } from '../../../../src-main/common/loss-families';
import { bceWithLogits, discriminatorLoss, generatorLoss } from '../../../../src-main/engine/objectives/adversarial';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** BCE(σ(x), z) straight from the definition. */
const bce = (x: number, z: number): number => -(z * Math.log(sigmoid(x)) + (1 - z) * Math.log(1 - sigmoid(x)));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const relu = (x: number): number => Math.max(0, x);

const REAL = [0, 2, -1];
const FAKE = [0.5, -3];

function value(t: tf.Scalar): number {
  const v = t.dataSync()[0] ?? Number.NaN;
  t.dispose();
  return v;
}

function withLogits<T>(fn: (real: tf.Tensor1D, fake: tf.Tensor1D) => T): T {
  const real = tf.tensor1d(REAL);
  const fake = tf.tensor1d(FAKE);
  try {
    return fn(real, fake);
  } finally {
    tf.dispose([real, fake]);
  }
}

const expectedD: Record<LossType, number> = {
  minimax: mean(REAL.map((x) => bce(x, 1))) + mean(FAKE.map((x) => bce(x, 0))),
  'non-saturating': mean(REAL.map((x) => bce(x, 1))) + mean(FAKE.map((x) => bce(x, 0))),
  wgan: mean(FAKE) - mean(REAL),
  'wgan-gp': mean(FAKE) - mean(REAL),
  hinge: mean(REAL.map((x) => relu(1 - x))) + mean(FAKE.map((x) => relu(1 + x))),
  lsgan: 0.5 * mean(REAL.map((x) => (x - 1) ** 2)) + 0.5 * mean(FAKE.map((x) => x ** 2)),
};

const expectedG: Record<LossType, number> = {
  // The saturating game: G minimises E[log(1 − σ(D(G(z))))].
  minimax: mean(FAKE.map((x) => Math.log(1 - sigmoid(x)))),
  'non-saturating': mean(FAKE.map((x) => -Math.log(sigmoid(x)))),
  wgan: -mean(FAKE),
  'wgan-gp': -mean(FAKE),
  hinge: -mean(FAKE),
  lsgan: 0.5 * mean(FAKE.map((x) => (x - 1) ** 2)),
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('adversarial losses on logits [0, 2, −1] (real) and [0.5, −3] (fake)', () => {
  for (const type of Object.keys(expectedD) as LossType[]) {
    it(`${type}: discriminator and generator sides`, () => {
      withLogits((real, fake) => {
        expect(value(discriminatorLoss(type, real, fake))).toBeCloseTo(expectedD[type], 6);
        expect(value(generatorLoss(type, fake))).toBeCloseTo(expectedG[type], 6);
      });
    });
  }

  it('spot values: hinge D = (1 + 0 + 2)/3 + (1.5 + 0)/2, minimax G at 0 is −log 2', () => {
    expect(expectedD.hinge).toBeCloseTo(1 + 0.75, 12);
    const zero = tf.tensor1d([0]);
    expect(value(generatorLoss('minimax', zero))).toBeCloseTo(-Math.log(2), 6);
    zero.dispose();
  });

  it('soft targets: scalar and per-sample, BCE losses only', () => {
    withLogits((real, fake) => {
      const perSample = { real: tf.tensor1d([0.7, 0.8, 0.9]), fake: tf.tensor1d([0.1, 0.3]) };
      const expectedScalar = mean(REAL.map((x) => bce(x, 0.9))) + mean(FAKE.map((x) => bce(x, 0)));
      const expectedPer = mean(REAL.map((x, i) => bce(x, [0.7, 0.8, 0.9][i] ?? Number.NaN))) + mean(FAKE.map((x, i) => bce(x, [0.1, 0.3][i] ?? Number.NaN)));
      expect(value(discriminatorLoss('non-saturating', real, fake, { real: 0.9, fake: 0 }))).toBeCloseTo(expectedScalar, 6);
      expect(value(discriminatorLoss('minimax', real, fake, perSample))).toBeCloseTo(expectedPer, 6);
      // Hard targets are accepted by every loss, so a caller may always pass labelTargets' result.
      expect(value(discriminatorLoss('hinge', real, fake, { real: 1, fake: 0 }))).toBeCloseTo(expectedD.hinge, 6);
      expect(() => discriminatorLoss('wgan', real, fake, { real: 0.9, fake: 0 })).toThrow(/BCE loss/);
      expect(() => discriminatorLoss('minimax', real, fake, { real: perSample.fake, fake: 0 })).toThrow(/shape/);
      tf.dispose([perSample.real, perSample.fake]);
    });
  });

  it('rejects [N,1] logits, which would broadcast against [N] targets', () => {
    const col = tf.tensor2d([0, 1], [2, 1]) as unknown as tf.Tensor1D;
    expect(() => generatorLoss('wgan', col)).toThrow(/rank 1/);
    col.dispose();
  });

  it('stays finite and exact for huge logits', () => {
    const x = tf.tensor1d([100, -100]);
    // BCE(100, 1) ≈ 0 and BCE(−100, 1) = 100 → mean 50; softplus(100) = 100, softplus(−100) ≈ 0 → −50.
    expect(value(bceWithLogits(x, 1))).toBeCloseTo(50, 4);
    expect(value(generatorLoss('minimax', x))).toBeCloseTo(-50, 4);
    expect(value(generatorLoss('non-saturating', x))).toBeCloseTo(50, 4);
    x.dispose();
  });

  it('has the textbook gradients: BCE σ(x) − z, minimax G −σ(x)/N', () => {
    withLogits((_real, fake) => {
      const gBce = tf.grad((t: tf.Tensor) => bceWithLogits(t as tf.Tensor1D, 0.9))(fake);
      const gMinimax = tf.grad((t: tf.Tensor) => generatorLoss('minimax', t as tf.Tensor1D))(fake);
      Array.from(gBce.dataSync()).forEach((v, i) => expect(v).toBeCloseTo((sigmoid(FAKE[i] ?? 0) - 0.9) / FAKE.length, 6));
      Array.from(gMinimax.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(-sigmoid(FAKE[i] ?? 0) / FAKE.length, 6));
      tf.dispose([gBce, gMinimax]);
    });
  });

  it('leaks no tensors', () => {
    withLogits((real, fake) => {
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        for (const type of Object.keys(expectedD) as LossType[]) {
          discriminatorLoss(type, real, fake).dispose();
          generatorLoss(type, fake).dispose();
        }
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
