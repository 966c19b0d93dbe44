/** Memorization check: nearest training samples by hand and by brute force, a generator returning training rows flagged with the rows it copied, near-copies flagged, fresh samples not, and the closest pairs shown for it. */
import { describe, expect, it } from 'vitest';
import { closestPairs, COPY_RATIO_THRESHOLD, featureSet, median, memorizationCheck, nearestNeighbours, type FeatureSet } from '../../../../../src-main/engine/evaluators/distances';
import { gaussianSet } from './gaussian-sets';

const D = 16;
const zeros = new Array(D).fill(0);
const ones = new Array(D).fill(1);

function float32(set: FeatureSet): FeatureSet {
  return { ...set, data: Float32Array.from(set.data) };
}

/** The given rows of a set, copied. */
function rowsOf(set: FeatureSet, indices: number[]): FeatureSet {
  const data = new Float32Array(indices.length * set.dims);
  indices.forEach((r, i) => data.set(set.data.subarray(r * set.dims, (r + 1) * set.dims), i * set.dims));
  return { rows: indices.length, dims: set.dims, data };
}

describe('nearestNeighbours', () => {
  it('by hand, with a tie going to the lower index', () => {
    // Train (0, 0), (3, 0), (0, 4). (1, 0) → 0 at 1; (3, 1) → 1 at 1; (0, 3.5) → 2 at 0.5;
    // (1.5, 0) is 1.5 from both 0 and 1 → 0.
    const train = featureSet(3, 2, Float64Array.of(0, 0, 3, 0, 0, 4));
    const query = featureSet(4, 2, Float64Array.of(1, 0, 3, 1, 0, 3.5, 1.5, 0));
    const { index, distance } = nearestNeighbours(query, train);
    expect([...index]).toEqual([0, 1, 2, 0]);
    expect([...distance]).toEqual([1, 1, 0.5, 1.5]);
  });

  it('matches a brute-force search over several 64-row tiles', () => {
    const train = gaussianSet(150, zeros, ones, 1);
    const query = gaussianSet(130, zeros, ones, 2);
    const { index, distance } = nearestNeighbours(query, train);
    for (let i = 0; i < query.rows; i++) {
      let best = Infinity;
      let at = -1;
      for (let j = 0; j < train.rows; j++) {
        let s = 0;
        for (let t = 0; t < D; t++) s += (query.data[i * D + t]! - train.data[j * D + t]!) ** 2;
        if (s < best) [best, at] = [s, j];
      }
      expect(index[i]).toBe(at);
      expect(distance[i]).toBeCloseTo(Math.sqrt(best), 10);
    }
  });
});

describe('memorizationCheck', () => {
  const train = float32(gaussianSet(200, zeros, ones, 3));
  const heldOut = float32(gaussianSet(100, zeros, ones, 4));

  it('a generator that returns training images is flagged (ratio 0), and each sample points at the row it copied', () => {
    const copied = Array.from({ length: 50 }, (_, i) => (i * 37 + 11) % 200);
    const report = memorizationCheck(rowsOf(train, copied), train, heldOut);
    expect([...report.nearest.index]).toEqual(copied);
    expect([...report.nearest.distance]).toEqual(new Array(50).fill(0));
    expect(report.copyRatio).toBe(0);
    expect(report.flagged).toBe(true);
    expect(report.threshold).toBe(COPY_RATIO_THRESHOLD);
  });

  it('near-copies (training rows plus noise a twentieth of the data’s scale) are flagged', () => {
    const copied = Array.from({ length: 60 }, (_, i) => (i * 7) % 200);
    const noise = gaussianSet(60, zeros, new Array(D).fill(0.05), 5);
    const near = rowsOf(train, copied);
    near.data.forEach((v, i) => (near.data[i] = v + noise.data[i]!));
    const report = memorizationCheck(near, train, heldOut);
    expect([...report.nearest.index]).toEqual(copied);
    expect(report.copyRatio).toBeLessThan(0.1);
    expect(report.flagged).toBe(true);
  });

  it('new samples of the training distribution are not flagged: the ratio is near 1', () => {
    const generated = float32(gaussianSet(120, zeros, ones, 6));
    const report = memorizationCheck(generated, train, heldOut);
    expect(report.copyRatio).toBeGreaterThan(0.8);
    expect(report.copyRatio).toBeLessThan(1.25);
    expect(report.flagged).toBe(false);
    expect(report.generatedMedian / report.heldOutMedian).toBe(report.copyRatio);
  });

  it('refuses a held-out set that overlaps the training set', () => {
    expect(() => memorizationCheck(heldOut, train, rowsOf(train, [0, 1, 2]))).toThrow(/overlaps/);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median(Float64Array.of(3, 1, 2))).toBe(2);
    expect(median(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
    expect(() => median(new Float64Array(0))).toThrow(/no values/);
  });
});

describe('closestPairs', () => {
  it('keeps the k generated images nearest to their training image, closest first, the earlier one on a tie', () => {
    // Generated row → (nearest training row, distance): 0 → (4, 2.5), 1 → (0, 0.3), 2 → (7, 1), 3 → (2, 0.3),
    // 4 → (1, 0.05), 5 → (4, 9). The three closest: row 4 (0.05), then rows 1 and 3 at 0.3, in row order.
    const nearest = { index: Int32Array.of(4, 0, 7, 2, 1, 4), distance: Float64Array.of(2.5, 0.3, 1, 0.3, 0.05, 9) };
    expect(closestPairs(nearest, 3)).toEqual([
      { query: 4, reference: 1, distance: 0.05 },
      { query: 1, reference: 0, distance: 0.3 },
      { query: 3, reference: 2, distance: 0.3 },
    ]);
    // A tie at the edge goes to the earlier row: row 3 stays out when only two are kept.
    expect(closestPairs(nearest, 2).map((p) => p.query)).toEqual([4, 1]);
    // More than there are: all of them, sorted.
    expect(closestPairs(nearest, 8).map((p) => p.query)).toEqual([4, 1, 3, 2, 0, 5]);
    expect(closestPairs(nearest, 0)).toEqual([]);
  });

  it('is the first k of a full sort by distance, then row, on a search of 200 rows', () => {
    const train = gaussianSet(150, zeros, ones, 11);
    const query = gaussianSet(200, zeros, ones, 12);
    const nearest = nearestNeighbours(query, train);
    const sorted = Array.from(nearest.distance, (distance, query) => ({ query, reference: nearest.index[query]!, distance })).sort(
      (a, b) => a.distance - b.distance || a.query - b.query,
    );
    expect(closestPairs(nearest, 8)).toEqual(sorted.slice(0, 8));
  });
});
