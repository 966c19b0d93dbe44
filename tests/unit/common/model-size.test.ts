/**
 * The memory estimate of a training config, by hand on small nets whose sizes tests/unit/common/net-size.test.ts
 * counts: weights, optimizer slots, copies and the step (which of D's and G's steps is larger, penalties, feature
 * matching, batch-level D), the dataset shape it is computed for, and how memory and counts are printed.
 */
import { describe, expect, it } from 'vitest';
import { deepMerge, resolveConfigOrThrow } from '../../../src-main/common/config-resolve';
import {
  BYTES_PER_MB,
  datasetShape,
  describeEstimate,
  estimateModelSize,
  formatCount,
  formatMemory,
  optimizerSlots,
} from '../../../src-main/common/model-size';
import { StoredTrainingConfig, defaultTrainingConfig, type TrainingConfig } from '../../../src-main/common/training-config';

const RGB16 = { size: 16, channels: 3, numClasses: 0 };

/**
 * Batch 4 of 16×16 RGB, z of 3, widths 4, no norm layers. From net-size.test.ts: G has 1223 trainable values and
 * 3456 activation values per image; D 845 and 1154.
 */
const config = (patch: Record<string, unknown> = {}): TrainingConfig =>
  resolveConfigOrThrow({ config: deepMerge({ latentSize: 3, batchSize: 4, model: { gWidth: 4, dWidth: 4, gNorm: 'none', dNorm: 'none' } }, patch) });
const estimate = (patch: Record<string, unknown> = {}) => estimateModelSize(config(patch), RGB16);
/** The step's share in values (4 bytes each). */
const stepValues = (patch: Record<string, unknown>) => estimate(patch).bytes.step / 4;

// A forward pass on m images: m·a (+ m²·a_pair + a_batch, zero here). D's and G's steps for batch 4:
const fG = 4 * 3456; // 13824
const fD = 4 * 1154; // 4616
const fD2n = 8 * 1154; // reals and fakes together: 9232
const gStep = 3 * (fG + fD); // 55320, larger than D's 3·fD2n = 27696 without a penalty

describe('estimateModelSize', () => {
  it('adds weights, Adam\'s two slots, no copies and G\'s step plus one gradient per value of the larger net', () => {
    const e = estimate();
    expect(e.parameters).toBe(1223 + 845);
    expect(e.generator.trainable).toBe(1223);
    expect(e.discriminator.trainable).toBe(845);
    const step = gStep + 1223;
    expect(e.bytes).toEqual({
      weights: 4 * (1223 + 845),
      optimizer: 4 * 2 * (1223 + 845),
      copies: 0,
      step: 4 * step,
      total: 4 * ((1223 + 845) * 3 + step), // 250988
    });
  });

  it('counts state in the weights, slots per optimizer, and the EMA and both averages as copies', () => {
    // Batch norm in both: G 1115 trainable + 24 state, 4608 values per image; D 853 + 16, 1538 per image.
    const e = estimate({
      model: { gNorm: 'batch', dNorm: 'batch' },
      optimizerG: { type: 'rmsprop', momentum: 0.9 },
      optimizerD: { type: 'sgd', momentum: 0.9 },
      stabilizers: { ema: { enabled: true }, historicalAveraging: { gWeight: 0.5, dWeight: 0.5 } },
    });
    expect([e.generator.state, e.discriminator.state]).toEqual([24, 16]);
    // Batch norm in D: reals and fakes in separate calls, 2·A_D(4) (no pair or batch terms, so the same as A_D(8)).
    const step = Math.max(3 * 2 * 4 * 1538, 3 * (4 * 4608 + 4 * 1538)) + 1115;
    expect(e.bytes).toEqual({
      weights: 4 * (1115 + 24 + 853 + 16),
      optimizer: 4 * (2 * 1115 + 1 * 853),
      copies: 4 * (1115 + 24 + 1115 + 853),
      step: 4 * step,
      total: 4 * (2008 + 3083 + 3107 + step), // 332260
    });
    expect(e.parameters).toBe(1115 + 853);
  });

  it('copies G with its state for the EMA, G for its average, D for its average or for G against the averaged D', () => {
    const copies = (stabilizers: Record<string, unknown>) => estimate({ model: { gNorm: 'batch', dNorm: 'batch' }, stabilizers }).bytes.copies / 4;
    expect(copies({})).toBe(0);
    expect(copies({ ema: { enabled: true } })).toBe(1115 + 24);
    expect(copies({ historicalAveraging: { gWeight: 0.5 } })).toBe(1115);
    expect(copies({ historicalAveraging: { dWeight: 0.5 } })).toBe(853);
    expect(copies({ historicalAveraging: { averagedDForG: true } })).toBe(853);
    expect(copies({ ema: { enabled: true }, historicalAveraging: { gWeight: 0.5 } })).toBe(1115 + 24 + 1115);
  });

  it('counts the WGAN-GP penalty and R1 each as one more D pass on n images, differentiated twice', () => {
    const penalized = (penalties: number) => 3 * (fD2n + 3 * penalties * fD) + 1223;
    expect(penalized(1)).toBeGreaterThan(gStep + 1223); // so D's step decides
    expect(stepValues({})).toBe(gStep + 1223);
    expect(stepValues({ loss: { type: 'wgan-gp' } })).toBe(penalized(1)); // 70463
    expect(stepValues({ loss: { r1Gamma: 1 } })).toBe(penalized(1));
    expect(stepValues({ loss: { type: 'wgan-gp', r1Gamma: 1 } })).toBe(penalized(2)); // 112007
  });

  it('counts no penalty for WGAN-GP at weight 0, for weight clipping, or for a gpWeight the loss does not use', () => {
    expect(stepValues({ loss: { type: 'wgan-gp', gpWeight: 0 } })).toBe(gStep + 1223);
    expect(stepValues({ loss: { type: 'wgan', gpWeight: 10 } })).toBe(gStep + 1223);
    expect(stepValues({ loss: { type: 'hinge', gpWeight: 10, r1Gamma: 0 } })).toBe(gStep + 1223);
  });

  it('runs D twice in G\'s step with feature matching (on the fakes and on the reals)', () => {
    expect(stepValues({ stabilizers: { featureMatching: { enabled: true } } })).toBe(3 * (fG + 2 * fD) + 1223); // 70391
  });

  it('keeps reals and fakes apart through a batch-level D: 2·A(n), whose pair terms are half those of A(2n)', () => {
    // Minibatch discrimination (4 kernels of 2): D 1873 trainable, 1162 values per image, 16 per pair. R1 makes D's step decide.
    const a = (m: number) => m * 1162 + m * m * 16;
    expect(a(4)).toBe(4904);
    const step = stepValues({ model: { minibatchDiscrimination: { enabled: true, kernels: 4, kernelDim: 2 } }, loss: { r1Gamma: 1 } });
    expect(step).toBe(3 * (2 * a(4) + 3 * a(4)) + 1873); // 75433, not 3·(a(8) + 3·a(4)) + 1873 = 76969
    expect(3 * (2 * a(4) + 3 * a(4))).toBeGreaterThan(3 * (fG + a(4)));
  });

  it('adds spectral norm\'s per-batch W/σ once to every forward pass', () => {
    // Spectral D: 845 trainable + 13 state, 1154 per image and 832 per batch; WGAN-GP makes D's step decide.
    const e = estimate({ model: { dNorm: 'spectral' }, loss: { type: 'wgan-gp' } });
    expect(e.bytes.weights).toBe(4 * (1223 + 845 + 13));
    expect(e.bytes.step / 4).toBe(3 * (fD2n + 832 + 3 * (fD + 832)) + 1223); // 80447
  });
});

