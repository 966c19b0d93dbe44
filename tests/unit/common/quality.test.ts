/** How an evaluation splits a dataset into held-out and real images, and how large its KID subsets are: the rules the core checks a request against and the trainer draws by. */
import { describe, expect, it } from 'vitest';
import { evaluationSplit, kidSubsetSize, MIN_EVALUATION_IMAGES } from '../../../src-main/common/quality';

describe('evaluationSplit', () => {
  it('holds a fifth of the dataset out, at most 500, and draws up to n real images from the rest', () => {
    expect(evaluationSplit(300, 200)).toEqual({ heldOut: 60, real: 200 });
    expect(evaluationSplit(300, 2000)).toEqual({ heldOut: 60, real: 240 });
    expect(evaluationSplit(60_000, 2000)).toEqual({ heldOut: 500, real: 2000 });
    expect(evaluationSplit(60_000, 60_000)).toEqual({ heldOut: 500, real: 59_500 });
  });

  it('refuses a dataset too small for both parts: a dozen images is the least', () => {
    expect(evaluationSplit(12, 50)).toEqual({ heldOut: 2, real: MIN_EVALUATION_IMAGES });
    expect(evaluationSplit(11, 50)).toBeNull();
    expect(evaluationSplit(9, 50)).toBeNull();
    expect(evaluationSplit(0, 50)).toBeNull();
  });
});

describe('kidSubsetSize', () => {
  it('is half the smaller set, so that subsets differ, and at most the usual 1000', () => {
    expect(kidSubsetSize(200, 190)).toBe(95);
    expect(kidSubsetSize(2000, 2000)).toBe(1000);
    expect(kidSubsetSize(10_000, 5000)).toBe(1000);
    expect(kidSubsetSize(11, 10)).toBe(5);
  });
});
