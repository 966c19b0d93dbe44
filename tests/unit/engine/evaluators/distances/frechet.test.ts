/** Fréchet distance against closed forms: 1-D and diagonal Gaussians, commuting and 2 × 2 covariances, translation, an independent matrix square root, and sampled Gaussians within a tolerance set by N. */
import { describe, expect, it } from 'vitest';
import {
  featureCovariance,
  featureMean,
  featureSet,
  frechetDistance,
  frechetDistanceFromStats,
  gaussianStats,
  type GaussianStats,
} from '../../../../../src-main/engine/evaluators/distances';
import { gaussianSet, randomOrthogonal, randomSpd, withEigenvalues } from './gaussian-sets';

function diagonal(values: number[]): Float64Array {
  const n = values.length;
  const out = new Float64Array(n * n);
  values.forEach((v, i) => (out[i * n + i] = v));
  return out;
}

function stats(mean: number[], covariance: Float64Array): GaussianStats {
  return { dims: mean.length, mean: Float64Array.from(mean), covariance };
}

function trace(m: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += m[i * n + i]!;
  return t;
}

function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) out[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return out;
}

/** Gauss–Jordan inverse with partial pivoting. */
function inverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[pivot * n + c]!)) pivot = r;
    for (const x of [m, inv]) for (let k = 0; k < n; k++) [x[c * n + k], x[pivot * n + k]] = [x[pivot * n + k]!, x[c * n + k]!];
    const p = m[c * n + c]!;
    for (const x of [m, inv]) for (let k = 0; k < n; k++) x[c * n + k]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      for (const x of [m, inv]) for (let k = 0; k < n; k++) x[r * n + k]! -= f * x[c * n + k]!;
    }
  }
  return inv;
}

/**
 * tr √(Σ1 Σ2) by the Denman–Beavers iteration on the (non-symmetric) product, a different route
 * from the code's eigen-decompositions: Σ1Σ2 is similar to Σ1^½ Σ2 Σ1^½, so the traces agree.
 */
function traceSqrtProduct(s1: Float64Array, s2: Float64Array, n: number): number {
  let y = matmul(s1, s2, n);
  let z = diagonal(new Array(n).fill(1));
  for (let k = 0; k < 50; k++) {
    const yi = inverse(y, n);
    const zi = inverse(z, n);
    y = y.map((v, i) => 0.5 * (v + zi[i]!));
    z = z.map((v, i) => 0.5 * (v + yi[i]!));
  }
  return trace(y, n);
}

describe('frechetDistanceFromStats against closed forms', () => {
  it('1-D: (μ1 − μ2)² + (σ1 − σ2)²', () => {
    // μ 1 vs −0.5, σ 2 vs 0.5: 1.5² + 1.5² = 4.5.
    expect(frechetDistanceFromStats(stats([1], diagonal([4])), stats([-0.5], diagonal([0.25])))).toBeCloseTo(4.5, 12);
  });

  it('diagonal covariances: |Δμ|² + Σ(σ1,i − σ2,i)²', () => {
    // Δμ = (−1, 0, 2, 0): 5. σ1 = (1, 2, 0.5, 3), σ2 = (2, 1, 0.5, 0.1): 1 + 1 + 0 + 8.41 = 10.41.
    const a = stats([0, 1, 2, 3], diagonal([1, 4, 0.25, 9]));
    const b = stats([1, 1, 0, 3], diagonal([4, 1, 0.25, 0.01]));
    expect(frechetDistanceFromStats(a, b)).toBeCloseTo(15.41, 11);
  });

  it('commuting covariances (a shared random eigenbasis): |Δμ|² + Σ(√a_i − √b_i)², here with a singular Σ1', () => {
    // Eigenvalues a = (1, 4, 9, 0.25, 0), b = (4, 1, 9, 1, 2): (1 − 2)² + (2 − 1)² + 0 + (0.5 − 1)² + (0 − √2)² = 4.25.
    // The zero eigenvalue of Σ1 comes back as ±1e-16; without the clamp its square root would be NaN.
    const q = randomOrthogonal(5, 21);
    const a = stats([0, 0, 0, 0, 0], withEigenvalues(q, [1, 4, 9, 0.25, 0]));
    const b = stats([0, 0, 3, 0, -4], withEigenvalues(q, [4, 1, 9, 1, 2]));
    expect(frechetDistanceFromStats(a, b)).toBeCloseTo(25 + 4.25, 11);
  });

  it('translation only (Σ1 = Σ2): |Δμ|², whatever the covariance', () => {
    const cov = randomSpd(12, 5);
    const mean2 = Array.from({ length: 12 }, (_, i) => (i % 3) - 1); // eight ±1 entries: 8
    expect(frechetDistanceFromStats(stats(new Array(12).fill(0), cov), stats(mean2, cov))).toBeCloseTo(8, 9);
  });

  it('non-commuting 2 × 2: tr √M = √(tr Σ1Σ2 + 2 √(det Σ1 det Σ2))', () => {
    // For a 2 × 2 PSD M with eigenvalues p, q: (√p + √q)² = tr M + 2√det M, and M = Σ1^½Σ2Σ1^½ has
    // tr M = tr Σ1Σ2 = 2·1 + 2·4 = 10 and det M = 3·4 = 12. FD = 4 + 5 − 2√(10 + 2√12).
    const a = stats([0, 0], Float64Array.of(2, 1, 1, 2));
    const b = stats([0, 0], Float64Array.of(1, 0, 0, 4));
    expect(frechetDistanceFromStats(a, b)).toBeCloseTo(9 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12)), 12);
  });

  it('general 10 × 10 covariances: matches an independent Denman–Beavers square root of Σ1Σ2, and is symmetric in its arguments', () => {
    const n = 10;
    const s1 = randomSpd(n, 41, 0.5);
    const s2 = randomSpd(n, 42, 0.5);
    const mean1 = Array.from({ length: n }, (_, i) => Math.sin(i));
    const mean2 = Array.from({ length: n }, (_, i) => Math.cos(i));
    const dm = mean1.reduce((s, m, i) => s + (m - mean2[i]!) ** 2, 0);
    const expected = dm + trace(s1, n) + trace(s2, n) - 2 * traceSqrtProduct(s1, s2, n);
    const fd = frechetDistanceFromStats(stats(mean1, s1), stats(mean2, s2));
    expect(Math.abs(fd - expected) / expected).toBeLessThan(1e-9);
    expect(Math.abs(frechetDistanceFromStats(stats(mean2, s2), stats(mean1, s1)) - fd) / fd).toBeLessThan(1e-10);
  });

  it('refuses parameters of different sizes', () => {
    expect(() => frechetDistanceFromStats(stats([0], diagonal([1])), stats([0, 0], diagonal([1, 1])))).toThrow(/sizes/);
  });
});

