/** The training-config schema: the settings an empty config trains with, the choices each field offers, and every cross-field refusal with its field and message. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-main/common/config-resolve';
import type { FieldIssue } from '../../../src-main/common/errors';
import { defaultTrainingConfig, StoredTrainingConfig, TrainingConfig } from '../../../src-main/common/training-config';

/** The field issues a new config gets (none when it is valid). */
function issues(config: Record<string, unknown>): FieldIssue[] {
  const r = resolveConfig({ config });
  return r.ok ? [] : r.issues;
}

describe('defaults', () => {
  it('trains an empty config with DCGAN’s settings and every technique off', () => {
    expect(defaultTrainingConfig()).toEqual({
      seed: 42,
      steps: 2000,
      batchSize: 64,
      latentSize: 64,
      model: {
        arch: 'dcgan',
        depth: null,
        gWidth: 64,
        dWidth: 64,
        gNorm: 'batch',
        gProjectionNorm: true,
        dNorm: 'none',
        gConditioning: 'none',
        dConditioning: 'none',
        acganWeight: 1,
        minibatchStddev: false,
        pixelNorm: false,
        equalizedLr: false,
        minibatchDiscrimination: { enabled: false, kernels: 32, kernelDim: 8 },
      },
      loss: { type: 'non-saturating', clipValue: 0.01, gpWeight: 10, r1Gamma: 0, nCritic: 1 },
      stabilizers: {
        labelSmoothing: { mode: 'none', realTarget: 0.9, realMin: 0.7, realMax: 0.9, fakeMin: 0.1, fakeMax: 0.3 },
        featureMatching: { enabled: false, weight: 1, adversarialWeight: 1, layer: 0 },
        historicalAveraging: { gWeight: 0, dWeight: 0, averagedDForG: false },
        instanceNoise: { std: 0, annealSteps: 0 },
        ema: { enabled: false, halfLifeImages: 10_000, rampup: 0.05, startStep: 0 },
      },
      augment: {
        flip: 0,
        rotation: { p: 0, degrees: 10 },
        scale: { p: 0, amount: 0.1 },
        translation: { p: 0, fraction: 0.125 },
        crop: { p: 0, fraction: 0.875 },
        colorJitter: { p: 0, brightness: 0.2, contrast: 0.2, saturation: 0.2 },
        cutout: { p: 0, fraction: 0.25 },
        noise: { p: 0, std: 0.05 },
        diffAugment: [],
        ada: { enabled: false, target: 0.6, interval: 4, speedImages: 100_000 },
      },
      optimizerG: { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, momentum: 0, schedule: 'constant', gradClip: 0 },
      optimizerD: { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, momentum: 0, schedule: 'constant', gradClip: 0 },
      intervals: { metricsEvery: 10, sampleEvery: 200, checkpointEvery: 500 },
      sampleGridSize: 8,
      evaluation: { everyCheckpoints: 0, n: 500 },
      compute: { threads: null },
      progressive: { enabled: false, startSize: 8, phaseImages: 30_000, fadeImages: 30_000, firstPhaseImages: null, phases: [] },
      task: { kind: 'generate', source: 'superres', mask: 'rect', scale: 2, filter: 'bicubic', l1Weight: 100, perceptualWeight: 0, datasetB: null, cycleWeight: 10, identityWeight: 0.5, poolSize: 50 },
    });
  });

  it('fills the rest of a section a config gives only in part', () => {
    const c = TrainingConfig.parse({ augment: { rotation: { p: 0.5 }, colorJitter: { p: 1 } }, stabilizers: { ema: { enabled: true } } });
    expect(c.augment.rotation).toEqual({ p: 0.5, degrees: 10 });
    expect(c.augment.colorJitter).toEqual({ p: 1, brightness: 0.2, contrast: 0.2, saturation: 0.2 });
    expect(c.stabilizers.ema).toEqual({ enabled: true, halfLifeImages: 10_000, rampup: 0.05, startStep: 0 });
  });
});

