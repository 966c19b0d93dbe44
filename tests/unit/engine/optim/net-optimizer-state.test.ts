/** NetOptimizer schedules, gradient-norm clipping, state round trip, validation and tensor leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultTrainingConfig, type OptimizerConfig } from '../../../../src-main/common/training-config';
import { NetOptimizer, type GradientPair } from '../../../../src-main/engine/optim/net-optimizer';

const cfg = (over: Partial<OptimizerConfig>): OptimizerConfig => ({ ...defaultTrainingConfig().optimizerG, ...over });

function expectClose(actual: number[], expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, digits));
}


beforeAll(async () => {
  await tf.setBackend('cpu');
});


describe('learning-rate schedules', () => {
  const T = 1000;
  const at = (schedule: OptimizerConfig['schedule'], step: number): number => new NetOptimizer(cfg({ lr: 0.002, schedule }), T).learningRate(step);
  it('constant', () => {
    expect([0, T / 2, T].map((s) => at('constant', s))).toEqual([0.002, 0.002, 0.002]);
  });
  it('linear decays to 0 at T', () => {
    expectClose([0, T / 2, T, 2 * T].map((s) => at('linear', s)), [0.002, 0.001, 0, 0], 12);
    expect(at('linear', 250)).toBeCloseTo(0.0015, 12);
  });
  it('cosine is ½(1 + cos(πt/T))', () => {
    expectClose([0, T / 2, T].map((s) => at('cosine', s)), [0.002, 0.001, 0], 12);
    expect(at('cosine', 250)).toBeCloseTo(0.002 * 0.5 * (1 + Math.cos(Math.PI / 4)), 12);
  });
  it('apply reports and uses the scheduled rate', async () => {
    const v = tf.variable(tf.tensor1d([1]));
    const g = tf.tensor1d([1]);
    const opt = new NetOptimizer(cfg({ type: 'sgd', lr: 0.2, momentum: 0, schedule: 'linear' }), 10);
    expect((await opt.apply([{ name: 'v', variable: v, grad: g }], 5)).lr).toBeCloseTo(0.1, 12);
    expect(v.dataSync()[0]).toBeCloseTo(0.9, 6);
    opt.dispose();
    tf.dispose([v, g]);
  });
});

describe('gradient-norm clipping', () => {
  async function sgdStep(clip: number): Promise<{ after: number[]; gradNorm: number }> {
    // Global norm over two variables: √(3² + 4² + 12²) = 13.
    const a = tf.variable(tf.tensor1d([0, 0]));
    const b = tf.variable(tf.tensor1d([0]));
    const ga = tf.tensor1d([3, 4]);
    const gb = tf.tensor1d([12]);
    const opt = new NetOptimizer(cfg({ type: 'sgd', lr: 1, momentum: 0, gradClip: clip }), 10);
    const { gradNorm } = await opt.apply([{ name: 'a', variable: a, grad: ga }, { name: 'b', variable: b, grad: gb }], 0);
    const after = [...a.dataSync(), ...b.dataSync()];
    opt.dispose();
    tf.dispose([a, b, ga, gb]);
    return { after, gradNorm };
  }
  it('scales every gradient by clip/norm and reports the norm before clipping', async () => {
    const { after, gradNorm } = await sgdStep(1.3);
    expect(gradNorm).toBeCloseTo(13, 5);
    expectClose(after, [-0.3, -0.4, -1.2], 5);
  });
  it('leaves gradients under the threshold (or with clipping off) alone', async () => {
    expectClose((await sgdStep(20)).after, [-3, -4, -12], 5);
    expectClose((await sgdStep(0)).after, [-3, -4, -12], 5);
  });
  it('skips the update on a non-finite norm and reports it', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const g = tf.tensor1d([Number.NaN, 1]);
    const opt = new NetOptimizer(cfg({ type: 'adam' }), 10);
    expect(Number.isNaN((await opt.apply([{ name: 'v', variable: v, grad: g }], 0)).gradNorm)).toBe(true);
    expect(Array.from(v.dataSync())).toEqual([1, 2]);
    expect(opt.updates).toBe(0);
    opt.dispose();
    tf.dispose([v, g]);
  });
});

describe('state, validation and memory', () => {
  function pairs(vars: tf.Variable[], k: number): { list: GradientPair[]; grads: tf.Tensor[] } {
    const grads = vars.map((v, i) => tf.fill(v.shape, 0.1 * (k + 1) * (i % 2 === 0 ? 1 : -1)));
    return { list: vars.map((v, i) => ({ name: `w${i}`, variable: v, grad: grads[i] as tf.Tensor })), grads };
  }
  for (const type of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`${type}: export → import into a fresh optimizer continues identically`, async () => {
      const c = cfg({ type, lr: 0.05, momentum: 0.5, beta2: 0.9 });
      const original = [tf.variable(tf.ones([2, 2])), tf.variable(tf.zeros([3]))];
      const copy = original.map((v) => tf.variable(v.clone()));
      const a = new NetOptimizer(c, 50);
      for (let k = 0; k < 2; k++) {
        const p = pairs(original, k);
        await a.apply(p.list, k);
        tf.dispose(p.grads);
        copy.forEach((v, i) => v.assign(original[i] as tf.Variable));
      }
      const state = await a.exportState('optimizerD');
      const b = new NetOptimizer(c, 50);
      b.importState('optimizerD', { meta: JSON.parse(JSON.stringify(state.meta)) as unknown, tensors: state.tensors });
      const pa = pairs(original, 2);
      const pb = pairs(copy, 2);
      await a.apply(pa.list, 2);
      await b.apply(pb.list, 2);
      original.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from((copy[i] as tf.Variable).dataSync())));
      expect(b.updates).toBe(3);
      tf.dispose([...pa.grads, ...pb.grads, ...original, ...copy]);
      a.dispose();
      b.dispose();
    });
  }
  it('names slots by prefix, slot and variable, and refuses another optimizer type', async () => {
    const v = tf.variable(tf.zeros([2]));
    const g = tf.ones([2]);
    const opt = new NetOptimizer(cfg({ type: 'adam' }), 10);
    await opt.apply([{ name: 'g_up1/kernel', variable: v, grad: g }], 0);
    const state = await opt.exportState('optimizerG');
    expect(state.meta).toEqual({ type: 'adam', iterations: 1 });
    expect(state.tensors.map((t) => t.name).sort()).toEqual(['optimizerG/m/g_up1/kernel', 'optimizerG/v/g_up1/kernel']);
    expect(() => new NetOptimizer(cfg({ type: 'sgd' }), 10).importState('optimizerG', state)).toThrow(/adam/);
    opt.dispose();
    tf.dispose([v, g]);
  });
  it('rejects mismatched shapes, duplicates and an empty list', async () => {
    const v = tf.variable(tf.zeros([2]));
    const g = tf.ones([3]);
    const opt = new NetOptimizer(cfg({}), 10);
    await expect(opt.apply([{ name: 'v', variable: v, grad: g }], 0)).rejects.toThrow(/shape/);
    const ok = tf.ones([2]);
    await expect(opt.apply([{ name: 'v', variable: v, grad: ok }, { name: 'v', variable: v, grad: ok }], 0)).rejects.toThrow(/twice/);
    await expect(opt.apply([], 0)).rejects.toThrow(/no gradients/);
    expect(() => new NetOptimizer(cfg({}), 0)).toThrow(/totalSteps/);
    opt.dispose();
    tf.dispose([v, g, ok]);
  });
  it('leaks no tensors over repeated updates and frees its slots on dispose', async () => {
    for (const type of ['adam', 'rmsprop', 'sgd'] as const) {
      const vars = [tf.variable(tf.ones([4, 3])), tf.variable(tf.zeros([3]))];
      const opt = new NetOptimizer(cfg({ type, momentum: 0.9, gradClip: 0.1 }), 10);
      const before = tf.memory().numTensors;
      const first = pairs(vars, 0);
      await opt.apply(first.list, 0);
      tf.dispose(first.grads);
      const withSlots = tf.memory().numTensors;
      for (let k = 1; k < 4; k++) {
        const p = pairs(vars, k);
        await opt.apply(p.list, k);
        tf.dispose(p.grads);
      }
      expect(tf.memory().numTensors).toBe(withSlots);
      opt.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(vars);
    }
  });
});
