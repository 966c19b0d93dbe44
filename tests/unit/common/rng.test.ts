/** The seeded, serializable PRNG: determinism, exact resume from its state, and sane distributions. */
import { describe, expect, it } from 'vitest';
import { isRngSnapshot, Rng } from '../../../src-main/common/rng';

describe('Rng', () => {
  // Computed from engine/rng.ts before it moved to common: runs resume and reproduce only if these never change.
  it('draws the same numbers it always has for a seed and stream', () => {
    const words = (seed: number, stream: number) => {
      const rng = new Rng(seed, stream);
      return Array.from({ length: 4 }, () => rng.nextUint32());
    };
    expect(words(42, 0)).toEqual([1842945730, 281147842, 3083498718, 1544777462]);
    expect(words(42, 3)).toEqual([3135538344, 699931169, 1588570276, 2443277231]);
    const rng = new Rng(0xdeadbeef, 7);
    expect([rng.nextFloat(), rng.nextInt(1000), rng.nextNormal(), rng.nextNormal()]).toEqual([0.03180159442126751, 915, 0.6602007882300716, -0.9494944426708113]);
    expect(rng.getState()).toEqual({ words: [489562404, 2468462202, 2114145524, 17], spareNormal: null });
  });

  it('gives the same sequence for the same seed and stream, different ones otherwise', () => {
    const seq = (seed: number, stream = 0): number[] => {
      const rng = new Rng(seed, stream);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(seq(42)).toEqual(seq(42));
    expect(seq(42)).not.toEqual(seq(43));
    expect(seq(42, 1)).not.toEqual(seq(42, 2));
  });

  it('resumes exactly from getState(), including a pending Box–Muller normal, through JSON', () => {
    const a = new Rng(7);
    a.nextNormal(); // leaves a spare normal in the state
    const saved = JSON.parse(JSON.stringify(a.getState())) as unknown;
    expect(isRngSnapshot(saved)).toBe(true);
    const b = new Rng(999);
    if (!isRngSnapshot(saved)) throw new Error('unreachable');
    b.setState(saved);
    for (let i = 0; i < 20; i++) {
      expect(b.nextNormal()).toBe(a.nextNormal());
      expect(b.nextFloat()).toBe(a.nextFloat());
      expect(b.nextInt(1000)).toBe(a.nextInt(1000));
    }
  });

  it('keeps nextFloat in [0, 1) and nextInt in [0, n) with every value reachable', () => {
    const rng = new Rng(1);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const k = rng.nextInt(10);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    // Each bucket expects 2000; 5 sigma is about 212.
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(250);
    expect(() => rng.nextInt(0)).toThrow();
  });

  it('draws standard normals', () => {
    const xs = new Rng(3).normals(50_000);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('rejects malformed saved states', () => {
    expect(isRngSnapshot(null)).toBe(false);
    expect(isRngSnapshot({ words: [1, 2, 3], spareNormal: null })).toBe(false);
    expect(isRngSnapshot({ words: [1, 2, 3, -1], spareNormal: null })).toBe(false);
    expect(isRngSnapshot({ words: [1, 2, 3, 4], spareNormal: 'x' })).toBe(false);
    expect(isRngSnapshot({ words: [1, 2, 3, 2 ** 32], spareNormal: null })).toBe(false);
    expect(isRngSnapshot({ words: [1, 2, 3, 1.5], spareNormal: null })).toBe(false);
    expect(isRngSnapshot({ words: [1, 2, 3, 4] })).toBe(false);
    expect(isRngSnapshot('words')).toBe(false);
  });

  it('accepts every state an Rng can be in: words from 0 to 2³² − 1, with or without a spare normal', () => {
    expect(isRngSnapshot({ words: [0, 0, 0, 2 ** 32 - 1], spareNormal: null })).toBe(true);
    expect(isRngSnapshot({ words: [0, 1, 2, 3], spareNormal: -0.25 })).toBe(true);
    expect(isRngSnapshot(new Rng(5).getState())).toBe(true);
  });

  it('draws exactly `count` normals into normals(count), so the stream continues where it stopped', () => {
    const one = new Rng(11);
    const batch = [...one.normals(3), one.nextNormal()];
    const other = new Rng(11);
    const single = Array.from({ length: 4 }, () => other.nextNormal());
    // Float32 rounding of the batch; the fourth draw is the exact double.
    expect(batch.slice(0, 3)).toEqual(single.slice(0, 3).map((x) => Math.fround(x)));
    expect(batch[3]).toBe(single[3]);
  });

  it('refuses a count that is not a positive integer, naming it', () => {
    const rng = new Rng(1);
    expect(() => rng.nextInt(0)).toThrow('nextInt needs a positive integer, got 0');
    expect(() => rng.nextInt(2.5)).toThrow('nextInt needs a positive integer, got 2.5');
    expect(rng.nextInt(1)).toBe(0);
  });
});