describe('choices', () => {
  // Each with settings the cross-field rules accept, so that only the choice itself is judged.
  const choices: [string, string[], (v: string) => Record<string, unknown>][] = [
    ['optimizerG.type', ['adam', 'rmsprop', 'sgd'], (v) => ({ optimizerG: { type: v } })],
    ['optimizerD.schedule', ['constant', 'linear', 'cosine'], (v) => ({ optimizerD: { schedule: v } })],
    ['model.arch', ['dcgan', 'resnet'], (v) => ({ model: { arch: v } })],
    ['model.gConditioning', ['none', 'cbn', 'embedding'], (v) => ({ model: { gConditioning: v } })],
    ['model.dConditioning', ['none', 'projection', 'acgan'], (v) => ({ model: { dConditioning: v, gConditioning: 'cbn' } })],
  ];

  it.each(choices)('%s takes exactly %j', (path, options, config) => {
    const [section, field] = path.split('.') as [string, string];
    for (const v of options) {
      const r = resolveConfig({ config: config(v) });
      expect(r.ok && (r.config as unknown as Record<string, Record<string, unknown>>)[section]![field], `${path}=${v}`).toBe(v);
    }
    expect(issues(config('other')).map((i) => i.path)).toEqual([path]);
  });
});

describe('bounds', () => {
  it('takes any 31-bit seed and refuses 2^31', () => {
    expect(issues({ seed: 2 ** 31 - 1 })).toEqual([]);
    expect(issues({ seed: 0 })).toEqual([]);
    expect(issues({ seed: 2 ** 31 })).toEqual([{ path: 'seed', message: 'seed must be at most 2147483647' }]);
  });

  it('evaluates every k-th checkpoint with as many images per side as quality.evaluate takes', () => {
    expect(issues({ evaluation: { everyCheckpoints: 1, n: 50 } })).toEqual([]);
    expect(issues({ evaluation: { everyCheckpoints: 1000, n: 10_000 } })).toEqual([]);
    expect(issues({ evaluation: { n: 49 } }).map((i) => i.path)).toEqual(['evaluation.n']);
    expect(issues({ evaluation: { n: 10_001 } }).map((i) => i.path)).toEqual(['evaluation.n']);
    expect(issues({ evaluation: { everyCheckpoints: -1 } }).map((i) => i.path)).toEqual(['evaluation.everyCheckpoints']);
    expect(issues({ evaluation: { everyCheckpoints: 1.5 } }).map((i) => i.path)).toEqual(['evaluation.everyCheckpoints']);
  });

  it('says "value" for a bound broken where no field path is known (a field schema used on its own)', () => {
    const r = TrainingConfig.shape.seed.safeParse(2 ** 31);
    expect(r.error?.issues.map((i) => i.message)).toEqual(['value must be at most 2147483647']);
  });
});

