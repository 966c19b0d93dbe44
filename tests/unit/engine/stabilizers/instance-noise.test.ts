/** Instance noise: the linear anneal of σ and seeded Gaussian noise on D inputs. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../../src-main/common/rng';
import { addInstanceNoise, instanceNoiseStd } from '../../../../src-main/engine/stabilizers/instance-noise';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('instanceNoiseStd', () => {
  it('anneals linearly to 0 over annealSteps and stays there', () => {
    const cfg = { std: 0.2, annealSteps: 100 };
    expect(instanceNoiseStd(cfg, 0)).toBeCloseTo(0.2, 12);
    expect(instanceNoiseStd(cfg, 25)).toBeCloseTo(0.15, 12);
    expect(instanceNoiseStd(cfg, 50)).toBeCloseTo(0.1, 12);
    expect(instanceNoiseStd(cfg, 100)).toBe(0);
    expect(instanceNoiseStd(cfg, 500)).toBe(0);
  });

  it('is constant when annealSteps is 0, and 0 when σ is 0', () => {
    expect(instanceNoiseStd({ std: 0.3, annealSteps: 0 }, 10_000)).toBe(0.3);
    expect(instanceNoiseStd({ std: 0, annealSteps: 10 }, 0)).toBe(0);
  });
});

describe('addInstanceNoise', () => {
  it('adds σ times the rng stream’s normals, element by element', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    const noisy = addInstanceNoise(x, 0.5, new Rng(5, 9));
    const n = new Rng(5, 9).normals(8);
    Array.from(noisy.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(i + 1 + 0.5 * (n[i] ?? Number.NaN), 5));
    expect(noisy.shape).toEqual([2, 2, 2, 1]);
    tf.dispose([x, noisy]);
  });

  it('is deterministic for a seed and has the requested spread', () => {
    const x = tf.zeros([4, 16, 16, 3]) as tf.Tensor4D;
    const a = addInstanceNoise(x, 0.3, new Rng(1));
    const b = addInstanceNoise(x, 0.3, new Rng(1));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const values = Array.from(a.dataSync());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(std).toBeCloseTo(0.3, 1);
    tf.dispose([x, a, b]);
  });

  it('σ = 0 returns a copy the caller owns and draws nothing; negative σ throws', () => {
    const x = tf.tensor4d([1, 2], [1, 1, 2, 1]);
    const rng = new Rng(2);
    const state = rng.getState();
    const same = addInstanceNoise(x, 0, rng);
    expect(rng.getState()).toEqual(state);
    same.dispose();
    expect(x.isDisposed).toBe(false);
    expect(() => addInstanceNoise(x, -1, rng)).toThrow(/non-negative/);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) addInstanceNoise(x, 0.1, rng).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
