/**
 * The objectives refuse what would silently compute the wrong thing, each with a message naming
 * what is wrong: a [N,1] logit that would broadcast against [N] targets, targets outside [0, 1] or of
 * another length, soft targets on a loss that is no cross-entropy, mismatched penalty inputs, feature
 * sets of different widths, and label-smoothing ranges outside [0, 1].
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../../src-main/common/rng';
import { discriminatorLoss, generatorLoss } from '../../../../src-main/engine/objectives/adversarial';
import { featureMatchingLoss } from '../../../../src-main/engine/objectives/feature-matching';
import { labelTargets, type LabelSmoothingConfig } from '../../../../src-main/engine/objectives/label-smoothing';
import { gradientPenalty, r1Penalty } from '../../../../src-main/engine/objectives/penalties';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const v = (...xs: number[]) => tf.tensor1d(xs);
const critic = (x: tf.Tensor4D) => tf.sum(x, [1, 2, 3]) as tf.Tensor1D;

describe('adversarial losses', () => {
  it('refuse logits that are not rank 1, naming the shape', () => {
    const column = tf.tensor2d([[0.5], [0.1]]) as unknown as tf.Tensor1D;
    expect(() => discriminatorLoss('minimax', column, v(0, 1))).toThrow('real logits must be rank 1 [N], got shape [2,1]; reshape the critic output first');
    expect(() => discriminatorLoss('minimax', v(0, 1), column)).toThrow('fake logits must be rank 1 [N], got shape [2,1]');
    expect(() => generatorLoss('hinge', column)).toThrow('fake logits must be rank 1 [N], got shape [2,1]');
  });

  it('refuse a target outside [0, 1] (each bound) and targets of another length, and take the bounds themselves', () => {
    expect(() => discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: 1.01, fake: 0 })).toThrow('real target must be in [0, 1], got 1.01');
    expect(() => discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: 1, fake: -0.01 })).toThrow('fake target must be in [0, 1], got -0.01');
    expect(() => discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: Number.NaN, fake: 0 })).toThrow('real target must be in [0, 1], got NaN');
    expect(() => discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: v(0.9, 0.9, 0.9), fake: 0 })).toThrow('real targets have shape [3], logits [2]');
    expect(() => discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: 1, fake: tf.tensor2d([[0.1, 0.2]]) as unknown as tf.Tensor1D })).toThrow(
      'fake targets have shape [1,2], logits [2]',
    );
    expect(() => discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: 1, fake: tf.tensor2d([[0.1], [0.2]]) as unknown as tf.Tensor1D })).toThrow(
      'fake targets have shape [2,1], logits [2]',
    );
    expect(Number.isFinite(discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: 0, fake: 1 }).dataSync()[0])).toBe(true);
    expect(Number.isFinite(discriminatorLoss('minimax', v(0, 1), v(0, 1), { real: v(1, 0), fake: v(0, 1) }).dataSync()[0])).toBe(true);
  });

  it('refuse soft targets on a loss that is not a cross-entropy, and take the hard ones', () => {
    expect(() => discriminatorLoss('hinge', v(0, 1), v(0, 1), { real: 0.9, fake: 0 })).toThrow('label smoothing needs a BCE loss (minimax or non-saturating), not hinge');
    expect(() => discriminatorLoss('lsgan', v(0, 1), v(0, 1), { real: 1, fake: 0.1 })).toThrow('not lsgan');
    expect(Number.isFinite(discriminatorLoss('wgan', v(0, 1), v(0, 1), { real: 1, fake: 0 }).dataSync()[0])).toBe(true);
  });
});

describe('penalties', () => {
  const x = (n: number, side = 2) => tf.ones([n, side, side, 1]) as tf.Tensor4D;
  const eps = (n: number) => tf.fill([n, 1, 1, 1], 0.5) as tf.Tensor4D;

  it('GP refuses reals and fakes of different shapes, and an epsilon not [N,1,1,1], naming both', () => {
    expect(() => gradientPenalty(critic, x(2), x(3), eps(2))).toThrow('gradientPenalty real and fake: shapes [2,2,2,1] and [3,2,2,1] differ');
    expect(() => gradientPenalty(critic, x(2), x(2, 3), eps(2))).toThrow('shapes [2,2,2,1] and [2,3,3,1] differ');
    expect(() => gradientPenalty(critic, x(2), tf.ones([2, 2, 2]) as unknown as tf.Tensor4D, eps(2))).toThrow('shapes [2,2,2,1] and [2,2,2] differ');
    expect(() => gradientPenalty(critic, tf.ones([2, 2, 2]) as unknown as tf.Tensor4D, x(2), eps(2))).toThrow('shapes [2,2,2] and [2,2,2,1] differ');
    expect(() => gradientPenalty(critic, x(2), x(2), eps(3))).toThrow('gradientPenalty epsilon must be [2,1,1,1], got [3,1,1,1]');
    expect(() => gradientPenalty(critic, x(2), x(2), tf.fill([2, 1, 1], 0.5) as unknown as tf.Tensor4D)).toThrow('epsilon must be [2,1,1,1], got [2,1,1]');
    expect(() => gradientPenalty(critic, x(2), x(2), tf.fill([2, 1, 2, 1], 0.5) as tf.Tensor4D)).toThrow('epsilon must be [2,1,1,1], got [2,1,2,1]');
    // A linear critic Σx has ‖∇‖ = √(pixels) = 2 for every sample: GP = (2 − 1)² = 1, R1 = 4.
    expect(gradientPenalty(critic, x(2), x(2), eps(2)).dataSync()[0]).toBeCloseTo(1, 6);
    expect(r1Penalty(critic, x(2)).dataSync()[0]).toBeCloseTo(4, 6);
  });
});

describe('feature matching', () => {
  it('refuses features that are not [N, F] or of different F, naming both shapes; batch sizes may differ', () => {
    const f = (n: number, width: number) => tf.ones([n, width]) as tf.Tensor2D;
    expect(() => featureMatchingLoss(f(2, 3), f(2, 4))).toThrow('feature matching needs [N, F] features of equal F, got [2,3] and [2,4]');
    expect(() => featureMatchingLoss(tf.ones([2, 3, 1]) as unknown as tf.Tensor2D, f(2, 3))).toThrow('got [2,3,1] and [2,3]');
    expect(() => featureMatchingLoss(f(2, 3), tf.ones([2, 3, 1]) as unknown as tf.Tensor2D)).toThrow('got [2,3] and [2,3,1]');
    expect(featureMatchingLoss(f(2, 3), f(5, 3)).dataSync()[0]).toBe(0);
  });
});

describe('label-smoothing targets', () => {
  const base: LabelSmoothingConfig = { mode: 'two-sided', realTarget: 0.9, realMin: 0.7, realMax: 0.9, fakeMin: 0.1, fakeMax: 0.3 };
  const rng = () => new Rng(1, 9);

  it('refuse ranges outside [0, 1] or inverted, on either side, naming the side', () => {
    expect(() => labelTargets({ ...base, realMin: -0.1 }, 4, rng())).toThrow('label smoothing real range [-0.1, 0.9] must lie in [0, 1] with min ≤ max');
    expect(() => labelTargets({ ...base, realMax: 1.1 }, 4, rng())).toThrow('label smoothing real range [0.7, 1.1]');
    expect(() => labelTargets({ ...base, fakeMin: 0.4 }, 4, rng())).toThrow('label smoothing fake range [0.4, 0.3]');
    expect(() => labelTargets({ ...base, mode: 'one-sided', realTarget: 1.2 }, 4, rng())).toThrow('label smoothing real target range [1.2, 1.2]');
    expect(() => labelTargets(base, 0, rng())).toThrow('label targets need a positive batch size, got 0');
    expect(() => labelTargets(base, 2.5, rng())).toThrow('got 2.5');
    const edges = labelTargets({ ...base, realMin: 0, realMax: 1, fakeMin: 0, fakeMax: 0 }, 4, rng());
    expect(Array.from((edges.fake as tf.Tensor1D).dataSync())).toEqual([0, 0, 0, 0]);
  });
});
