/** KID: the unbiased MMD² of each subset against explicit triple loops in float64, its exact value for a set against itself, ≈ 0 for two samples of one distribution, clearly positive for shifted ones. */
import { describe, expect, it } from 'vitest';
import { kernelInceptionDistance, kidSubsets, polynomialKernel, type FeatureSet } from '../../../../../src-main/engine/evaluators/distances';
import { gaussianSet } from './gaussian-sets';

/** k(x_a, y_b) with its own dot-product loop. */
function kernel(x: FeatureSet, a: number, y: FeatureSet, b: number): number {
  const d = x.dims;
  let dot = 0;
  for (let t = 0; t < d; t++) dot += x.data[a * d + t]! * y.data[b * d + t]!;
  return (dot / d + 1) ** 3;
}

/** The unbiased MMD² of rows xs of x against rows ys of y, written out: Σ_{i≠j} k(x,x)/(m(m−1)) + Σ_{i≠j} k(y,y)/(m(m−1)) − 2 Σ_{i,j} k(x,y)/m². */
function explicitMmd2(x: FeatureSet, xs: ArrayLike<number>, y: FeatureSet, ys: ArrayLike<number>): number {
  const m = xs.length;
  let kxx = 0;
  let kyy = 0;
  let kxy = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i !== j) {
        kxx += kernel(x, xs[i]!, x, xs[j]!);
        kyy += kernel(y, ys[i]!, y, ys[j]!);
      }
      kxy += kernel(x, xs[i]!, y, ys[j]!);
    }
  }
  return (kxx + kyy) / (m * (m - 1)) - (2 * kxy) / (m * m);
}

const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const D = 8;
const zeros = new Array(D).fill(0);
const ones = new Array(D).fill(1);

describe('polynomialKernel', () => {
  it('is (xᵀy/d + 1)³', () => {
    expect(polynomialKernel(8, 4)).toBe(27);
    expect(polynomialKernel(-4, 4)).toBe(0);
  });
});

