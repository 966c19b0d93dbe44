/** Seeded feature sets for the distance tests: Gaussian samples with given means and per-feature scales, and random matrices. */
import { Rng } from '../../../../../src-main/common/rng';
import type { FeatureSet } from '../../../../../src-main/engine/evaluators/distances';

/** rows samples of N(mean, diag(scale²)); every row drawn from its own place in the seeded stream. */
export function gaussianSet(rows: number, mean: number[], scale: number[], seed: number, stream = 0): FeatureSet {
  const dims = mean.length;
  const rng = new Rng(seed, stream);
  const data = new Float64Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < dims; c++) data[r * dims + c] = mean[c]! + scale[c]! * rng.nextNormal();
  }
  return { rows, dims, data };
}

/** An n × n matrix of standard normals (row-major). */
export function normalMatrix(n: number, seed: number): Float64Array {
  return Float64Array.from(new Rng(seed, 1).normals(n * n));
}

/** A random orthogonal n × n matrix: Gram–Schmidt on a normal matrix's rows (written here, not taken from the code under test). */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const q = normalMatrix(n, seed);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < i; p++) {
      let dot = 0;
      for (let t = 0; t < n; t++) dot += q[i * n + t]! * q[p * n + t]!;
      for (let t = 0; t < n; t++) q[i * n + t]! -= dot * q[p * n + t]!;
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += q[i * n + t]! ** 2;
    norm = Math.sqrt(norm);
    for (let t = 0; t < n; t++) q[i * n + t]! /= norm;
  }
  return q;
}

/** Qᵀ diag(values) Q for Q given by rows: a symmetric matrix with those eigenvalues. */
export function withEigenvalues(q: Float64Array, values: number[]): Float64Array {
  const n = values.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[k * n + i]! * values[k]! * q[k * n + j]!;
      out[i * n + j] = s;
    }
  }
  return out;
}

/** B Bᵀ + shift·I for a normal B: symmetric positive definite. */
export function randomSpd(n: number, seed: number, shift = 0.1): Float64Array {
  const b = normalMatrix(n, seed);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? shift : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      out[i * n + j] = s;
    }
  }
  return out;
}
