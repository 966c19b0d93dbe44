/** Feature sets (N samples × D features, row-major) and their float64 mean and covariance, the inputs of every quality distance in this folder. */
import { forEachDotTile } from './pairwise';

/** N rows of D features back to back; Float32 is accepted as it comes from a network, all arithmetic is float64. */
export interface FeatureSet {
  rows: number;
  dims: number;
  data: Float32Array | Float64Array;
}

/** A FeatureSet after checking that its array holds exactly rows × dims values. */
export function featureSet(rows: number, dims: number, data: Float32Array | Float64Array): FeatureSet {
  const set = { rows, dims, data };
  checkFeatureSet(set);
  return set;
}

export function checkFeatureSet(set: FeatureSet, minRows = 1): void {
  const { rows, dims, data } = set;
  if (!Number.isInteger(rows) || !Number.isInteger(dims) || dims < 1) throw new Error(`a feature set needs whole positive sizes, got ${rows} × ${dims}`);
  if (data.length !== rows * dims) throw new Error(`a ${rows} × ${dims} feature set needs ${rows * dims} values, got ${data.length}`);
  if (rows < minRows) throw new Error(`this measure needs at least ${minRows} samples, got ${rows}`);
}

/** Both sets must describe samples in the same feature space. */
export function checkSameDims(a: FeatureSet, b: FeatureSet): void {
  if (a.dims !== b.dims) throw new Error(`feature sets differ in width: ${a.dims} vs ${b.dims}`);
}

export function featureMean(set: FeatureSet): Float64Array {
  checkFeatureSet(set, 1);
  const { rows, dims, data } = set;
  const mean = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    const off = r * dims;
    for (let c = 0; c < dims; c++) mean[c]! += data[off + c]!;
  }
  for (let c = 0; c < dims; c++) mean[c]! /= rows;
  return mean;
}

/**
 * The D × D sample covariance (row-major) with the unbiased N − 1 divisor. Two-pass (centre, then
 * multiply) because the one-pass E[xxᵀ] − μμᵀ cancels badly when features have a large mean, as
 * post-ReLU features do. Costs N·D²/2 multiply-adds (the centred, transposed copy turns each entry
 * into one contiguous dot product, and only the upper half is computed) and N·D float64 of memory:
 * about 3·10⁹ operations and 29 MB at N = 2000, D = 1792.
 */
export function featureCovariance(set: FeatureSet, mean: Float64Array = featureMean(set)): Float64Array {
  checkFeatureSet(set, 2);
  const { rows, dims, data } = set;
  const centredT = new Float64Array(dims * rows);
  for (let r = 0; r < rows; r++) {
    const off = r * dims;
    for (let c = 0; c < dims; c++) centredT[c * rows + r] = data[off + c]! - mean[c]!;
  }
  const columns: FeatureSet = { rows: dims, dims: rows, data: centredT };
  const cov = new Float64Array(dims * dims);
  const divisor = rows - 1;
  forEachDotTile(
    columns,
    columns,
    (tile) => {
      for (let i = tile.i0; i < tile.i1; i++) {
        const from = Math.max(tile.j0, i);
        for (let j = from; j < tile.j1; j++) {
          const v = tile.values[(i - tile.i0) * tile.width + (j - tile.j0)]! / divisor;
          cov[i * dims + j] = v;
          cov[j * dims + i] = v;
        }
      }
    },
    { upperOnly: true },
  );
  return cov;
}