describe('kernelInceptionDistance', () => {
  it('with one subset of every sample, equals the explicit float64 unbiased MMD² within 1e-4 (in fact to 1e-10)', () => {
    // 100 and 130 rows: several 64-row tiles, partial ones at the edges; subsetSize is capped at 100.
    const real = gaussianSet(100, zeros, ones, 1);
    const fake = gaussianSet(100, new Array(D).fill(0.3), new Array(D).fill(1.2), 2);
    const kid = kernelInceptionDistance(real, fake, { subsets: 1, subsetSize: 100 });
    const expected = explicitMmd2(real, all(100), fake, all(100));
    expect(Math.abs(kid.mean - expected)).toBeLessThan(1e-4);
    expect(Math.abs(kid.mean - expected) / Math.abs(expected)).toBeLessThan(1e-10);
    expect(kid.subsetSize).toBe(100);
    expect(Number.isNaN(kid.std)).toBe(true);
  });

  it('takes float32 features as they are, each value widened to float64', () => {
    const real = gaussianSet(70, zeros, ones, 3);
    const fake = gaussianSet(70, zeros, new Array(D).fill(2), 4);
    const real32 = { ...real, data: Float32Array.from(real.data) };
    const fake32 = { ...fake, data: Float32Array.from(fake.data) };
    const kid = kernelInceptionDistance(real32, fake32, { subsets: 1, subsetSize: 70 });
    expect(Math.abs(kid.mean - explicitMmd2(real32, all(70), fake32, all(70)))).toBeLessThan(1e-10);
  });

  it('each random subset’s value is the explicit MMD² of the rows kidSubsets names (sets of different sizes)', () => {
    const real = gaussianSet(150, zeros, ones, 5);
    const fake = gaussianSet(210, new Array(D).fill(0.2), ones, 6);
    const kid = kernelInceptionDistance(real, fake, { subsets: 4, subsetSize: 70, seed: 11 });
    const drawn = kidSubsets(150, 210, 4, 70, 11);
    for (let s = 0; s < 4; s++) {
      expect(new Set(drawn.real[s]).size).toBe(70); // without replacement
      const expected = explicitMmd2(real, drawn.real[s]!, fake, drawn.fake[s]!);
      expect(Math.abs(kid.values[s]! - expected) / Math.abs(expected)).toBeLessThan(1e-10);
    }
    const mean = kid.values.reduce((a, v) => a + v, 0) / 4;
    const std = Math.sqrt(kid.values.reduce((a, v) => a + (v - mean) ** 2, 0) / 3);
    expect(kid.mean).toBeCloseTo(mean, 14);
    expect(kid.std).toBeCloseTo(std, 14);
    expect(kid.standardError).toBeCloseTo(std / 2, 14);
  });

  it('two samples of the same distribution: |mean| within 2 standard errors of 0 for at least 17 of 20 pairs, and the standard error is not inflated', () => {
    // The standard error is honest only while subsets rarely share rows (subsets · m ≤ N, as here):
    // with 50 subsets of 100 from 1000 rows, |mean| / SE had an RMS of 1.6 over 40 seeds, not 1.
    // So: most pairs pass, as ~95% should, and the ratio's spread is about 1 (an SE 3× too large
    // would pass the first check for every pair).
    const ratios: number[] = [];
    for (let pair = 0; pair < 20; pair++) {
      const real = gaussianSet(1000, zeros, ones, 100 + pair);
      const fake = gaussianSet(1000, zeros, ones, 200 + pair);
      const kid = kernelInceptionDistance(real, fake, { subsets: 50, subsetSize: 20, seed: pair });
      ratios.push(kid.mean / kid.standardError);
    }
    expect(ratios.filter((z) => Math.abs(z) < 2).length).toBeGreaterThanOrEqual(17);
    const rms = Math.sqrt(ratios.reduce((a, z) => a + z * z, 0) / ratios.length);
    expect(rms).toBeGreaterThan(0.6);
    expect(rms).toBeLessThan(1.5);
  });

  it('a set against itself: |mean| within 2 standard errors of 0 when subsets are small against the set', () => {
    // Drawing X and Y from the same rows biases the estimate by −O(1/N) (next test); at N = 2000
    // that is a fraction of the standard error of 100 subsets of 20.
    const set = gaussianSet(2000, zeros, ones, 9);
    const kid = kernelInceptionDistance(set, set, { subsets: 100, subsetSize: 20, seed: 2 });
    expect(Math.abs(kid.mean)).toBeLessThan(2 * kid.standardError);
  });

  it('a set against itself in one subset of all N: exactly 2(S − T)/(N(N−1)) − 2S/N², the −O(1/N) bias of drawing X and Y from one finite set', () => {
    // S sums k over all pairs, T over the diagonal; the estimator assumes X and Y independent, which
    // the same rows are not. In expectation over subsets the bias is the same, whatever their size.
    const n = 90;
    const set = gaussianSet(n, zeros, ones, 10);
    let s = 0;
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += kernel(set, i, set, i);
      for (let j = 0; j < n; j++) s += kernel(set, i, set, j);
    }
    const expected = (2 * (s - t)) / (n * (n - 1)) - (2 * s) / (n * n);
    const kid = kernelInceptionDistance(set, set, { subsets: 1, subsetSize: n });
    expect(expected).toBeLessThan(0);
    expect(Math.abs(kid.mean - expected) / Math.abs(expected)).toBeLessThan(1e-10);
  });

  it('shifted sets: clearly positive, many standard errors above 0', () => {
    const real = gaussianSet(600, zeros, ones, 11);
    const fake = gaussianSet(600, new Array(D).fill(0.5), ones, 12);
    const kid = kernelInceptionDistance(real, fake, { subsets: 20, subsetSize: 200, seed: 3 });
    expect(kid.mean).toBeGreaterThan(10 * kid.standardError);
    for (const v of kid.values) expect(v).toBeGreaterThan(0);
  });

  it('the same seed draws the same subsets, another seed others', () => {
    const real = gaussianSet(200, zeros, ones, 13);
    const fake = gaussianSet(200, zeros, ones, 14);
    const options = { subsets: 5, subsetSize: 40 };
    const a = kernelInceptionDistance(real, fake, { ...options, seed: 4 });
    expect([...kernelInceptionDistance(real, fake, { ...options, seed: 4 }).values]).toEqual([...a.values]);
    expect([...kernelInceptionDistance(real, fake, { ...options, seed: 5 }).values]).not.toEqual([...a.values]);
  });

  it('refuses subsets of fewer than 2 samples, no subsets, and sets of different widths', () => {
    const set = gaussianSet(10, zeros, ones, 15);
    expect(() => kernelInceptionDistance(set, set, { subsetSize: 1 })).toThrow(/at least 2/);
    expect(() => kernelInceptionDistance(set, set, { subsets: 0 })).toThrow(/at least one subset/);
    expect(() => kernelInceptionDistance(set, gaussianSet(10, [0], [1], 1))).toThrow(/width/);
  });
});
