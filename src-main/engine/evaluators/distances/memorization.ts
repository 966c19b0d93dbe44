/**
 * Memorization check: which training sample each generated sample is nearest to in feature space,
 * and whether generated samples sit closer to the training set than genuinely new images do. The
 * yardstick is a held-out set of real images the generator never saw: their distances to the
 * training set are what "novel but from the same distribution" looks like at this training-set size.
 *
 * Cost: (Ng + Nh)·Nt·D multiply-adds; memory O(Ng + Nh) beyond one tile.
 */
import { checkFeatureSet, checkSameDims, type FeatureSet } from './features';
import { forEachSquaredDistanceTile } from './pairwise';

/**
 * Flagged below 0.5: the typical generated sample is less than half as far from its nearest
 * training image as a typical unseen real image is. A generator that merely fits the distribution
 * sits near 1 (above it while it is still poor); copying pulls the median toward 0 once over half
 * the samples are near-copies. A heuristic, not a test with a false-positive rate: the ratio itself
 * is reported so it can be read on its own.
 */
export const COPY_RATIO_THRESHOLD = 0.5;

export interface NearestNeighbours {
  /** For each query row, the reference row nearest to it (the lowest index on a tie). */
  index: Int32Array;
  /** And its Euclidean distance. */
  distance: Float64Array;
}

export interface MemorizationReport {
  /** Each generated sample's nearest training sample. */
  nearest: NearestNeighbours;
  generatedMedian: number;
  heldOutMedian: number;
  /** generatedMedian / heldOutMedian: ≈ 1 or above for a generator of new images, ≪ 1 for one that copies. */
  copyRatio: number;
  threshold: number;
  flagged: boolean;
}

export function nearestNeighbours(query: FeatureSet, reference: FeatureSet): NearestNeighbours {
  checkFeatureSet(query, 1);
  checkFeatureSet(reference, 1);
  checkSameDims(query, reference);
  const index = new Int32Array(query.rows).fill(-1);
  const best = new Float64Array(query.rows).fill(Infinity);
  // Tiles come in increasing j for each row, so a strict < keeps the first of equal distances.
  forEachSquaredDistanceTile(query, reference, ({ i0, i1, j0, j1, width, values }) => {
    for (let i = i0; i < i1; i++) {
      const off = (i - i0) * width - j0;
      for (let j = j0; j < j1; j++) {
        const d = values[off + j]!;
        if (d < best[i]!) {
          best[i] = d;
          index[i] = j;
        }
      }
    }
  });
  return { index, distance: best.map(Math.sqrt) };
}

export function memorizationCheck(
  generated: FeatureSet,
  train: FeatureSet,
  heldOut: FeatureSet,
  options: { threshold?: number } = {},
): MemorizationReport {
  const threshold = options.threshold ?? COPY_RATIO_THRESHOLD;
  const nearest = nearestNeighbours(generated, train);
  const heldOutNearest = nearestNeighbours(heldOut, train);
  const generatedMedian = median(nearest.distance);
  const heldOutMedian = median(heldOutNearest.distance);
  if (heldOutMedian === 0) {
    throw new Error('the held-out images sit on training images (median distance 0): the held-out set overlaps the training set');
  }
  const copyRatio = generatedMedian / heldOutMedian;
  return { nearest, generatedMedian, heldOutMedian, copyRatio, threshold, flagged: copyRatio < threshold };
}

/** One generated image and the training image nearest to it. */
export interface ClosestPair {
  /** Row of the generated image in the query set. */
  query: number;
  /** Row of its nearest training image in the reference set. */
  reference: number;
  distance: number;
}

/**
 * The `k` generated images that sit closest to their nearest training image, closest first (the
 * lower row on a tie): the likeliest copies, which a person should look at beside what they copy.
 * The median says whether the generator copies as a rule; these show the worst cases even when it
 * does not. A bounded insertion keeps O(k) memory whatever N is.
 */
export function closestPairs(nearest: NearestNeighbours, k: number): ClosestPair[] {
  const kept: ClosestPair[] = [];
  if (k <= 0) return kept;
  for (let i = 0; i < nearest.index.length; i++) {
    const distance = nearest.distance[i]!;
    // A strict < against the last kept: an equal distance later in the set loses to the earlier row.
    if (kept.length === k && !(distance < kept[k - 1]!.distance)) continue;
    let at = kept.length;
    while (at > 0 && distance < kept[at - 1]!.distance) at--;
    kept.splice(at, 0, { query: i, reference: nearest.index[i]!, distance });
    if (kept.length > k) kept.pop();
  }
  return kept;
}

/** The median, the mean of the middle two for an even count; medians, not means, so a few outliers on either side do not move the ratio. */
export function median(values: Float64Array): number {
  if (values.length === 0) throw new Error('the median of no values');
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}
