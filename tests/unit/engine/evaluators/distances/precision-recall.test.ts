/** Improved precision and recall, and coverage: radii and memberships of a 2-D example by hand, 1/1/1 for identical sets, 0/0/0 for sets far apart, a collapsed generator's high precision and low recall, ten repeated prototypes' low recall and coverage. */
import { describe, expect, it } from 'vitest';
import { featureSet, kNearestRadii, precisionRecall, type FeatureSet } from '../../../../../src-main/engine/evaluators/distances';
import { gaussianSet } from './gaussian-sets';

function distance(a: FeatureSet, i: number, b: FeatureSet, j: number): number {
  let s = 0;
  for (let t = 0; t < a.dims; t++) s += (a.data[i * a.dims + t]! - b.data[j * b.dims + t]!) ** 2;
  return Math.sqrt(s);
}

/** Each row's k-th nearest other row, by sorting all its distances. */
function bruteRadii(set: FeatureSet, k: number): number[] {
  return Array.from({ length: set.rows }, (_, i) => {
    const ds = Array.from({ length: set.rows }, (_, j) => j)
      .filter((j) => j !== i)
      .map((j) => distance(set, i, set, j))
      .sort((x, y) => x - y);
    return ds[k - 1]!;
  });
}

describe('precisionRecall, a 2-D example by hand', () => {
  // Real: r0 (0, 0), r1 (2, 0), r2 (10, 0), r3 (10, 3). Fake: f0 (1, 0), f1 (1, 1.5), f2 (10, 7), f3 (10, 8).
  const real = featureSet(4, 2, Float64Array.of(0, 0, 2, 0, 10, 0, 10, 3));
  const fake = featureSet(4, 2, Float64Array.of(1, 0, 1, 1.5, 10, 7, 10, 8));

  it('k = 1: radii 2, 2, 3, 3 and 1.5, 1.5, 1, 1; precision 1/2, recall 1/2, coverage 1/2', () => {
    // Real nearest neighbours: r0–r1 2, r1–r0 2, r2–r3 3, r3–r2 3.
    // Fake nearest neighbours: f0–f1 1.5, f1–f0 1.5, f2–f3 1, f3–f2 1.
    expect([...kNearestRadii(real, 1)]).toEqual([2, 2, 3, 3]);
    expect([...kNearestRadii(fake, 1)]).toEqual([1.5, 1.5, 1, 1]);
    // Precision: f0 is 1 from r0 (≤ 2) and f1 √3.25 ≈ 1.80 from r0 (≤ 2): inside; f2 is 4 from r3
    // and 7 from r2 (> 3), f3 5 and 8: outside. 2 of 4.
    // Recall: r0 and r1 are 1 from f0 (≤ 1.5): inside; r2 is 7 from f2 (> 1) and 9 from f0 (> 1.5),
    // r3 4 from f2 (> 1) and √90 from f0: outside. 2 of 4.
    // Coverage: r0's ball (2) holds f0 (1), r1's (2) holds f0 (1); r2's (3) holds nothing (f2 is 7
    // away), nor r3's (3: f2 is 4 away). 2 of 4.
    expect(precisionRecall(real, fake, { k: 1 })).toEqual({ precision: 0.5, recall: 0.5, coverage: 0.5, k: 1 });
  });

  it('k = 2: the balls grow to the second neighbour (10, 8, 8, √73 and √130, √111.25, √111.25, √123.25) and cover everything', () => {
    // r0: 2, 10, √109 → 10. r1: 2, 8, √73 → 8. r2: 3, 8, 10 → 8. r3: 3, √73, √109 → √73.
    // f0: 1.5, √130, √145 → √130. f1: 1.5, √111.25, √123.25 → √111.25. f2: 1, √111.25, √130 → √111.25. f3: 1, √123.25, √145 → √123.25.
    [10, 8, 8, Math.sqrt(73)].forEach((r, i) => expect(kNearestRadii(real, 2)[i]).toBeCloseTo(r, 12));
    [130, 111.25, 111.25, 123.25].forEach((r2, i) => expect(kNearestRadii(fake, 2)[i]).toBeCloseTo(Math.sqrt(r2), 12));
    // Now f2 (4 from r3) and f3 (5) are inside r3's ball of √73 ≈ 8.54, and r2 (7 from f2) and r3
    // (4) inside f2's ball of √111.25 ≈ 10.5: what a larger k does to sparse regions.
    // Coverage too: r2's ball of 8 now holds f2 (7), r3's of √73 holds f2 (4).
    expect(precisionRecall(real, fake, { k: 2 })).toEqual({ precision: 1, recall: 1, coverage: 1, k: 2 });
  });
});

