/**
 * What the in-domain classifier says about a set of images (issue 12): the class histogram, the
 * classes reached against the real images' mix, the mean confidence, and for a conditional
 * generator, per class, how often its images are recognised as the class they were made for and how
 * far they are from that class's real images.
 */
import { CLASS_REACHED_SHARE } from '../../common/classifier';
import { KID_SUBSETS, kidSubsetSize } from '../../common/quality';
import { kernelInceptionDistance, type FeatureSet } from './distances';

export interface ClassHistogram {
  /** Images per class the classifier assigns them to (the first of equal probabilities). */
  histogram: number[];
  /** Each image's assigned class. */
  assigned: Int32Array;
  /** Mean of each image's top probability. */
  meanConfidence: number;
}

/** `probabilities`: N rows of `classes` softmax values. */
export function classHistogram(probabilities: Float32Array, classes: number): ClassHistogram {
  const n = probabilities.length / classes;
  if (!Number.isInteger(n)) throw new Error(`${probabilities.length} probabilities are not rows of ${classes} classes`);
  const histogram = new Array<number>(classes).fill(0);
  const assigned = new Int32Array(n);
  let confidence = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    assigned[i] = best;
    histogram[best]!++;
    confidence += probabilities[i * classes + best]!;
  }
  return { histogram, assigned, meanConfidence: n === 0 ? 0 : confidence / n };
}

/** Real images per class; labels ≥ classes (no class) are left out. */
export function labelHistogram(labels: ArrayLike<number>, classes: number): number[] {
  const histogram = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) if (labels[i]! < classes) histogram[labels[i]!]!++;
  return histogram;
}

/**
 * Classes the scored images reach: those present among the real images whose share of the scored
 * images is at least CLASS_REACHED_SHARE of their real share. A generator of one digit reaches one
 * class; one with MNIST's mix reaches all ten, and a class it makes at a third of its share does not count.
 */
export function classesReached(scored: readonly number[], real: readonly number[]): number {
  const scoredTotal = scored.reduce((a, b) => a + b, 0);
  const realTotal = real.reduce((a, b) => a + b, 0);
  if (scoredTotal === 0 || realTotal === 0) return 0;
  return real.filter((r, c) => r > 0 && scored[c]! / scoredTotal >= (CLASS_REACHED_SHARE * r) / realTotal).length;
}

/** The rows of `set` whose index passes `keep`, as a set of their own. */
export function rowsWhere(set: FeatureSet, keep: (row: number) => boolean): FeatureSet {
  const picked: number[] = [];
  for (let i = 0; i < set.rows; i++) if (keep(i)) picked.push(i);
  const data = new Float64Array(picked.length * set.dims);
  picked.forEach((row, k) => {
    for (let d = 0; d < set.dims; d++) data[k * set.dims + d] = set.data[row * set.dims + d]!;
  });
  return { rows: picked.length, dims: set.dims, data };
}

export interface PerClassScore {
  class: number;
  /** Images made for the class. */
  n: number;
  /** Share of them assigned to it. */
  accuracy: number;
  /** KID of them against the class's real images; null when either side is too small for two-image subsets. */
  kid: number | null;
}

/**
 * Per class of a conditional generator: `labels` are the classes each scored image was made for,
 * `assigned` what the classifier says it is; `real`/`realLabels` the real images' features and classes.
 */
export function perClassScores(
  scored: FeatureSet,
  labels: ArrayLike<number>,
  assigned: ArrayLike<number>,
  real: FeatureSet,
  realLabels: ArrayLike<number>,
  classes: number,
  seed: number,
): PerClassScore[] {
  return Array.from({ length: classes }, (_, c) => {
    let n = 0;
    let right = 0;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== c) continue;
      n++;
      if (assigned[i] === c) right++;
    }
    const mine = rowsWhere(scored, (i) => labels[i] === c);
    const theirs = rowsWhere(real, (i) => realLabels[i] === c);
    const subsetSize = kidSubsetSize(theirs.rows, mine.rows);
    const kid = subsetSize >= 2 ? kernelInceptionDistance(theirs, mine, { subsets: KID_SUBSETS, subsetSize, seed }).mean : null;
    return { class: c, n, accuracy: n === 0 ? 0 : right / n, kid };
  });
}
