/** EMA of G weights: copy up to startStep, then the hand recurrence with β per step from the half-life and ramp-up; swap-in and state round trip. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { WeightEma } from '../../../../src-main/engine/stabilizers/ema';
import type { EmaSchedule } from '../../../../src-main/engine/stabilizers/ema-schedule';

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

/** A fixed β per step (no ramp-up, one image per step): the half-life whose β is `beta`. */
function fixed(beta: number, startStep: number): EmaSchedule {
  return { halfLifeImages: Math.log(0.5) / Math.log(beta), rampup: 0, batchSize: 1, startStep };
}

function read(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('WeightEma', () => {
  it('copies up to startStep, then follows θ_ema = β·θ_ema + (1 − β)·θ with β ramping up (also for state variables)', () => {
    const { w, stat, vars } = live();
    // Batch 4, half-life 6 images, ramp-up 0.5: the update at step s follows (s − 1)·4 images seen,
    // so step 3 has half-life min(6, 0.5·8) = 4 (β = 0.5^(4/4)), steps 4 and 5 the full 6 (β = 0.5^(4/6)).
    const ema = new WeightEma(vars, { halfLifeImages: 6, rampup: 0.5, batchSize: 4, startStep: 2 });
    const betas = [NaN, NaN, 0.5, 0.6299605249474366, 0.6299605249474366];
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
        const beta = betas[i] ?? Number.NaN;
        expected = expected.map((e, j) => beta * e + (1 - beta) * (value[j] ?? 0));
        expectedStat = beta * expectedStat + (1 - beta) * 10 * step;
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
    const ema = new WeightEma(vars, fixed(0.5, 0));
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
    const ema = new WeightEma(vars, fixed(0.99, 0));
    w.assign(tf.tensor1d([5, 6]));
    ema.update(100);
    expect(ema.withEma(() => read(w))).toEqual([5, 6]);
    ema.dispose();
    tf.dispose([w, stat]);
  });

  it('export → import resumes the same recurrence', async () => {
    const { w, stat, vars } = live();
    const ema = new WeightEma(vars, fixed(0.5, 0));
    w.assign(tf.tensor1d([2, 2]));
    ema.update(0);
    const state = await ema.exportState('ema');
    expect(state.meta).toEqual({ initialized: true });
    expect(state.tensors.map((t) => t.name).sort()).toEqual(['ema/g/bn/moving_mean', 'ema/g/w']);
    const resumed = new WeightEma(vars, fixed(0.5, 0));
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
    expect(() => new WeightEma(vars, { ...fixed(0.9, 0), halfLifeImages: Number.POSITIVE_INFINITY })).toThrow(/half-life/);
    expect(() => new WeightEma(vars, { ...fixed(0.9, 0), rampup: 2 })).toThrow(/ramp-up/);
    expect(() => new WeightEma(vars, { ...fixed(0.9, 0), batchSize: 0 })).toThrow(/batch size/);
    expect(() => new WeightEma(vars, fixed(0.9, -1))).toThrow(/start step/);
    const ema = new WeightEma(vars, fixed(0.9, 1));
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
