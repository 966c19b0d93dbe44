/** NetOptimizer update rules: hand-unrolled Adam/RMSProp/SGD recurrences and agreement with tf.train for a few steps. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultTrainingConfig, type OptimizerConfig } from '../../../../src-main/common/training-config';
import { NetOptimizer, OPTIMIZER_EPSILON } from '../../../../src-main/engine/optim/net-optimizer';

const cfg = (over: Partial<OptimizerConfig>): OptimizerConfig => ({ ...defaultTrainingConfig().optimizerG, ...over });

const THETA0 = [1, -2, 0.5];
const GRADS = [
  [0.5, -1, 0.02],
  [0.1, 0.3, -0.4],
  [-0.2, 0.4, 0.05],
  [0.3, -0.6, 0.2],
];

type Rule = (theta: number[], grads: number[][]) => number[];

/** Adam with bias correction, in doubles. */
const adamByHand = (lr: number, b1: number, b2: number): Rule => (theta, grads) => {
  const m = theta.map(() => 0);
  const v = theta.map(() => 0);
  const th = [...theta];
  grads.forEach((g, k) => {
    const t = k + 1;
    th.forEach((_, i) => {
      const gi = g[i] ?? 0;
      m[i] = b1 * (m[i] ?? 0) + (1 - b1) * gi;
      v[i] = b2 * (v[i] ?? 0) + (1 - b2) * gi * gi;
      const mHat = (m[i] ?? 0) / (1 - b1 ** t);
      const vHat = (v[i] ?? 0) / (1 - b2 ** t);
      th[i] = (th[i] ?? 0) - (lr * mHat) / (Math.sqrt(vHat) + OPTIMIZER_EPSILON);
    });
  });
  return th;
};

const rmspropByHand = (lr: number, rho: number, mu: number): Rule => (theta, grads) => {
  const ms = theta.map(() => 0);
  const mom = theta.map(() => 0);
  const th = [...theta];
  for (const g of grads) {
    th.forEach((_, i) => {
      const gi = g[i] ?? 0;
      ms[i] = rho * (ms[i] ?? 0) + (1 - rho) * gi * gi;
      const stepVal = (lr * gi) / Math.sqrt((ms[i] ?? 0) + OPTIMIZER_EPSILON);
      mom[i] = mu * (mom[i] ?? 0) + stepVal;
      th[i] = (th[i] ?? 0) - (mu > 0 ? (mom[i] ?? 0) : stepVal);
    });
  }
  return th;
};

const sgdByHand = (lr: number, mu: number): Rule => (theta, grads) => {
  const mom = theta.map(() => 0);
  const th = [...theta];
  for (const g of grads) {
    th.forEach((_, i) => {
      mom[i] = mu * (mom[i] ?? 0) + (g[i] ?? 0);
      th[i] = (th[i] ?? 0) - lr * (mom[i] ?? 0);
    });
  }
  return th;
};

/** Runs NetOptimizer over GRADS on THETA0 split across two variables ([2] and [1]). */
async function runOurs(c: OptimizerConfig, grads = GRADS): Promise<number[]> {
  const a = tf.variable(tf.tensor1d(THETA0.slice(0, 2)));
  const b = tf.variable(tf.tensor2d([THETA0.slice(2)], [1, 1]));
  const opt = new NetOptimizer(c, 100);
  for (const g of grads) {
    const ga = tf.tensor1d(g.slice(0, 2));
    const gb = tf.tensor2d([g.slice(2)], [1, 1]);
    await opt.apply([{ name: 'a', variable: a, grad: ga }, { name: 'b', variable: b, grad: gb }], 0);
    tf.dispose([ga, gb]);
  }
  const out = [...a.dataSync(), ...b.dataSync()];
  opt.dispose();
  tf.dispose([a, b]);
  return out;
}

/** The same on a tf.train optimizer. */
function runTf(make: () => tf.Optimizer, grads = GRADS): number[] {
  const v = tf.variable(tf.tensor1d(THETA0));
  const opt = make();
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.applyGradients({ [v.name]: gt });
    gt.dispose();
  }
  const out = Array.from(v.dataSync());
  opt.dispose();
  v.dispose();
  return out;
}

function expectClose(actual: number[], expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, digits));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('update rules against hand-unrolled recurrences', () => {
  it('Adam (β1 0.5, β2 0.999) with bias correction', async () => {
    expectClose(await runOurs(cfg({ type: 'adam', lr: 0.1, beta1: 0.5, beta2: 0.999 })), adamByHand(0.1, 0.5, 0.999)(THETA0, GRADS));
  });
  it('RMSProp without and with momentum (ρ = beta2)', async () => {
    expectClose(await runOurs(cfg({ type: 'rmsprop', lr: 0.01, beta2: 0.9, momentum: 0 })), rmspropByHand(0.01, 0.9, 0)(THETA0, GRADS));
    expectClose(await runOurs(cfg({ type: 'rmsprop', lr: 0.01, beta2: 0.9, momentum: 0.8 })), rmspropByHand(0.01, 0.9, 0.8)(THETA0, GRADS));
  });
  it('SGD without and with momentum', async () => {
    expectClose(await runOurs(cfg({ type: 'sgd', lr: 0.1, momentum: 0 })), sgdByHand(0.1, 0)(THETA0, GRADS));
    expectClose(await runOurs(cfg({ type: 'sgd', lr: 0.1, momentum: 0.9 })), sgdByHand(0.1, 0.9)(THETA0, GRADS));
  });
  it('the first Adam step moves every weight by lr·sign(g) (bias correction at work)', async () => {
    const out = await runOurs(cfg({ type: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999 }), [GRADS[0] ?? []]);
    expectClose(out, THETA0.map((t, i) => t - 0.1 * Math.sign(GRADS[0]?.[i] ?? 0)), 4);
  });
});

describe('agreement with tf.train', () => {
  it('tf.train.adam', async () => {
    expectClose(await runOurs(cfg({ type: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.99 })), runTf(() => tf.train.adam(0.05, 0.9, 0.99, OPTIMIZER_EPSILON)));
  });
  it('tf.train.rmsprop', async () => {
    expectClose(await runOurs(cfg({ type: 'rmsprop', lr: 0.01, beta2: 0.95, momentum: 0 })), runTf(() => tf.train.rmsprop(0.01, 0.95, 0, OPTIMIZER_EPSILON)));
    expectClose(await runOurs(cfg({ type: 'rmsprop', lr: 0.01, beta2: 0.95, momentum: 0.5 })), runTf(() => tf.train.rmsprop(0.01, 0.95, 0.5, OPTIMIZER_EPSILON)));
  });
  it('tf.train.momentum and tf.train.sgd', async () => {
    expectClose(await runOurs(cfg({ type: 'sgd', lr: 0.1, momentum: 0.9 })), runTf(() => tf.train.momentum(0.1, 0.9)));
    expectClose(await runOurs(cfg({ type: 'sgd', lr: 0.1, momentum: 0 })), runTf(() => tf.train.sgd(0.1)));
  });
});