describe('optimizerSlots', () => {
  it('is 2 for Adam; RMSProp 1, 2 with momentum; SGD 0, 1 with momentum', () => {
    const slots = (type: 'adam' | 'rmsprop' | 'sgd', momentum: number) => optimizerSlots({ ...defaultTrainingConfig().optimizerG, type, momentum });
    expect(slots('adam', 0)).toBe(2);
    expect(slots('adam', 0.9)).toBe(2);
    expect(slots('rmsprop', 0)).toBe(1);
    expect(slots('rmsprop', 0.9)).toBe(2);
    expect(slots('sgd', 0)).toBe(0);
    expect(slots('sgd', 0.9)).toBe(1);
  });
});

describe('datasetShape', () => {
  const dataset = { size: 28, channels: 1 as const, classes: ['0', '1', '2'] };

  it('takes the size and channels, and the classes only when a net is conditional', () => {
    expect(datasetShape(defaultTrainingConfig(), dataset)).toEqual({ size: 28, channels: 1, numClasses: 0 });
    expect(datasetShape(config({ model: { gConditioning: 'cbn' } }), dataset)).toEqual({ size: 28, channels: 1, numClasses: 3 });
    expect(datasetShape(config({ model: { gConditioning: 'embedding', dConditioning: 'acgan' } }), dataset)).toEqual({ size: 28, channels: 1, numClasses: 3 });
  });

  it('counts the classes for a stored config whose D alone is conditional', () => {
    const stored = StoredTrainingConfig.parse({ model: { dConditioning: 'projection' } });
    expect(datasetShape(stored, dataset).numClasses).toBe(3);
  });
});

describe('formatMemory', () => {
  it('prints whole MB below 1024 MB, at least 1, and GB with one decimal from 1024 MB', () => {
    expect(formatMemory(0)).toBe('1 MB');
    expect(formatMemory(420 * BYTES_PER_MB)).toBe('420 MB');
    expect(formatMemory(1023 * BYTES_PER_MB)).toBe('1023 MB');
    expect(formatMemory(1024 * BYTES_PER_MB)).toBe('1.0 GB');
    expect(formatMemory(1536 * BYTES_PER_MB)).toBe('1.5 GB');
    expect(BYTES_PER_MB).toBe(2 ** 20);
  });
});

describe('formatCount', () => {
  it('prints counts below 1000 as they are, then k, M and G with one decimal below 10 units and none from 10', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1.0 k');
    expect(formatCount(1500)).toBe('1.5 k');
    expect(formatCount(10_000)).toBe('10 k');
    expect(formatCount(672_450)).toBe('672 k');
    expect(formatCount(3_400_000)).toBe('3.4 M');
    expect(formatCount(1e9)).toBe('1.0 G');
    expect(formatCount(25e9)).toBe('25 G');
  });
});

describe('describeEstimate', () => {
  it('says parameters and memory in one line', () => {
    expect(describeEstimate(estimate())).toBe('≈ 2.1 k parameters · ≈ 1 MB while training');
  });
});
