/** What the classifier says about a set of images, by hand: the class histogram and confidence, classes reached against the real mix, and per-class accuracy and KID of a conditional generator. */
import { describe, expect, it } from 'vitest';
import { classesReached, classHistogram, labelHistogram, perClassScores, rowsWhere } from '../../../../src-main/engine/evaluators/class-measures';
import { kernelInceptionDistance } from '../../../../src-main/engine/evaluators/distances';
import { gaussianSet } from './distances/gaussian-sets';

describe('classHistogram', () => {
  it('assigns each row its most probable class (the first of a tie) and averages the top probabilities', () => {
    const p = Float32Array.of(0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.4, 0.4, 0.2, 0.25, 0.5, 0.25);
    const h = classHistogram(p, 3);
    expect([...h.assigned]).toEqual([0, 2, 0, 1]);
    expect(h.histogram).toEqual([2, 1, 1]);
    expect(h.meanConfidence).toBeCloseTo((0.7 + 0.8 + 0.4 + 0.5) / 4, 6);
  });

  it('refuses probabilities that are not whole rows', () => {
    expect(() => classHistogram(new Float32Array(5), 3)).toThrow(/not rows of 3 classes/);
  });
});

describe('labelHistogram and classesReached', () => {
  it('counts the real images per class, leaving out images without a class (255)', () => {
    expect(labelHistogram(Uint8Array.of(0, 1, 1, 255, 2, 1), 3)).toEqual([1, 3, 1]);
  });

  it('a class is reached at half its real share or more, not below', () => {
    // Real shares 0.25 / 0.25 / 0.5: thresholds 0.125 / 0.125 / 0.25.
    const real = [25, 25, 50];
    // Scored shares 0.125 (exactly the threshold), 0.625, 0.25 (exactly): all three reached.
    expect(classesReached([1, 5, 2], real)).toBe(3);
    // 0.1 < 0.125: class 0 missed; 0.2 < 0.25: class 2 missed.
    expect(classesReached([1, 7, 2], real)).toBe(1);
    // One class only: one reached.
    expect(classesReached([0, 10, 0], real)).toBe(1);
  });

  it('a class absent from the real images is never counted, and nothing scored reaches nothing', () => {
    expect(classesReached([5, 5, 5], [10, 10, 0])).toBe(2);
    expect(classesReached([0, 0, 0], [10, 10, 0])).toBe(0);
  });
});

describe('perClassScores', () => {
  it('accuracy is the share of a class’s images assigned to it; KID compares them with that class’s real images only', () => {
    const real = gaussianSet(40, [0, 0], [1, 1], 1);
    const realLabels = Array.from({ length: 40 }, (_, i) => i % 2);
    const scored = gaussianSet(20, [0, 0], [1, 1], 2);
    const labels = Array.from({ length: 20 }, (_, i) => (i < 12 ? 0 : 1));
    // Class 0: 12 made, 9 assigned to 0. Class 1: 8 made, all assigned to 1. Class 2: none made.
    const assigned = labels.map((l, i) => (l === 0 && i < 3 ? 1 : l));
    const scores = perClassScores(scored, labels, assigned, real, realLabels, 3, 5);
    expect(scores.map((s) => [s.class, s.n, s.accuracy])).toEqual([
      [0, 12, 9 / 12],
      [1, 8, 1],
      [2, 0, 0],
    ]);
    // The KID of class 0 is the KID of its 12 images against the 20 real images of class 0, with subsets of 6.
    const expected = kernelInceptionDistance(
      rowsWhere(real, (i) => realLabels[i] === 0),
      rowsWhere(scored, (i) => labels[i] === 0),
      { subsets: 50, subsetSize: 6, seed: 5 },
    ).mean;
    expect(scores[0]!.kid).toBe(expected);
    // Class 2 has neither images nor real ones: no KID.
    expect(scores[2]!.kid).toBeNull();
  });

  it('rowsWhere keeps the chosen rows in order', () => {
    const set = { rows: 4, dims: 2, data: Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7) };
    expect(rowsWhere(set, (i) => i % 2 === 1)).toEqual({ rows: 2, dims: 2, data: Float64Array.of(2, 3, 6, 7) });
  });
});
