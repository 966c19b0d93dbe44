/**
 * Fréchet distance between Gaussians fitted to two feature sets (FID when the features are
 * Inception's): |μ1 − μ2|² + tr Σ1 + tr Σ2 − 2 tr((Σ1^½ Σ2 Σ1^½)^½), in float64.
 *
 * Cost at D features: two covariances (N·D²/2 each), one eigen-decomposition with vectors, two
 * D × D products (1.5·D³) and one eigenvalues-only decomposition, so O(N·D² + D³): at D = 1792 the
 * D³ part dominates whatever N is; about 35 s of one core at N = 2000.
 */
import { checkFeatureSet, checkSameDims, featureCovariance, featureMean, type FeatureSet } from './features';
import { forEachDotTile, type Tile } from './pairwise';
import { symmetricEigen, symmetricEigenvalues } from './symmetric-eigen';

/** A Gaussian fitted to a feature set: its mean and its D × D covariance (row-major, N − 1 divisor). */
export interface GaussianStats {
  dims: number;
  mean: Float64Array;
  covariance: Float64Array;
}

export function gaussianStats(set: FeatureSet): GaussianStats {
  checkFeatureSet(set, 2);
  const mean = featureMean(set);
  return { dims: set.dims, mean, covariance: featureCovariance(set, mean) };
}

export function frechetDistance(a: FeatureSet, b: FeatureSet): number {
  checkSameDims(a, b);
  return frechetDistanceFromStats(gaussianStats(a), gaussianStats(b));
}

/**
 * The distance between two Gaussians given by their parameters. The trace of the square root is
 * Σ √μ_i over the eigenvalues μ_i of Σ1^½ Σ2 Σ1^½; with Σ1 = V Λ Vᵀ that matrix is V (Λ^½ VᵀΣ2V Λ^½) Vᵀ,
 * so the eigenvalues of the inner, symmetric Λ^½ VᵀΣ2V Λ^½ are the same and Σ1^½ is never formed.
 */
export function frechetDistanceFromStats(a: GaussianStats, b: GaussianStats): number {
  const n = a.dims;
  if (b.dims !== n || a.mean.length !== n || b.mean.length !== n || a.covariance.length !== n * n || b.covariance.length !== n * n) {
    throw new Error('Gaussian parameters of different or inconsistent sizes');
  }
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < n; i++) {
    const dm = a.mean[i]! - b.mean[i]!;
    meanTerm += dm * dm;
    traces += a.covariance[i * n + i]! + b.covariance[i * n + i]!;
  }

  const { values: lambda, vectors: vt } = symmetricEigen(a.covariance, n);
  const root = lambda.map((l) => Math.sqrt(rounded(l, lambda, n)));

  // C = Vᵀ Σ2 (row i: eigenvector i against each row of the symmetric Σ2), then B = C V, so
  // B_il = C_i · v_l; then M = Λ^½ B Λ^½.
  const basis = { rows: n, dims: n, data: vt };
  const c = new Float64Array(n * n);
  forEachDotTile(basis, { rows: n, dims: n, data: b.covariance }, (tile) => copyTile(tile, c, n));
  const m = new Float64Array(n * n);
  forEachDotTile(
    { rows: n, dims: n, data: c },
    basis,
    (tile) => {
      for (let i = tile.i0; i < tile.i1; i++) {
        for (let j = Math.max(tile.j0, i); j < tile.j1; j++) {
          // B is symmetric in exact arithmetic, so the upper half is enough (symmetricEigenvalues
          // averages the two triangles anyway).
          const v = root[i]! * tile.values[(i - tile.i0) * tile.width + (j - tile.j0)]! * root[j]!;
          m[i * n + j] = v;
          m[j * n + i] = v;
        }
      }
    },
    { upperOnly: true },
  );

  let traceRoot = 0;
  const mus = symmetricEigenvalues(m, n);
  for (const mu of mus) traceRoot += Math.sqrt(rounded(mu, mus, n));

  // For identical inputs the terms cancel to about 1e-13·tr Σ, either side of 0; a distance is not negative.
  return Math.max(0, meanTerm + traces - 2 * traceRoot);
}

/**
 * An eigenvalue of a positive semi-definite matrix (a covariance, or M) with rounding noise taken
 * out. When the matrix is singular (fewer samples than features, or features that are combinations
 * of others, both common) its zero eigenvalues come back as ±n·ε·λmax: the negative ones would
 * give NaN square roots, and the positive ones √(ε·λmax) each, 1e-8·√λmax, which adds up over
 * hundreds of them. Their true value is 0, and an eigenvalue that small cannot be told from 0.
 */
function rounded(value: number, all: Float64Array, n: number): number {
  const largest = all[all.length - 1]!;
  return value > n * Number.EPSILON * largest ? value : 0;
}

function copyTile(tile: Tile, out: Float64Array, n: number): void {
  for (let i = tile.i0; i < tile.i1; i++) {
    const from = (i - tile.i0) * tile.width;
    out.set(tile.values.subarray(from, from + tile.width), i * n + tile.j0);
  }
}
