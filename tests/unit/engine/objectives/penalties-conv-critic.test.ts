/** GP and R1 through a leaky-ReLU conv critic on cpu and wasm: finite differences, second-order gradients, backend agreement. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { gradientPenalty, r1Penalty, type Critic } from '../../../../src-main/engine/objectives/penalties';
import { registerSecondOrderGradients } from '../../../../src-main/engine/nets/second-order';
import { PER_SAMPLE, SHAPE, inputs, interpolated, meanOver, normals, num, realValues } from './penalty-fixtures';

/** A tiny conv critic: conv 3×3 stride 2 + bias → leaky ReLU 0.2 → dense to one logit. */
interface ConvParams {
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  dense: tf.Tensor2D;
}
const PARAM_VALUES = { filter: normals([3, 3, 2, 4], 11, 0.4), bias: normals([4], 12, 0.1), dense: normals([36, 1], 13, 0.3) };
const PARAM_SHAPES = { filter: [3, 3, 2, 4], bias: [4], dense: [36, 1] } as const;

function convCritic(p: ConvParams): Critic {
  return (x) => {
    const h = tf.leakyRelu(tf.add(tf.conv2d(x, p.filter, 2, 'same'), p.bias), 0.2);
    return tf.reshape(tf.matMul(tf.reshape(h, [x.shape[0], -1]), p.dense), [-1]) as tf.Tensor1D;
  };
}

function paramTensors(edit?: { key: keyof ConvParams; index: number; delta: number }): ConvParams {
  const value = (key: keyof ConvParams): Float32Array => {
    const v = Float32Array.from(PARAM_VALUES[key]);
    if (edit?.key === key) v[edit.index] = (v[edit.index] ?? 0) + edit.delta;
    return v;
  };
  return {
    filter: tf.tensor4d(value('filter'), [...PARAM_SHAPES.filter]),
    bias: tf.tensor1d(value('bias')),
    dense: tf.tensor2d(value('dense'), [...PARAM_SHAPES.dense]),
  };
}

/** The penalties' values with the critic's gradients from the penalty code, plus the same by finite differences. */
function convCase(): { gp: number; r1: number; fdGp: number; fdR1: number; grads: Record<string, Float32Array>; fdGrads: Record<string, number[]> } {
  const { real, fake, epsilon } = inputs();
  const p = paramTensors();
  const vars = { filter: tf.variable(p.filter), bias: tf.variable(p.bias), dense: tf.variable(p.dense) };
  const critic = convCritic(vars as unknown as ConvParams);
  const run = tf.variableGrads(() => tf.add(gradientPenalty(critic, real, fake, epsilon), r1Penalty(critic, real)) as tf.Scalar, Object.values(vars));
  const grads = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Float32Array.from(run.grads[v.name]?.dataSync() ?? [])]));
  const gp = num(gradientPenalty(critic, real, fake, epsilon));
  const r1 = num(r1Penalty(critic, real));

  // Input gradient by central differences: the critic is piecewise linear in x, so they are exact
  // away from kinks. Element e of every sample moves at once; D_i only sees sample i.
  const h = 1e-2;
  const sumSq = (base: Float32Array): number[] => {
    const acc = [0, 0, 0];
    for (let e = 0; e < PER_SAMPLE; e++) {
      const shifted = (sign: number): Float32Array => base.map((v, i) => (i % PER_SAMPLE === e ? v + sign * h : v));
      const d = tf.tidy(() => tf.sub(critic(tf.tensor4d(shifted(1), SHAPE)), critic(tf.tensor4d(shifted(-1), SHAPE))));
      Array.from(d.dataSync()).forEach((v, i) => (acc[i] = (acc[i] ?? 0) + (v / (2 * h)) ** 2));
      d.dispose();
    }
    return acc;
  };
  const gpSq = sumSq(interpolated);
  const fdGp = meanOver((i) => (Math.sqrt(gpSq[i] ?? Number.NaN) - 1) ** 2);
  const fdR1 = meanOver((i) => sumSq(realValues)[i] ?? Number.NaN);

  // Critic-parameter gradient of GP + R1 by central differences on a few entries.
  const total = (q: ConvParams): number => num(tf.tidy(() => tf.add(gradientPenalty(convCritic(q), real, fake, epsilon), r1Penalty(convCritic(q), real))));
  const fdGrads: Record<string, number[]> = {};
  for (const key of ['filter', 'dense'] as const) {
    fdGrads[key] = [0, 1, 3].map((index) => {
      const plus = paramTensors({ key, index, delta: 1e-2 });
      const minus = paramTensors({ key, index, delta: -1e-2 });
      const slope = (total(plus) - total(minus)) / 2e-2;
      tf.dispose(Object.values(plus).concat(Object.values(minus)));
      return slope;
    });
  }
  tf.dispose([real, fake, epsilon, run.value, ...Object.values(run.grads), ...Object.values(vars), ...Object.values(p)]);
  return { gp, r1, fdGp, fdR1, grads, fdGrads };
}