describe('cross-field rules of a new config', () => {
  it('refuses label smoothing with a loss that is not a cross-entropy, naming the losses that take it', () => {
    expect(issues({ loss: { type: 'lsgan' }, stabilizers: { labelSmoothing: { mode: 'two-sided' } } })).toEqual([
      { path: 'stabilizers.labelSmoothing.mode', message: 'label smoothing needs a BCE loss (minimax or non-saturating), not lsgan' },
    ]);
  });

  it('refuses a two-sided range whose min is above its max, and takes a range of one value', () => {
    const ls = (range: Record<string, number>) => ({ stabilizers: { labelSmoothing: { mode: 'two-sided', ...range } } });
    expect(issues(ls({ realMin: 0.85, realMax: 0.8 }))).toEqual([{ path: 'stabilizers.labelSmoothing.realMin', message: 'must be ≤ realMax' }]);
    expect(issues(ls({ fakeMin: 0.25, fakeMax: 0.2 }))).toEqual([{ path: 'stabilizers.labelSmoothing.fakeMin', message: 'must be ≤ fakeMax' }]);
    expect(issues(ls({ realMin: 0.8, realMax: 0.8, fakeMin: 0.2, fakeMax: 0.2 }))).toEqual([]);
  });

  it('refuses batch norm in a Lipschitz critic, saying what to use instead', () => {
    expect(issues({ loss: { type: 'wgan' }, model: { dNorm: 'batch' } })).toEqual([
      { path: 'model.dNorm', message: 'weight clipping with batch norm in the critic does not train; use none or layer' },
    ]);
    expect(issues({ loss: { type: 'wgan-gp' }, model: { dNorm: 'batch' } })).toEqual([
      {
        path: 'model.dNorm',
        message: 'the gradient penalty is per sample; batch norm in the critic breaks it (WGAN-GP paper): use layer, instance or none',
      },
    ]);
  });

  it('refuses minibatch features with the gradient penalty, at the feature that is on', () => {
    const gp = (model: Record<string, unknown>) => ({ loss: { type: 'wgan-gp' }, model: { dNorm: 'layer', ...model } });
    const message = 'the gradient penalty is per sample; minibatch features mix samples in the critic';
    expect(issues(gp({ minibatchStddev: true }))).toEqual([{ path: 'model.minibatchStddev', message }]);
    expect(issues(gp({ minibatchDiscrimination: { enabled: true } }))).toEqual([{ path: 'model.minibatchDiscrimination', message }]);
    expect(issues(gp({ minibatchStddev: true, minibatchDiscrimination: { enabled: true } }))).toEqual([{ path: 'model.minibatchStddev', message }]);
    expect(issues(gp({}))).toEqual([]);
    // Without a gradient penalty, minibatch features are allowed.
    for (const type of ['wgan', 'hinge', 'non-saturating']) {
      expect(issues({ loss: { type }, model: { minibatchStddev: true, minibatchDiscrimination: { enabled: true } } }), type).toEqual([]);
    }
  });

  it('refuses R1 with batch norm in D, and takes R1 with any other norm or with minibatch stddev', () => {
    expect(issues({ loss: { r1Gamma: 1 }, model: { dNorm: 'batch' } })).toEqual([
      {
        path: 'model.dNorm',
        message: 'R1 is a per-sample penalty; batch norm in D mixes the samples it differentiates: use layer, instance, spectral or none, or set loss.r1Gamma to 0',
      },
    ]);
    expect(issues({ loss: { r1Gamma: 0 }, model: { dNorm: 'batch' } })).toEqual([]);
    for (const dNorm of ['none', 'layer', 'instance', 'spectral']) expect(issues({ loss: { r1Gamma: 10 }, model: { dNorm } }), dNorm).toEqual([]);
    expect(issues({ loss: { r1Gamma: 10 }, model: { minibatchStddev: true } })).toEqual([]);
  });

  it('refuses a class-conditional D with an unconditional G, and takes the other combinations', () => {
    for (const dConditioning of ['projection', 'acgan']) {
      expect(issues({ model: { dConditioning } })).toEqual([
        {
          path: 'model.gConditioning',
          message: `a class-conditional D (model.dConditioning ${dConditioning}) needs a class-conditional G: set model.gConditioning to cbn or embedding, or model.dConditioning to none`,
        },
      ]);
    }
    expect(issues({ model: { dConditioning: 'acgan', gConditioning: 'embedding' } })).toEqual([]);
    expect(issues({ model: { dConditioning: 'projection', gConditioning: 'cbn' } })).toEqual([]);
    expect(issues({ model: { dConditioning: 'none', gConditioning: 'cbn' } })).toEqual([]);
  });

  it('refuses feature matching on a layer past model.depth, only when it is on and the depth is set', () => {
    const fm = (enabled: boolean, layer: number, depth: number | null) => ({ model: { depth }, stabilizers: { featureMatching: { enabled, layer } } });
    expect(issues(fm(true, 4, 3))).toEqual([
      { path: 'stabilizers.featureMatching.layer', message: 'D has 3 blocks (model.depth): stabilizers.featureMatching.layer must be at most 3' },
    ]);
    expect(issues(fm(true, 3, 3))).toEqual([]);
    expect(issues(fm(true, 0, 1))).toEqual([]);
    expect(issues(fm(false, 4, 3))).toEqual([]);
    // With depth null the block count depends on the dataset: runs.create checks it, not the schema.
    expect(issues(fm(true, 6, null))).toEqual([]);
  });

  it('refuses ADA without a DiffAugment policy to adapt', () => {
    expect(issues({ augment: { ada: { enabled: true } } })).toEqual([
      { path: 'augment.ada.enabled', message: 'ADA adapts the probability of the DiffAugment policies: choose at least one policy' },
    ]);
    expect(issues({ augment: { ada: { enabled: true }, diffAugment: ['cutout'] } })).toEqual([]);
    expect(issues({ augment: { ada: { enabled: false }, diffAugment: [] } })).toEqual([]);
  });

  it('leaves every one of these combinations readable from a stored run', () => {
    const stored = {
      loss: { type: 'wgan-gp', r1Gamma: 1 },
      model: { dNorm: 'batch', minibatchStddev: true, dConditioning: 'acgan', depth: 2 },
      stabilizers: { labelSmoothing: { realMin: 0.9, realMax: 0.8 }, featureMatching: { enabled: true, layer: 5 } },
      augment: { ada: { enabled: true } },
    };
    expect(TrainingConfig.safeParse(stored).success).toBe(false);
    expect(StoredTrainingConfig.parse(stored)).toMatchObject(stored);
  });
});