describe('gaussianStats and frechetDistance on feature sets', () => {
  it('mean and unbiased covariance by hand', () => {
    // Rows (1, 2), (3, 6), (5, 7): mean (3, 5); centred (−2, −3), (0, 1), (2, 2);
    // covariance [[4 + 0 + 4, 6 + 0 + 4], [6 + 0 + 4, 9 + 1 + 4]] / (3 − 1).
    const set = featureSet(3, 2, Float32Array.of(1, 2, 3, 6, 5, 7));
    const { mean, covariance } = gaussianStats(set);
    expect([...mean]).toEqual([3, 5]);
    expect([...covariance]).toEqual([4, 5, 5, 7]);
  });

  it('the covariance of 150 features (several 64-wide tiles) matches a plain double loop', () => {
    const set = gaussianSet(40, new Array(150).fill(2), Array.from({ length: 150 }, (_, i) => 1 + (i % 5)), 3);
    const mean = featureMean(set);
    const cov = featureCovariance(set, mean);
    const d = 150;
    let worst = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let r = 0; r < set.rows; r++) s += (set.data[r * d + i]! - mean[i]!) * (set.data[r * d + j]! - mean[j]!);
        worst = Math.max(worst, Math.abs(s / (set.rows - 1) - cov[i * d + j]!));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('identical sets are at distance 0, even with fewer samples than features (singular covariances)', () => {
    const set = gaussianSet(30, new Array(80).fill(0.5), new Array(80).fill(1), 8);
    const tr = trace(gaussianStats(set).covariance, 80);
    expect(frechetDistance(set, set)).toBeLessThan(1e-10 * tr);
  });

  it('a translated copy of a set is at |shift|², the covariances being equal', () => {
    const set = gaussianSet(30, new Array(20).fill(0), new Array(20).fill(2), 9);
    const shifted = { ...set, data: set.data.map((v, i) => v + ((i % 20) < 5 ? 1 : 0)) };
    expect(frechetDistance(set, shifted)).toBeCloseTo(5, 9);
  });

  it('sampled diagonal Gaussians converge to the closed form within 4 first-order standard deviations plus the 1/N bias', () => {
    const mu1 = [0, 0, 0];
    const sd1 = [1, 2, 0.5];
    const mu2 = [1, -0.5, 0.25];
    const sd2 = [1.5, 1, 0.5];
    // Closed form: |Δμ|² = 1.3125, Σ(σ1 − σ2)² = 0.25 + 1 + 0 = 1.25.
    const exact = 2.5625;
    // Delta method, to first order: FD moves by Σ 2Δμ_i ε_i + 2(σ1,i − σ2,i)(δσ1,i − δσ2,i) with
    // var ε_i = (σ1,i² + σ2,i²)/N and var δσ ≈ σ²/(2N); the off-diagonal covariance noise acts only at
    // second order here. The bias, (tr Σ1 + tr Σ2)/N from the means and O(D/N) from the rest, is bounded by twice that.
    let varianceTimesN = 0;
    let traces = 0;
    for (let i = 0; i < 3; i++) {
      const s = sd1[i]! ** 2 + sd2[i]! ** 2;
      varianceTimesN += 4 * (mu1[i]! - mu2[i]!) ** 2 * s + 2 * (sd1[i]! - sd2[i]!) ** 2 * s;
      traces += s;
    }
    for (const n of [2000, 20000]) {
      const a = gaussianSet(n, mu1, sd1, 1000 + n, 0);
      const b = gaussianSet(n, mu2, sd2, 1000 + n, 1);
      const tolerance = 4 * Math.sqrt(varianceTimesN / n) + (2 * traces) / n;
      expect(Math.abs(frechetDistance(a, b) - exact)).toBeLessThan(tolerance);
    }
  });

  it('refuses sets of different widths', () => {
    expect(() => frechetDistance(gaussianSet(5, [0, 0], [1, 1], 1), gaussianSet(5, [0], [1], 1))).toThrow(/width/);
  });
});
