/** The nets' shape plan: which depths an image size allows, the refusals and their messages, feature matching's layer range, and how norm choices resolve. */
import { describe, expect, it } from 'vitest';
import { allowedDepths, batchLevelD, biasBefore, featureLayerProblem, planNet, resolveNorm, widthAt } from '../../../src-main/common/net-plan';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';

type Model = ReturnType<typeof defaultTrainingConfig>['model'];
const model = (patch: Partial<Model>): Model => ({ ...defaultTrainingConfig().model, ...patch });

describe('allowedDepths and planNet', () => {
  it('allows the depths whose start side is an integer from 3 to 8, both ends included', () => {
    expect(allowedDepths(16)).toEqual([1, 2]); // 8 (the largest start side), 4
    expect(allowedDepths(24)).toEqual([2, 3]); // 12 too big, 6, 3 (the smallest start side)
    expect(allowedDepths(28)).toEqual([2]); // 14 too big, 7, then 3.5
    expect(allowedDepths(32)).toEqual([2, 3]); // 16 too big, 8, 4, then 2 too small
    expect(allowedDepths(48)).toEqual([3, 4]); // 6, 3
    expect(allowedDepths(100)).toEqual([]); // 50, 25, 12.5: never an integer in range
  });

  it('picks the most blocks when depth is null: 28 starts at 7, 32 and 64 at 4, 24 at 3', () => {
    expect(planNet(28, null)).toEqual({ startSide: 7, blocks: 2 });
    expect(planNet(32, null)).toEqual({ startSide: 4, blocks: 3 });
    expect(planNet(64, null)).toEqual({ startSide: 4, blocks: 4 });
    expect(planNet(24, null)).toEqual({ startSide: 3, blocks: 3 });
  });

  it('takes an explicit depth at the edges of the range: start side 8 and start side 3', () => {
    expect(planNet(16, 1)).toEqual({ startSide: 8, blocks: 1 });
    expect(planNet(48, 4)).toEqual({ startSide: 3, blocks: 4 });
    expect(planNet(32, 2)).toEqual({ startSide: 8, blocks: 2 });
  });

  it('refuses a depth whose start side would be over 8, under 3 or fractional, listing the depths that fit', () => {
    expect(() => planNet(32, 1)).toThrow('depth 1 does not fit image size 32: size / 2^depth must be an integer from 3 to 8; allowed depths: 2, 3');
    expect(() => planNet(16, 3)).toThrow('depth 3 does not fit image size 16: size / 2^depth must be an integer from 3 to 8; allowed depths: 1, 2');
    expect(() => planNet(28, 3)).toThrow('depth 3 does not fit image size 28');
  });

  it('refuses an image size no depth fits, with examples of sizes that do', () => {
    expect(() => planNet(100, null)).toThrow('image size 100 is not supported: size / 2^k must be an integer from 3 to 8 (e.g. 16, 28, 32, 64, 128)');
    expect(() => planNet(100, 2)).toThrow('image size 100 is not supported');
  });
});

describe('featureLayerProblem', () => {
  it('accepts every block from 0 (the last hidden features) to the block count', () => {
    for (const layer of [0, 1, 2, 3]) expect(featureLayerProblem(layer, 32, null), String(layer)).toBeNull();
    expect(featureLayerProblem(2, 32, 2)).toBeNull();
  });

  it('refuses a layer past the last block, a negative one and a fraction, naming the field and the maximum', () => {
    expect(featureLayerProblem(4, 32, null)).toBe(
      'config.stabilizers.featureMatching.layer is 4, but D has 3 blocks at image size 32: the maximum is 3 (0 = the last hidden features)',
    );
    expect(featureLayerProblem(3, 32, 2)).toBe(
      'config.stabilizers.featureMatching.layer is 3, but D has 2 blocks at image size 32 with model.depth 2: the maximum is 2 (0 = the last hidden features)',
    );
    expect(featureLayerProblem(-1, 32, null)).toContain('layer is -1, but D has 3 blocks');
    expect(featureLayerProblem(1.5, 32, null)).toContain('layer is 1.5, but D has 3 blocks');
  });
});

describe('widthAt', () => {
  it('doubles the width per halving away from the image, up to 8 times the base width', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((steps) => widthAt(64, steps))).toEqual([64, 64, 128, 256, 512, 512, 512]);
  });
});

describe('resolveNorm', () => {
  it('turns spectral into no norm layers plus spectral norm on the weights', () => {
    expect(resolveNorm('spectral', 0)).toEqual({ kind: 'none', spectral: true, numClasses: 0 });
    expect(resolveNorm('batch', 0)).toEqual({ kind: 'batch', spectral: false, numClasses: 0 });
    expect(resolveNorm('none', 0)).toEqual({ kind: 'none', spectral: false, numClasses: 0 });
  });

  it('gives conditional BN batch statistics when the choice has none, from 2 classes up', () => {
    expect(resolveNorm('none', 2)).toEqual({ kind: 'batch', spectral: false, numClasses: 2 });
    expect(resolveNorm('spectral', 3)).toEqual({ kind: 'batch', spectral: true, numClasses: 3 });
    expect(resolveNorm('none', 1)).toEqual({ kind: 'none', spectral: false, numClasses: 0 });
  });

  it('keeps layer and instance norm under conditioning, with per-class γ and β', () => {
    expect(resolveNorm('layer', 3)).toEqual({ kind: 'layer', spectral: false, numClasses: 3 });
    expect(resolveNorm('instance', 2)).toEqual({ kind: 'instance', spectral: false, numClasses: 2 });
  });
});

describe('biasBefore', () => {
  it('drops the bias before batch and instance norm, which subtract a per-channel mean, and keeps it otherwise', () => {
    expect(biasBefore('batch')).toBe(false);
    expect(biasBefore('instance')).toBe(false);
    expect(biasBefore('layer')).toBe(true);
    expect(biasBefore('none')).toBe(true);
  });
});

describe('batchLevelD', () => {
  it('is true for each of batch norm in D, minibatch stddev and minibatch discrimination on its own', () => {
    expect(batchLevelD(model({ dNorm: 'batch' }))).toBe(true);
    expect(batchLevelD(model({ minibatchStddev: true }))).toBe(true);
    expect(batchLevelD(model({ minibatchDiscrimination: { enabled: true, kernels: 4, kernelDim: 2 } }))).toBe(true);
  });

  it('is false for per-sample D layers: no norm, layer, instance or spectral norm', () => {
    for (const dNorm of ['none', 'layer', 'instance', 'spectral'] as const) expect(batchLevelD(model({ dNorm })), dNorm).toBe(false);
  });
});
