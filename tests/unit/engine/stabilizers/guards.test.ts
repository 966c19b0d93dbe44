/**
 * The stabilizers' state plumbing refuses what would restore the wrong values, naming what is wrong:
 * a missing, mistyped, mis-shaped or short tensor, a parameter average without a valid count; and
 * the slot helpers' edge cases (no prefix, swapped weights restored after a throw or a promise).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../../src-main/common/rng';
import { WeightEma } from '../../../../src-main/engine/stabilizers/ema';
import { addInstanceNoise, instanceNoiseStd } from '../../../../src-main/engine/stabilizers/instance-noise';
import { ParameterAverage } from '../../../../src-main/engine/stabilizers/parameter-average';
import { assertFloatVariables, readFloat, sameShape, slotKey, snapshotFloat, withSwapped, type StoredTensor } from '../../../../src-main/engine/stabilizers/slot-state';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const stored = (name: string, shape: number[], data: number[], dtype = 'float32'): StoredTensor => ({
  name,
  shape,
  dtype,
  data: dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data),
});

describe('slot state', () => {
  it('names a slot behind its prefix, and without one when the prefix is absent or empty', () => {
    expect(slotKey('ema', 'w')).toBe('ema/w');
    expect(slotKey(undefined, 'w')).toBe('w');
    expect(slotKey('', 'w')).toBe('w');
  });

  it('compares shapes by length and every dimension', () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([2, 3], [2, 3, 1])).toBe(false);
    expect(sameShape([2, 3, 1], [2, 3])).toBe(false);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2, 3], [2, 4])).toBe(false);
    expect(sameShape([], [])).toBe(true);
  });

  it('reads an entry only when it exists, is float32, has the expected shape and as many values as the shape', () => {
    const tensors = [stored('a', [2, 2], [1, 2, 3, 4]), stored('i', [2], [1, 2], 'int32'), stored('short', [2, 2], [1, 2, 3])];
    expect(readFloat(tensors, 'a', [2, 2]).data).toEqual(Float32Array.from([1, 2, 3, 4]));
    expect(readFloat(tensors, 'a').shape).toEqual([2, 2]);
    expect(() => readFloat(tensors, 'b')).toThrow('state has no tensor b');
    expect(() => readFloat(tensors, 'i')).toThrow('state tensor i has dtype int32, expected float32');
    expect(() => readFloat(tensors, 'a', [4])).toThrow('state tensor a has shape [2,2], expected [4]');
    expect(() => readFloat(tensors, 'short')).toThrow('state tensor short holds 3 values for shape [2,2]');
  });

  it('snapshots only float32 tensors, as a copy', async () => {
    const t = tf.tensor1d([1, 2]);
    const snap = await snapshotFloat('t', t);
    expect(snap).toEqual({ name: 't', shape: [2], dtype: 'float32', data: Float32Array.from([1, 2]) });
    await expect(snapshotFloat('n', tf.tensor1d([1], 'int32'))).rejects.toThrow('cannot snapshot n: dtype int32, expected float32');
  });

  it('refuses variables that are not float32, naming the owner and the variable', () => {
    expect(() => assertFloatVariables(new Map([['steps', tf.variable(tf.tensor1d([1], 'int32'))]]), 'WeightEma')).toThrow(
      'WeightEma: variable steps has dtype int32, expected float32',
    );
  });

  it('swaps values in for a synchronous function and puts the originals back, also after a throw, and refuses a promise', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const vars = new Map([['v', v]]);
    const swapped = new Map([['v', tf.tensor1d([5, 6])]]);
    expect(withSwapped(vars, swapped, () => Array.from(v.dataSync()))).toEqual([5, 6]);
    expect(Array.from(v.dataSync())).toEqual([1, 2]);
    expect(() =>
      withSwapped(vars, swapped, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Array.from(v.dataSync())).toEqual([1, 2]);
    expect(() => withSwapped(vars, swapped, () => Promise.resolve(1))).toThrow('the swapped-in weights need a synchronous function');
    expect(Array.from(v.dataSync())).toEqual([1, 2]);
    // A value without a variable of its name changes nothing.
    expect(withSwapped(vars, new Map([['other', tf.tensor1d([9, 9])]]), () => Array.from(v.dataSync()))).toEqual([1, 2]);
  });
});

describe('ParameterAverage state', () => {
  const make = () => new ParameterAverage(new Map([['w', tf.variable(tf.tensor1d([1, 2]))]]));

  it('refuses a state without a whole, non-negative count, and keeps its own average', async () => {
    const avg = make();
    avg.update();
    const good = await avg.exportState('avg');
    for (const meta of [null, {}, { count: '1' }, { count: 1.5 }, { count: -1 }]) {
      expect(() => avg.importState({ meta, tensors: good.tensors }, 'avg'), JSON.stringify(meta)).toThrow('parameter average state has no valid count');
      expect(avg.updates).toBe(1);
    }
    // Count 0 needs no tensors; a positive count needs every average, by prefix.
    avg.importState({ meta: { count: 0 }, tensors: [] }, 'avg');
    expect(avg.updates).toBe(0);
    expect(() => avg.importState({ meta: { count: 2 }, tensors: good.tensors }, 'other')).toThrow('state has no tensor other/w');
    avg.importState({ meta: { count: 2 }, tensors: good.tensors }, 'avg');
    expect(avg.updates).toBe(2);
    avg.dispose();
  });

  it('is unusable after dispose, and a second dispose is harmless', async () => {
    const avg = make();
    avg.dispose();
    avg.dispose();
    expect(() => avg.update()).toThrow('ParameterAverage was disposed');
    expect(() => avg.withAveraged(() => 1)).toThrow('ParameterAverage was disposed');
    await expect(avg.exportState()).rejects.toThrow('ParameterAverage was disposed');
  });
});

describe('WeightEma', () => {
  const schedule = { halfLifeImages: 100, rampup: 0, batchSize: 10, startStep: 0 };
  const vars = () => new Map([['w', tf.variable(tf.tensor1d([1, 2]))]]);

  it('refuses a schedule it cannot follow, naming the field and the value; takes the bounds themselves', () => {
    const make = (patch: Partial<typeof schedule>) => () => new WeightEma(vars(), { ...schedule, ...patch });
    expect(make({ halfLifeImages: -1 })).toThrow('EMA half-life must be a finite number of images ≥ 0, got -1');
    expect(make({ halfLifeImages: Number.POSITIVE_INFINITY })).toThrow('got Infinity');
    expect(make({ rampup: -0.01 })).toThrow('EMA ramp-up must be in [0, 1], got -0.01');
    expect(make({ rampup: 1.01 })).toThrow('EMA ramp-up must be in [0, 1], got 1.01');
    expect(make({ batchSize: 0 })).toThrow('EMA batch size must be a positive integer, got 0');
    expect(make({ batchSize: 1.5 })).toThrow('got 1.5');
    expect(make({ startStep: -1 })).toThrow('EMA start step must be a non-negative integer, got -1');
    expect(make({ startStep: 0.5 })).toThrow('got 0.5');
    for (const ok of [{ halfLifeImages: 0 }, { rampup: 0 }, { rampup: 1 }, { batchSize: 1 }]) make(ok)().dispose();
  });

  it('refuses a state without a boolean initialized flag or with a missing tensor, and keeps its own EMA', async () => {
    const ema = new WeightEma(vars(), schedule);
    ema.update(1);
    const good = await ema.exportState('ema');
    for (const meta of [null, {}, { initialized: 'yes' }, { initialized: 1 }]) {
      expect(() => ema.importState({ meta, tensors: good.tensors }, 'ema'), JSON.stringify(meta)).toThrow('EMA state has no valid initialized flag');
      expect(ema.ready).toBe(true);
    }
    expect(() => ema.importState({ meta: { initialized: true }, tensors: [] }, 'ema')).toThrow('state has no tensor ema/w');
    expect(ema.ready).toBe(true);
    ema.importState({ meta: { initialized: false }, tensors: [] });
    expect(ema.ready).toBe(false);
    expect(await ema.exportState()).toEqual({ meta: { initialized: false }, tensors: [] });
    ema.dispose();
    ema.dispose();
    expect(() => ema.update(2)).toThrow('WeightEma was disposed');
    expect(() => ema.withEma(() => 1)).toThrow('WeightEma was disposed');
  });

  it('before its first update runs fn on the live weights; after it, on the averages, restoring the live ones', () => {
    const v = vars();
    const ema = new WeightEma(v, { ...schedule, startStep: 1 });
    const w = v.get('w')!;
    expect(ema.withEma(() => Array.from(w.dataSync()))).toEqual([1, 2]);
    ema.update(1);
    w.assign(tf.tensor1d([3, 4]));
    // Step 1 ≤ startStep copied; step 2 averages with β = 0.5^(10/100) for the 10 images seen before it.
    ema.update(2);
    const beta = 0.5 ** 0.1;
    const inside = ema.withEma(() => Array.from(w.dataSync()));
    [1, 2].forEach((x, i) => expect(inside[i]).toBeCloseTo(beta * x + (1 - beta) * (x + 2), 5));
    expect(Array.from(w.dataSync())).toEqual([3, 4]);
    ema.dispose();
  });

  it('holds one shadow per weight: copying again, importing and disposing free what they replace', async () => {
    const v = vars();
    const ema = new WeightEma(v, { ...schedule, startStep: 3 });
    ema.update(1);
    // Steps up to startStep copy the live weights into the shadow that exists, not into a new one.
    v.get('w')!.assign(tf.tensor1d([5, 6]));
    const afterAssign = tf.memory().numTensors;
    ema.update(2);
    ema.update(3);
    expect(tf.memory().numTensors).toBe(afterAssign);
    expect(ema.withEma(() => Array.from(v.get('w')!.dataSync()))).toEqual([5, 6]);
    // Importing replaces the shadows: the old ones are freed, the new ones take their place.
    const state = await ema.exportState();
    ema.importState(state);
    expect(tf.memory().numTensors).toBe(afterAssign);
    ema.dispose();
    expect(tf.memory().numTensors).toBe(afterAssign - 1);
    v.get('w')!.dispose();
  });
});

describe('instance noise', () => {
  it('σ is 0 for a zero or negative std, the std without annealing, and anneals linearly to 0', () => {
    expect(instanceNoiseStd({ std: 0, annealSteps: 10 }, 0)).toBe(0);
    expect(instanceNoiseStd({ std: -1, annealSteps: 0 }, 0)).toBe(0);
    expect(instanceNoiseStd({ std: 0.5, annealSteps: 0 }, 1000)).toBe(0.5);
    expect(instanceNoiseStd({ std: 0.5, annealSteps: 10 }, 5)).toBeCloseTo(0.25, 12);
    expect(instanceNoiseStd({ std: 0.5, annealSteps: 10 }, 10)).toBe(0);
    expect(instanceNoiseStd({ std: 0.5, annealSteps: 10 }, 20)).toBe(0);
    expect(instanceNoiseStd({ std: 0.5, annealSteps: 10 }, -5)).toBe(0.5);
  });

  it('adds σ times the stream’s normals to every value, the last one included', () => {
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    const out = Array.from(addInstanceNoise(x, 2, new Rng(4, 7)).dataSync());
    const expected = Array.from(new Rng(4, 7).normals(4), (n) => Math.fround(2 * n));
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(out[3]).not.toBe(0);
    expect(() => addInstanceNoise(x, -0.1, new Rng(1))).toThrow('instance noise σ must be a non-negative number, got -0.1');
    expect(() => addInstanceNoise(x, Number.POSITIVE_INFINITY, new Rng(1))).toThrow('got Infinity');
  });
});
