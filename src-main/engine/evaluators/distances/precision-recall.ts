/**
 * Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union of
 * balls around its samples, each ball as wide as the distance to that sample's k-th nearest
 * neighbour in its own set. Precision is the share of generated samples inside the real manifold
 * (are they realistic?), recall the share of real samples inside the generated one (is the data's
 * variety covered?). Unlike FD and KID they tell a collapsed generator (high precision, low recall)
 * from a noisy one (the reverse).
 *
 * Coverage (Naeem et al. 2020) comes from the same pass: the share of real samples whose own ball
 * holds at least one generated sample. Recall trusts the generated samples' balls, which a few
 * outliers among them can blow up; coverage measures with the real balls only, so a generator that
 * repeats a handful of images cannot reach it however far apart they are.
 *
 * Cost: (Nr²/2 + Nf²/2 + Nr·Nf)·D multiply-adds (the radii within each set, then one pass over the
 * real–fake pairs serves both measures), about 7 s of one core at N = 2000, D = 1792; memory O(N·k)
 * beyond one tile.
 */
import { checkFeatureSet, checkSameDims, type FeatureSet } from './features';
import { forEachSquaredDistanceTile } from './pairwise';

export interface PrecisionRecall {
  precision: number;
  recall: number;
  /** Share of real samples with a generated sample inside their k-NN ball. */
  coverage: number;
  k: number;
}

/** The paper's choice: small enough that one outlier's ball stays small, large enough to bridge sampling gaps. */
export const DEFAULT_K = 3;

/** Each row's Euclidean distance to its k-th nearest other row of the same set (itself excluded, duplicates count). */
export function kNearestRadii(set: FeatureSet, k = DEFAULT_K): Float64Array {
  const squared = kNearestSquaredRadii(set, k);
  return squared.map(Math.sqrt);
}

export function precisionRecall(real: FeatureSet, fake: FeatureSet, options: { k?: number } = {}): PrecisionRecall {
  const k = options.k ?? DEFAULT_K;
  checkSameDims(real, fake);
  const realRadii = kNearestSquaredRadii(real, k);
  const fakeRadii = kNearestSquaredRadii(fake, k);
  const fakeInReal = new Uint8Array(fake.rows);
  const realInFake = new Uint8Array(real.rows);
  const realCovered = new Uint8Array(real.rows);
  // A sample on a ball's boundary counts as inside (≤), as in the paper's code.
  forEachSquaredDistanceTile(real, fake, ({ i0, i1, j0, j1, width, values }) => {
    for (let i = i0; i < i1; i++) {
      const off = (i - i0) * width - j0;
      const ri = realRadii[i]!;
      for (let j = j0; j < j1; j++) {
        const d = values[off + j]!;
        if (d <= ri) {
          fakeInReal[j] = 1;
          realCovered[i] = 1;
        }
        if (d <= fakeRadii[j]!) realInFake[i] = 1;
      }
    }
  });
  return { precision: share(fakeInReal), recall: share(realInFake), coverage: share(realCovered), k };
}

function kNearestSquaredRadii(set: FeatureSet, k: number): Float64Array {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive whole number, got ${k}`);
  checkFeatureSet(set, k + 1);
  const n = set.rows;
  // The k smallest squared distances of each row so far, ascending.
  const nearest = new Float64Array(n * k).fill(Infinity);
  const offer = (row: number, d: number): void => {
    const base = row * k;
    if (d >= nearest[base + k - 1]!) return;
    let at = base + k - 1;
    while (at > base && nearest[at - 1]! > d) {
      nearest[at] = nearest[at - 1]!;
      at--;
    }
    nearest[at] = d;
  };
  // Upper tiles only: each pair i < j is seen once and offered to both rows.
  forEachSquaredDistanceTile(
    set,
    set,
    ({ i0, i1, j0, j1, width, values }) => {
      for (let i = i0; i < i1; i++) {
        const off = (i - i0) * width - j0;
        for (let j = Math.max(j0, i + 1); j < j1; j++) {
          const d = values[off + j]!;
          offer(i, d);
          offer(j, d);
        }
      }
    },
    { upperOnly: true },
  );
  const radii = new Float64Array(n);
  for (let i = 0; i < n; i++) radii[i] = nearest[i * k + k - 1]!;
  return radii;
}

function share(flags: Uint8Array): number {
  let count = 0;
  for (const f of flags) count += f;
  return count / flags.length;
}
