/** EMA of G weights: copy up to startStep, then the hand recurrence; swap-in and state round trip. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { WeightEma } from '../../../../src-main/engine/stabilizers/ema';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const VALUES = [[1, -2], [3, 0.5], [-1, 4], [2, 2], [0, -3]];

function live(): { w: tf.Variable; stat: tf.Variable; vars: Map<string, tf.Variable> } {
  const w = tf.variable(tf.tensor1d([0, 0]));
  // A non-trainable state variable, like a batch-norm moving mean.
  const stat = tf.variable(tf.tensor1d([0]), false);
  return { w, stat, vars: new Map([['g/w', w], ['g/bn/moving_mean', stat]]) };
}

function read(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('WeightEma', () => {
  it('copies up to startStep, then follows θ_ema = d·θ_ema + (1 − d)·θ (also for state variables)', () => {
    const { w, stat, vars } = live();
    const decay = 0.9;
    const ema = new WeightEma(vars, decay, 2);
    let expected = [0, 0];
    let expectedStat = 0;
    VALUES.forEach((value, i) => {
      const step = i + 1;
      w.assign(tf.tensor1d(value));
      stat.assign(tf.tensor1d([10 * step]));
      ema.update(step);
      if (step <= 2) {
        expected = [...value];
        expectedStat = 10 * step;
      } else {
        expected = expected.map((e, j) => decay * e + (1 - decay) * (value[j] ?? 0));
        expectedStat = decay * expectedStat + (1 - decay) * 10 * step;
      }
      const [ew, es] = ema.withEma(() => [read(w), read(stat)]);
      ew?.forEach((v, j) => expect(v).toBeCloseTo(expected[j] ?? Number.NaN, 5));
      expect(es?.[0]).toBeCloseTo(expectedStat, 4);
    });
    ema.dispose();
    tf.dispose([w, stat]);
  });

  it('withEma restores the live weights afterwards, also on throw, and is a no-op before any update', () => {
    const { w, stat, vars } = live();
    const ema = new WeightEma(vars, 0.5, 0);
    w.assign(tf.tensor1d([4, 4]));
    expect(ema.withEma(() => read(w))).toEqual([4, 4]);
    ema.update(0);
    w.assign(tf.tensor1d([8, 0]));
    ema.update(1);
    expect(ema.withEma(() => read(w))).toEqual([6, 2]);
    expect(read(w)).toEqual([8, 0]);
    expect(() =>
      ema.withEma(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(read(w)).toEqual([8, 0]);
    expect(() => ema.withEma(() => Promise.resolve(1))).toThrow(/synchronous/);
    expect(read(w)).toEqual([8, 0]);
    ema.dispose();
    tf.dispose([w, stat]);
  });

  it('a late first update starts from the live weights', () => {
    const { w, stat, vars } = live();
    const ema = new WeightEma(vars, 0.99, 0);
    w.assign(tf.tensor1d([5, 6]));
    ema.update(100);
    expect(ema.withEma(() => read(w))).toEqual([5, 6]);
    ema.dispose();
    tf.dispose([w, stat]);
  });

  it('export → import resumes the same recurrence', async () => {
    const { w, stat, vars } = live();
    const ema = new WeightEma(vars, 0.5, 0);
    w.assign(tf.tensor1d([2, 2]));
    ema.update(0);
    const state = await ema.exportState('ema');
    expect(state.meta).toEqual({ initialized: true });
    expect(state.tensors.map((t) => t.name).sort()).toEqual(['ema/g/bn/moving_mean', 'ema/g/w']);
    const resumed = new WeightEma(vars, 0.5, 0);
    expect(resumed.ready).toBe(false);
    resumed.importState(state, 'ema');
    w.assign(tf.tensor1d([4, 0]));
    resumed.update(1);
    expect(resumed.withEma(() => read(w))).toEqual([3, 1]);
    expect(() => resumed.importState({ meta: { initialized: true }, tensors: [] }, 'ema')).toThrow(/no tensor/);
    expect(resumed.withEma(() => read(w))).toEqual([3, 1]);
    ema.dispose();
    resumed.dispose();
    tf.dispose([w, stat]);
  });

  it('validates its settings and leaks no tensors', () => {
    const { w, stat, vars } = live();
    expect(() => new WeightEma(vars, 1, 0)).toThrow(/decay/);
    expect(() => new WeightEma(vars, 0.9, -1)).toThrow(/start step/);
    const ema = new WeightEma(vars, 0.9, 1);
    ema.update(0);
    ema.update(1);
    const before = tf.memory().numTensors;
    for (let step = 2; step < 6; step++) {
      ema.update(step);
      ema.withEma(() => undefined);
    }
    expect(tf.memory().numTensors).toBe(before);
    ema.dispose();
    tf.dispose([w, stat]);
  });
});
