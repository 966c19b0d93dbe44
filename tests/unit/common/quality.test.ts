/** How an evaluation splits a dataset into held-out and real images, how large its KID subsets are, which checkpoints a run evaluates, and which is its best: the rules the core and the trainer share. */
import { describe, expect, it } from 'vitest';
import { chooseBest, evaluationDue, evaluationSplit, kidSubsetSize, MIN_EVALUATION_IMAGES } from '../../../src-main/common/quality';

describe('evaluationSplit', () => {
  it('without a held-out split, holds a fifth of the dataset out, at most 500, and draws up to n real images from the rest', () => {
    const training = 'training' as const;
    expect(evaluationSplit(300, 200)).toEqual({ heldOut: 60, real: 200, comparedWith: training });
    expect(evaluationSplit(300, 2000)).toEqual({ heldOut: 60, real: 240, comparedWith: training });
    expect(evaluationSplit(60_000, 2000)).toEqual({ heldOut: 500, real: 2000, comparedWith: training });
    expect(evaluationSplit(60_000, 60_000)).toEqual({ heldOut: 500, real: 59_500, comparedWith: training });
  });

  it('with the dataset’s held-out split, draws at most 500 from it and the real images from the training part', () => {
    const heldOut = 'held-out' as const;
    expect(evaluationSplit(1000, 2000, 100)).toEqual({ heldOut: 100, real: 900, comparedWith: heldOut });
    expect(evaluationSplit(60_000, 2000, 5000)).toEqual({ heldOut: 500, real: 2000, comparedWith: heldOut });
    // The whole split is out of the real images, not only the 500 the check reads.
    expect(evaluationSplit(60_000, 60_000, 5000)).toEqual({ heldOut: 500, real: 55_000, comparedWith: heldOut });
  });

  it('refuses a dataset too small for both parts: a dozen images is the least', () => {
    expect(evaluationSplit(12, 50)).toEqual({ heldOut: 2, real: MIN_EVALUATION_IMAGES, comparedWith: 'training' });
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

describe('evaluationDue', () => {
  const every = (k: number, checkpointEvery = 500) => ({ evaluation: { everyCheckpoints: k, n: 500 }, intervals: { metricsEvery: 10, sampleEvery: 200, checkpointEvery } });

  it('is every k-th checkpoint, counted by step, and never with evaluation off', () => {
    expect([500, 1000, 1500, 2000].filter((s) => evaluationDue(every(1), s))).toEqual([500, 1000, 1500, 2000]);
    expect([500, 1000, 1500, 2000].filter((s) => evaluationDue(every(2), s))).toEqual([1000, 2000]);
    // A checkpoint off the cadence (a stop at step 1234) is not due; the host evaluates the last one when the run ends.
    expect(evaluationDue(every(1), 1234)).toBe(false);
    expect(evaluationDue(every(1), 0)).toBe(false);
    expect([500, 1000, 1500].filter((s) => evaluationDue(every(0), s))).toEqual([]);
  });
});

describe('chooseBest', () => {
  it('is the lowest KID among the evaluated checkpoints, the newer on a tie, whatever is newer', () => {
    expect(chooseBest([{ step: 10, kid: 0.3 }, { step: 20, kid: 0.1 }, { step: 30, kid: null }])).toEqual({ step: 20, by: 'kid' });
    expect(chooseBest([{ step: 10, kid: 0.1 }, { step: 20, kid: 0.1 }])).toEqual({ step: 20, by: 'kid' });
    // An unbiased KID can be below 0 for a model as good as the data: still the lowest.
    expect(chooseBest([{ step: 10, kid: -0.0002 }, { step: 20, kid: 0.0001 }])).toEqual({ step: 10, by: 'kid' });
  });

  it('is the newest checkpoint, with no quality metric, when none is evaluated; nothing without checkpoints', () => {
    expect(chooseBest([{ step: 30, kid: null }, { step: 10, kid: null }])).toEqual({ step: 30, by: 'newest' });
    expect(chooseBest([])).toBeNull();
  });
});