const results: Partial<Record<'cpu' | 'wasm', ReturnType<typeof convCase>>> = {};

// Runs first, before anything in this file registers the gradient (gradients are registered for
// every backend at once, so one backend shows it). Should tfjs-core ever ship a Greater gradient,
// this fails and says so, and registerSecondOrderGradients can be revisited.
describe('before registerSecondOrderGradients', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('second order through leakyRelu fails on the Greater gradient tfjs-core lacks', () => {
    expect(tf.getGradient('Greater'), 'tfjs-core now ships a Greater gradient').toBeUndefined();
    const { real } = inputs();
    const v = paramTensors();
    const vars = [tf.variable(v.filter), tf.variable(v.bias), tf.variable(v.dense)] as const;
    const critic = convCritic({ filter: vars[0] as unknown as tf.Tensor4D, bias: vars[1] as unknown as tf.Tensor1D, dense: vars[2] as unknown as tf.Tensor2D });
    expect(() => tf.variableGrads(() => r1Penalty(critic, real), [...vars])).toThrow(/gradient function not found for Greater/);
    tf.dispose([real, ...vars, ...Object.values(v)]);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`leaky-ReLU conv critic on ${backend}`, () => {
    beforeAll(async () => {
      if (backend === 'wasm') await resolveBackend('wasm');
      else await tf.setBackend('cpu');
    });

    it('with registerSecondOrderGradients, GP and R1 and their critic gradients match finite differences', () => {
      registerSecondOrderGradients();
      const r = convCase();
      results[backend] = r;
      expect(r.gp / r.fdGp).toBeCloseTo(1, 3);
      expect(r.r1 / r.fdR1).toBeCloseTo(1, 3);
      // ∇x D sees the bias only through leaky ReLU's piecewise-constant slope, so ∂(GP + R1)/∂b is
      // exactly 0; finite differences would only measure kinks crossed by the step.
      expect(Array.from(r.grads['bias'] ?? [1])).toEqual([0, 0, 0, 0]);
      for (const key of ['filter', 'dense'] as const) {
        [0, 1, 3].forEach((index, j) => {
          const analytic = r.grads[key]?.[index] ?? Number.NaN;
          const fd = r.fdGrads[key]?.[j] ?? Number.NaN;
          expect(Math.abs(analytic - fd)).toBeLessThan(1e-2 * Math.max(1, Math.abs(fd)));
        });
      }
    });

    it('leaks no tensors over repeated penalty steps', () => {
      registerSecondOrderGradients();
      const { real, fake, epsilon } = inputs();
      const p = paramTensors();
      const vars = [tf.variable(p.filter), tf.variable(p.bias), tf.variable(p.dense)];
      const critic = convCritic({ filter: vars[0], bias: vars[1], dense: vars[2] } as unknown as ConvParams);
      const step = (): void => {
        const { value, grads } = tf.variableGrads(() => tf.add(gradientPenalty(critic, real, fake, epsilon), r1Penalty(critic, real)) as tf.Scalar, vars);
        tf.dispose([value, grads]);
      };
      step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([real, fake, epsilon, ...vars, ...Object.values(p)]);
    });
  });
}

describe('cpu and wasm agree', () => {
  it('on the conv critic penalties and their gradients', () => {
    const cpu = results.cpu;
    const wasm = results.wasm;
    expect(cpu && wasm).toBeTruthy();
    if (!cpu || !wasm) return;
    expect(Math.abs(cpu.gp - wasm.gp)).toBeLessThan(1e-4 * Math.max(1, cpu.gp));
    expect(Math.abs(cpu.r1 - wasm.r1)).toBeLessThan(1e-4 * Math.max(1, cpu.r1));
    for (const key of ['filter', 'bias', 'dense']) {
      const a = cpu.grads[key] ?? new Float32Array();
      const b = wasm.grads[key] ?? new Float32Array();
      expect(a.length).toBe(b.length);
      a.forEach((v, i) => expect(Math.abs(v - (b[i] ?? Number.NaN))).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    }
  });
});
