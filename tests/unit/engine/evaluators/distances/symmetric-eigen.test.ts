/** Symmetric eigen-decomposition: hand-solved 1×1 to 3×3 cases, repeated and zero eigenvalues, and A = VᵀΛV with orthonormal V on random matrices up to 64 × 64. */
import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenvalues } from '../../../../../src-main/engine/evaluators/distances';
import { gaussianSet, normalMatrix, randomOrthogonal, randomSpd, withEigenvalues } from './gaussian-sets';
import { gaussianStats } from '../../../../../src-main/engine/evaluators/distances';

/** ‖A − Vᵀ diag(λ) V‖_F / ‖A‖_F, with V's rows the eigenvectors. */
function reconstructionError(a: Float64Array, values: Float64Array, vectors: Float64Array, n: number): number {
  let err = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[k * n + i]! * values[k]! * vectors[k * n + j]!;
      err += (a[i * n + j]! - s) ** 2;
      norm += a[i * n + j]! ** 2;
    }
  }
  return Math.sqrt(err / norm);
}

/** max |V Vᵀ − I|. */
function orthonormalityError(vectors: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k]! * vectors[j * n + k]!;
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/** The eigenvector equation A v = λ v for each row, as max |Av − λv| / max|λ|. */
function residual(a: Float64Array, values: Float64Array, vectors: Float64Array, n: number): number {
  let worst = 0;
  const scale = Math.max(...values.map(Math.abs), 1e-300);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * vectors[k * n + j]!;
      worst = Math.max(worst, Math.abs(s - values[k]! * vectors[k * n + i]!) / scale);
    }
  }
  return worst;
}

describe('symmetricEigen on hand-solved matrices', () => {
  it('a 1 × 1 matrix is its own eigenvalue, with eigenvector 1', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(-3.5), 1);
    expect([...values]).toEqual([-3.5]);
    expect([...vectors]).toEqual([1]);
  });

  it('[[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    // An eigenvector's sign is arbitrary: compare up to it.
    const s0 = Math.sign(vectors[0]!);
    const s1 = Math.sign(vectors[2]!);
    expect(s0 * vectors[0]!).toBeCloseTo(Math.SQRT1_2, 14);
    expect(s0 * vectors[1]!).toBeCloseTo(-Math.SQRT1_2, 14);
    expect(s1 * vectors[2]!).toBeCloseTo(Math.SQRT1_2, 14);
    expect(s1 * vectors[3]!).toBeCloseTo(Math.SQRT1_2, 14);
  });

  it('the 3 × 3 second-difference matrix [[2,−1,0],[−1,2,−1],[0,−1,2]] has eigenvalues 2 − √2, 2, 2 + √2', () => {
    const a = Float64Array.of(2, -1, 0, -1, 2, -1, 0, -1, 2);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeCloseTo(2 - Math.SQRT2, 14);
    expect(values[1]).toBeCloseTo(2, 14);
    expect(values[2]).toBeCloseTo(2 + Math.SQRT2, 14);
    // The eigenvector of 2 is (1, 0, −1)/√2; of 2 ± √2, (1, ∓√2, 1)/2.
    const s = Math.sign(vectors[3]!);
    expect([...vectors.subarray(3, 6)].map((v) => s * v)).toEqual([Math.SQRT1_2, 0, -Math.SQRT1_2].map((v) => expect.closeTo(v, 14)));
    const t = Math.sign(vectors[6]!);
    expect([...vectors.subarray(6, 9)].map((v) => t * v)).toEqual([0.5, -Math.SQRT1_2, 0.5].map((v) => expect.closeTo(v, 14)));
  });

  it('a diagonal matrix keeps its diagonal (sorted) and the unit vectors', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(5, 0, 0, 0, -1, 0, 0, 0, 2), 3);
    expect([...values]).toEqual([-1, 2, 5]);
    expect([...vectors].map(Math.abs)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
  });

  it('the zero matrix and the identity: all-equal eigenvalues, any orthonormal basis', () => {
    for (const diag of [0, 1]) {
      const n = 5;
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) a[i * n + i] = diag;
      const { values, vectors } = symmetricEigen(a, n);
      expect([...values]).toEqual(new Array(n).fill(diag));
      expect(orthonormalityError(vectors, n)).toBeLessThan(1e-15);
    }
  });

  it('a matrix with a repeated eigenvalue (3, 3, 3, 1, 7) in a random basis', () => {
    const n = 5;
    const a = withEigenvalues(randomOrthogonal(n, 4), [3, 3, 3, 1, 7]);
    const { values, vectors } = symmetricEigen(a, n);
    [1, 3, 3, 3, 7].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 12));
    expect(orthonormalityError(vectors, n)).toBeLessThan(1e-13);
    expect(reconstructionError(a, values, vectors, n)).toBeLessThan(1e-13);
  });

  it('a block-diagonal matrix, whose columns are already zero below the subdiagonal, skips those reflections and stays exact', () => {
    // Blocks [[4, 1], [1, 4]] (3, 5) and [[1, 2], [2, 1]] (−1, 3), and a lone 6.
    const a = Float64Array.from([
      [4, 1, 0, 0, 0],
      [1, 4, 0, 0, 0],
      [0, 0, 1, 2, 0],
      [0, 0, 2, 1, 0],
      [0, 0, 0, 0, 6],
    ].flat());
    const { values, vectors } = symmetricEigen(a, 5);
    [-1, 3, 3, 5, 6].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 14));
    expect(reconstructionError(a, values, vectors, 5)).toBeLessThan(1e-15);
  });

  it('refuses a matrix whose size does not match n', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/n × n/);
  });
});

