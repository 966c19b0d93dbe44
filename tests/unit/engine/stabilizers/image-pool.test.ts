/** CycleGAN's image pool: filling, the seeded swap-or-pass rule against hand traces and a replay, its rate, checkpoint round-trips and capacity 0. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src-main/common/rng';
import { ImagePool } from '../../../../src-main/engine/stabilizers/image-pool';

const f32 = (values: number[]): Float32Array => Float32Array.from(values);

/** The documented rule, replayed on plain number arrays with its own copy of the rng. */
function replay(capacity: number, imageSize: number, rng: Rng, stored: number[][], batch: number[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const image = batch.slice(i * imageSize, (i + 1) * imageSize);
    if (stored.length < capacity) {
      stored.push(image);
      out.push(...image);
    } else if (rng.nextFloat() < 0.5) {
      const j = rng.nextInt(capacity);
      out.push(...stored[j]!);
      stored[j] = image;
    } else {
      out.push(...image);
    }
  }
  return out;
}

describe('ImagePool', () => {
  it('returns and stores the first `capacity` images unchanged, drawing nothing', () => {
    const rng = new Rng(11);
    const before = rng.getState();
    const pool = new ImagePool(3, 2, rng);
    expect(Array.from(pool.query(f32([1, 2, 3, 4]), 2))).toEqual([1, 2, 3, 4]);
    expect(pool.size).toBe(2);
    expect(Array.from(pool.query(f32([5, 6]), 1))).toEqual([5, 6]);
    expect(pool.size).toBe(3);
    expect(rng.getState()).toEqual(before);
    expect(pool.exportState()).toEqual({ count: 3, images: f32([1, 2, 3, 4, 5, 6]) });
  });

  it('follows a hand trace: capacity 2, one-value images, Rng(3)', () => {
    // Rng(3).nextFloat() gives 0.4304, 0.5958, 0.1833, 0.0854, 0.6378, 0.4843, 0.1230, 0.0274, …
    // [10]: stored, pool [10].  Then [20, 30, 40, 50, 60]:
    //   20: pool not full → stored and returned, pool [10, 20] (no draw).
    //   30: u 0.4304 < ½ → j = ⌊0.5958·2⌋ = 1: returns 20 (from this same batch), pool [10, 30].
    //   40: u 0.1833 < ½ → j = ⌊0.0854·2⌋ = 0: returns 10, pool [40, 30].
    //   50: u 0.6378 ≥ ½ → returns 50, pool unchanged.
    //   60: u 0.4843 < ½ → j = ⌊0.1230·2⌋ = 0: returns 40, pool [60, 30].
    const rng = new Rng(3);
    const pool = new ImagePool(2, 1, rng);
    expect(Array.from(pool.query(f32([10]), 1))).toEqual([10]);
    expect(Array.from(pool.query(f32([20, 30, 40, 50, 60]), 5))).toEqual([20, 20, 10, 50, 40]);
    expect(pool.exportState()).toEqual({ count: 2, images: f32([60, 30]) });
    // Exactly seven draws were taken: the next is the eighth, 0.0274.
    const reference = new Rng(3);
    for (let k = 0; k < 7; k++) reference.nextFloat();
    expect(rng.nextFloat()).toBe(reference.nextFloat());
  });

  it('matches a replay of the documented rule over many batches of varying size', () => {
    const capacity = 5;
    const imageSize = 3;
    const pool = new ImagePool(capacity, imageSize, new Rng(42, 7));
    const mirror = new Rng(42, 7);
    const stored: number[][] = [];
    let next = 0;
    for (const n of [2, 0, 1, 4, 3, 6, 1, 5, 2, 8, 1, 1, 7]) {
      const batch = Array.from({ length: n * imageSize }, () => next++);
      const got = pool.query(f32(batch), n);
      expect(Array.from(got)).toEqual(replay(capacity, imageSize, mirror, stored, batch, n));
      expect(pool.size).toBe(stored.length);
    }
    expect(Array.from(pool.exportState().images)).toEqual(stored.flat());
    expect(pool.size).toBe(capacity);
  });

  it('once full, returns a stored image about half the time', () => {
    const pool = new ImagePool(10, 1, new Rng(2024));
    pool.query(f32(Array.from({ length: 10 }, (_, i) => -1 - i)), 10);
    // Every new image is unique, so a returned value that differs from the input came from the pool.
    const trials = 4000;
    let fromHistory = 0;
    for (let t = 0; t < trials; t++) if (pool.query(f32([t]), 1)[0] !== t) fromHistory++;
    // Binomial(4000, ½): σ ≈ 31.6; ±160 is five σ.
    expect(Math.abs(fromHistory - trials / 2)).toBeLessThan(160);
  });

  it('continues identically after an export/import round-trip with the rng state', () => {
    const original = new ImagePool(4, 2, new Rng(9));
    const rngB = new Rng(999);
    const restored = new ImagePool(4, 2, rngB);
    const batches = Array.from({ length: 12 }, (_, k) => f32(Array.from({ length: 6 }, (_, i) => k * 10 + i)));
    for (const batch of batches.slice(0, 4)) original.query(batch, 3);
    const state = original.exportState();
    // The owner saves the rng; here it is read off a twin driven through the same draws.
    const twin = new Rng(9);
    const twinPool = new ImagePool(4, 2, twin);
    for (const batch of batches.slice(0, 4)) twinPool.query(batch, 3);
    rngB.setState(twin.getState());
    restored.importState(state);
    expect(restored.size).toBe(4);
    // The exported images are a copy: changing them changes neither pool.
    state.images.fill(-1);
    expect(restored.exportState().images).not.toContain(-1);
    for (const batch of batches.slice(4)) expect(Array.from(restored.query(batch, 3))).toEqual(Array.from(original.query(batch, 3)));
    expect(restored.exportState()).toEqual(original.exportState());
  });

  it('with capacity 0 passes the batch through as a new array and draws nothing', () => {
    const rng = new Rng(5);
    const before = rng.getState();
    const pool = new ImagePool(0, 2, rng);
    const batch = f32([1, 2, 3, 4]);
    for (let k = 0; k < 3; k++) {
      const out = pool.query(batch, 2);
      expect(out).not.toBe(batch);
      expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    }
    expect(pool.size).toBe(0);
    expect(rng.getState()).toEqual(before);
    expect(pool.exportState()).toEqual({ count: 0, images: new Float32Array(0) });
  });

  it('returns a new array that does not alias the pool', () => {
    const pool = new ImagePool(2, 1, new Rng(1));
    const batch = f32([7, 8]);
    const out = pool.query(batch, 2);
    out[0] = 100;
    batch[1] = 200;
    expect(Array.from(pool.exportState().images)).toEqual([7, 8]);
  });

  it('rejects bad arguments and state of the wrong shape before changing anything', () => {
    expect(() => new ImagePool(-1, 4, new Rng(1))).toThrow(/capacity/);
    expect(() => new ImagePool(1.5, 4, new Rng(1))).toThrow(/capacity/);
    expect(() => new ImagePool(2, 0, new Rng(1))).toThrow(/image size/);
    const pool = new ImagePool(2, 3, new Rng(1));
    expect(() => pool.query(f32([1, 2, 3, 4]), 1)).toThrow(/4 values is not 1 images of 3/);
    pool.query(f32([1, 2, 3]), 1);
    expect(() => pool.importState({ count: 3, images: new Float32Array(9) })).toThrow(/holds 3 images; this pool takes an integer from 0 to 2/);
    expect(() => pool.importState({ count: 2, images: new Float32Array(5) })).toThrow(/5 values for 2 images of 3 \(expected 6\)/);
    expect(() => pool.importState({ count: 1, images: [1, 2, 3] as unknown as Float32Array })).toThrow(/Float32Array/);
    expect(pool.exportState()).toEqual({ count: 1, images: f32([1, 2, 3]) });
    pool.importState({ count: 0, images: new Float32Array(0) });
    expect(pool.size).toBe(0);
  });
});