describe('precisionRecall', () => {
  it('a sample exactly on a ball’s boundary counts as inside (≤, as in the paper’s code)', () => {
    // Real (0, 0) and (3, 0): k = 1 radii 3. Fake (0, 3) is exactly 3 from (0, 0); (0, 4) is 4 and 5 away.
    // Fake radii are 1 (from each other), too small to reach either real sample: recall 0. (0, 3)
    // on (0, 0)'s boundary covers it; (3, 0) is √18 and 5 from the fakes: coverage 1/2.
    const real = featureSet(2, 2, Float64Array.of(0, 0, 3, 0));
    const fake = featureSet(2, 2, Float64Array.of(0, 3, 0, 4));
    expect(precisionRecall(real, fake, { k: 1 })).toEqual({ precision: 0.5, recall: 0, coverage: 0.5, k: 1 });
  });

  it('identical sets: precision 1, recall 1, coverage 1 (every sample lies in its own ball)', () => {
    const set = gaussianSet(200, new Array(16).fill(0), new Array(16).fill(1), 1);
    expect(precisionRecall(set, set)).toEqual({ precision: 1, recall: 1, coverage: 1, k: 3 });
  });

  it('sets further apart than 3× the largest k-NN radius: precision 0, recall 0, coverage 0', () => {
    const real = gaussianSet(100, [0, 0, 0, 0], [1, 1, 1, 1], 2);
    const fake = gaussianSet(120, [12, -12, 12, 0], [1, 1, 1, 1], 3);
    const largest = Math.max(...bruteRadii(real, 3), ...bruteRadii(fake, 3));
    let closest = Infinity;
    for (let i = 0; i < real.rows; i++) for (let j = 0; j < fake.rows; j++) closest = Math.min(closest, distance(real, i, fake, j));
    expect(closest).toBeGreaterThan(3 * largest);
    expect(precisionRecall(real, fake)).toEqual({ precision: 0, recall: 0, coverage: 0, k: 3 });
  });

  it('a generator collapsed onto 4 real samples: precision 1, recall at most 4/100', () => {
    const real = gaussianSet(100, new Array(8).fill(0), new Array(8).fill(1), 4);
    const jitter = gaussianSet(40, new Array(8).fill(0), new Array(8).fill(1e-3), 5);
    // Ten near-copies of each of real rows 0..3.
    const fake = { rows: 40, dims: 8, data: jitter.data.map((v, i) => v + real.data[(Math.floor(i / 8) % 4) * 8 + (i % 8)]!) };
    const { precision, recall } = precisionRecall(real, fake);
    expect(precision).toBe(1);
    expect(recall).toBeLessThanOrEqual(4 / 100);
  });

  it('ten class prototypes, each repeated 50 times, fail recall and coverage though every one is real', () => {
    // Ten well-separated classes of 50 samples; the "generator" returns the first sample of each class, 50 times over.
    const classes = Array.from({ length: 10 }, (_, c) => gaussianSet(50, [20 * c, c % 2 === 0 ? 0 : 20, 0, 0], [1, 1, 1, 1], 20 + c));
    const real = { rows: 500, dims: 4, data: Float64Array.from(classes.flatMap((set) => [...set.data])) };
    const fake = { rows: 500, dims: 4, data: new Float64Array(500 * 4) };
    for (let i = 0; i < 500; i++) fake.data.set(classes[i % 10]!.data.subarray(0, 4), i * 4);
    const { precision, recall, coverage } = precisionRecall(real, fake);
    // Every prototype is a real sample: inside the real manifold.
    expect(precision).toBe(1);
    // 50 copies give each prototype a k-NN radius of 0: only the ten real prototypes themselves lie in the generated manifold.
    expect(recall).toBe(10 / 500);
    // A real sample is covered only when a prototype is within its own k-NN radius: the prototypes
    // and a few of their close neighbours, not the classes' variety. By brute force:
    const realRadii = bruteRadii(real, 3);
    let covered = 0;
    for (let i = 0; i < 500; i++) if (classes.some((_, c) => distance(real, i, real, c * 50) <= realRadii[i]!)) covered++;
    expect(coverage).toBe(covered / 500);
    expect(coverage).toBeLessThan(0.2);
    // The same classes sampled afresh cover most of the real samples.
    const fresh = { rows: 500, dims: 4, data: Float64Array.from(classes.flatMap((_, c) => [...gaussianSet(50, [20 * c, c % 2 === 0 ? 0 : 20, 0, 0], [1, 1, 1, 1], 40 + c).data])) };
    expect(precisionRecall(real, fresh).coverage).toBeGreaterThan(0.8);
  });

  it('kNearestRadii matches sorting every distance, across several 64-row tiles and with duplicate rows', () => {
    const base = gaussianSet(150, [0, 1, 2, 3, 4], [1, 2, 1, 2, 1], 6);
    // Row 149 repeats row 0: their first neighbour is each other, at 0 (a duplicate is not "self").
    base.data.set(base.data.subarray(0, 5), 149 * 5);
    for (const k of [1, 3, 7]) {
      const radii = kNearestRadii(base, k);
      bruteRadii(base, k).forEach((r, i) => expect(radii[i]).toBeCloseTo(r, 10));
    }
    expect(kNearestRadii(base, 1)[0]).toBe(0);
    expect(kNearestRadii(base, 1)[149]).toBe(0);
  });

  it('refuses k without enough samples for k neighbours, and sets of different widths', () => {
    const set = gaussianSet(3, [0, 0], [1, 1], 7);
    expect(() => precisionRecall(set, set)).toThrow(/at least 4 samples/);
    expect(() => precisionRecall(gaussianSet(10, [0], [1], 1), gaussianSet(10, [0, 0], [1, 1], 1))).toThrow(/width/);
  });
});