describe('symmetricEigen on random matrices', () => {
  for (const n of [2, 3, 7, 16, 33, 64]) {
    it(`SPD ${n} × ${n}: A = VᵀΛV to 1e-9, V orthonormal, A v = λ v, λ ascending and positive, Σλ = tr A`, () => {
      const a = randomSpd(n, 100 + n);
      const { values, vectors } = symmetricEigen(a, n);
      expect(reconstructionError(a, values, vectors, n)).toBeLessThan(1e-9);
      expect(orthonormalityError(vectors, n)).toBeLessThan(1e-9);
      expect(residual(a, values, vectors, n)).toBeLessThan(1e-9);
      for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
      expect(values[0]).toBeGreaterThan(0);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i]!;
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
    });
  }

  it('an indefinite symmetric 40 × 40 matrix (A + Aᵀ of normals) also reconstructs', () => {
    const n = 40;
    const g = normalMatrix(n, 9);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j]! + g[j * n + i]!;
    const { values, vectors } = symmetricEigen(a, n);
    expect(values[0]).toBeLessThan(0);
    expect(values[n - 1]).toBeGreaterThan(0);
    expect(reconstructionError(a, values, vectors, n)).toBeLessThan(1e-9);
    expect(orthonormalityError(vectors, n)).toBeLessThan(1e-9);
  });

  it('a rank-3 PSD 20 × 20 matrix: 17 eigenvalues at 0 (to rounding), the 3 given ones exactly', () => {
    const n = 20;
    const given = [0.5, 2, 9];
    const a = withEigenvalues(randomOrthogonal(n, 12), [...new Array(n - 3).fill(0), ...given]);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n - 3; i++) expect(Math.abs(values[i]!)).toBeLessThan(1e-13);
    given.forEach((v, i) => expect(values[n - 3 + i]).toBeCloseTo(v, 12));
    expect(reconstructionError(a, values, vectors, n)).toBeLessThan(1e-13);
  });

  it('the covariance of 30 samples of 80 features (rank 29) converges, with 51 eigenvalues at 0', () => {
    // Its zero eigenvalues come out at ±1e-16·‖A‖ with couplings as small; a convergence test relative
    // to those diagonal entries (rather than to ‖A‖) never accepted them and QL gave up.
    const n = 80;
    const { covariance } = gaussianStats(gaussianSet(30, new Array(n).fill(0.5), new Array(n).fill(1), 8));
    const { values, vectors } = symmetricEigen(covariance, n);
    for (let i = 0; i < 51; i++) expect(Math.abs(values[i]!)).toBeLessThan(1e-13 * values[n - 1]!);
    expect(values[51]).toBeGreaterThan(1e-3);
    expect(reconstructionError(covariance, values, vectors, n)).toBeLessThan(1e-13);
  });

  it('symmetricEigenvalues gives the same eigenvalues without the vectors', () => {
    const n = 30;
    const a = randomSpd(n, 31);
    const full = symmetricEigen(a, n).values;
    const only = symmetricEigenvalues(a, n);
    for (let i = 0; i < n; i++) expect(only[i]).toBeCloseTo(full[i]!, 10);
  });

  it('averages the two triangles of an input that is symmetric only up to rounding', () => {
    const a = Float64Array.of(2, 1 + 1e-12, 1 - 1e-12, 2);
    const { values } = symmetricEigen(a, 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
  });
});
