/** Label targets: hard, one-sided exact, two-sided inside the article's ranges and replayable from the seed. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultTrainingConfig } from '../../../../src-main/common/training-config';
import { Rng } from '../../../../src-main/common/rng';
import { labelTargets, type LabelSmoothingConfig } from '../../../../src-main/engine/objectives/label-smoothing';

const base = defaultTrainingConfig().stabilizers.labelSmoothing;
const cfg = (over: Partial<LabelSmoothingConfig>): LabelSmoothingConfig => ({ ...base, ...over });

function values(t: tf.Tensor1D | number): number[] {
  if (typeof t === 'number') throw new Error('expected per-sample targets');
  return Array.from(t.dataSync());
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('labelTargets', () => {
  it('none gives 1 and 0 and draws nothing', () => {
    const rng = new Rng(7);
    const before = rng.getState();
    expect(labelTargets(cfg({ mode: 'none' }), 8, rng)).toEqual({ real: 1, fake: 0 });
    expect(rng.getState()).toEqual(before);
  });

  it('one-sided gives exactly realTarget for reals and 0 for fakes', () => {
    expect(labelTargets(cfg({ mode: 'one-sided' }), 8, new Rng(7))).toEqual({ real: 0.9, fake: 0 });
    expect(labelTargets(cfg({ mode: 'one-sided', realTarget: 0.8 }), 8, new Rng(7))).toEqual({ real: 0.8, fake: 0 });
  });

  it('two-sided: every draw lies in [0.7, 0.9] (real) and [0.1, 0.3] (fake), spread over the range', () => {
    const rng = new Rng(11);
    const reals: number[] = [];
    const fakes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = labelTargets(cfg({ mode: 'two-sided' }), 64, rng);
      reals.push(...values(t.real));
      fakes.push(...values(t.fake));
      tf.dispose([t.real, t.fake]);
    }
    expect(reals.length).toBe(3200);
    // float32 storage may round a bound by an ulp.
    expect(Math.min(...reals)).toBeGreaterThanOrEqual(Math.fround(0.7));
    expect(Math.max(...reals)).toBeLessThanOrEqual(Math.fround(0.9));
    expect(Math.min(...fakes)).toBeGreaterThanOrEqual(Math.fround(0.1));
    expect(Math.max(...fakes)).toBeLessThanOrEqual(Math.fround(0.3));
    // Uniform: the mean sits mid-range and both ends are reached.
    expect(reals.reduce((a, b) => a + b, 0) / reals.length).toBeCloseTo(0.8, 2);
    expect(Math.min(...reals)).toBeLessThan(0.705);
    expect(Math.max(...fakes)).toBeGreaterThan(0.295);
  });

  it('two-sided honours edited ranges and is deterministic for a seed', () => {
    const c = cfg({ mode: 'two-sided', realMin: 0.8, realMax: 1, fakeMin: 0, fakeMax: 0.05 });
    const a = labelTargets(c, 16, new Rng(3, 5));
    const b = labelTargets(c, 16, new Rng(3, 5));
    const other = labelTargets(c, 16, new Rng(4, 5));
    expect(values(a.real)).toEqual(values(b.real));
    expect(values(a.fake)).toEqual(values(b.fake));
    expect(values(a.real)).not.toEqual(values(other.real));
    expect(values(a.real).every((v) => v >= 0.8 && v <= 1)).toBe(true);
    expect(values(a.fake).every((v) => v >= 0 && v <= Math.fround(0.05))).toBe(true);
    tf.dispose([a.real, a.fake, b.real, b.fake, other.real, other.fake]);
  });

  it('draws n reals then n fakes from the stream', () => {
    const rng = new Rng(9);
    const t = labelTargets(cfg({ mode: 'two-sided' }), 4, rng);
    const replay = new Rng(9);
    const u = Array.from({ length: 8 }, () => replay.nextFloat());
    values(t.real).forEach((v, i) => expect(v).toBeCloseTo(0.7 + 0.2 * (u[i] ?? 0), 6));
    values(t.fake).forEach((v, i) => expect(v).toBeCloseTo(0.1 + 0.2 * (u[4 + i] ?? 0), 6));
    expect(rng.getState()).toEqual(replay.getState());
    tf.dispose([t.real, t.fake]);
  });

  it('rejects a bad batch size or an inverted range', () => {
    expect(() => labelTargets(cfg({ mode: 'none' }), 0, new Rng(1))).toThrow(/batch size/);
    expect(() => labelTargets(cfg({ mode: 'two-sided', realMin: 0.9, realMax: 0.7 }), 4, new Rng(1))).toThrow(/range/);
  });
});
