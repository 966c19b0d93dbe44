/** Gradient penalty, R1 and weight clipping against closed forms on cpu, including the critic-side (second-order) gradient. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { clipWeights, gradientPenalty, r1Penalty, type Critic } from '../../../../src-main/engine/objectives/penalties';
import { inputs, interpolated, meanOver, normals, num, realValues, sampleNorm } from './penalty-fixtures';

describe('closed forms (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const wValues = normals([1, 6, 6, 2], 3, 0.1);
  const wNorm = Math.hypot(...wValues);

  it('linear critic Σ w·x: ‖∇‖ = ‖w‖ for every sample, so GP = (‖w‖ − 1)² and R1 = ‖w‖²', () => {
    const { real, fake, epsilon } = inputs();
    const w = tf.tensor4d(wValues, [1, 6, 6, 2]);
    const critic: Critic = (x) => tf.sum(tf.mul(w, x), [1, 2, 3]) as tf.Tensor1D;
    expect(num(gradientPenalty(critic, real, fake, epsilon))).toBeCloseTo((wNorm - 1) ** 2, 5);
    expect(num(r1Penalty(critic, real))).toBeCloseTo(wNorm ** 2, 5);
    tf.dispose([real, fake, epsilon, w]);
  });

  it('quadratic critic ½‖x‖²: ∇ = x̂, so GP = E(‖x̂‖ − 1)² and R1 = E‖x‖²', () => {
    const { real, fake, epsilon } = inputs();
    const critic: Critic = (x) => tf.mul(0.5, tf.sum(tf.square(x), [1, 2, 3])) as tf.Tensor1D;
    const gp = meanOver((i) => (sampleNorm(interpolated, i) - 1) ** 2);
    const r1 = meanOver((i) => sampleNorm(realValues, i) ** 2);
    expect(num(gradientPenalty(critic, real, fake, epsilon)) / gp).toBeCloseTo(1, 5);
    expect(num(r1Penalty(critic, real)) / r1).toBeCloseTo(1, 5);
    tf.dispose([real, fake, epsilon]);
  });

  it('is differentiable with respect to the critic: ∇w GP = 2(‖w‖ − 1)·w/‖w‖, ∇w R1 = 2w', () => {
    const { real, fake, epsilon } = inputs();
    const w = tf.variable(tf.tensor4d(wValues, [1, 6, 6, 2]));
    const critic: Critic = (x) => tf.sum(tf.mul(w, x), [1, 2, 3]) as tf.Tensor1D;
    const gp = tf.variableGrads(() => gradientPenalty(critic, real, fake, epsilon), [w]);
    const r1 = tf.variableGrads(() => r1Penalty(critic, real), [w]);
    const gpGrad = gp.grads[w.name]?.dataSync() ?? [];
    const r1Grad = r1.grads[w.name]?.dataSync() ?? [];
    wValues.forEach((wi, i) => {
      expect(gpGrad[i]).toBeCloseTo((2 * (wNorm - 1) * wi) / wNorm, 5);
      expect(r1Grad[i]).toBeCloseTo(2 * wi, 5);
    });
    tf.dispose([real, fake, epsilon, w, gp.value, r1.value, gp.grads, r1.grads]);
  });

  it('a zero input gradient gives GP = 1 with finite (zero) gradients, not NaN', () => {
    const { real, fake, epsilon } = inputs();
    const w = tf.variable(tf.zeros([1, 6, 6, 2]));
    const critic: Critic = (x) => tf.sum(tf.mul(w, x), [1, 2, 3]) as tf.Tensor1D;
    const { value, grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake, epsilon), [w]);
    expect(value.dataSync()[0]).toBeCloseTo(1, 6);
    expect(Array.from(grads[w.name]?.dataSync() ?? []).every(Number.isFinite)).toBe(true);
    tf.dispose([real, fake, epsilon, w, value, grads]);
  });

  it('clipWeights clamps every variable to [−c, c] in place', () => {
    const a = tf.variable(tf.tensor1d([-0.5, 0.005, 0.2]));
    const b = tf.variable(tf.tensor2d([[0.01, -0.011]]));
    clipWeights([a, b], 0.01);
    expect(Array.from(a.dataSync())).toEqual([-0.01, 0.005, 0.01].map(Math.fround));
    expect(Array.from(b.dataSync())).toEqual([0.01, -0.01].map(Math.fround));
    expect(() => clipWeights([a], 0)).toThrow(/positive/);
    tf.dispose([a, b]);
  });

  it('rejects a mis-shaped epsilon', () => {
    const { real, fake } = inputs();
    const eps = tf.ones([3, 6, 6, 2]) as tf.Tensor4D;
    expect(() => gradientPenalty((x) => tf.sum(x, [1, 2, 3]) as tf.Tensor1D, real, fake, eps)).toThrow(/epsilon/);
    tf.dispose([real, fake, eps]);
  });
});

