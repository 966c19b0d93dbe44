/**
 * The whole technique matrix on webgpu against the cpu backend (`npm run test:webgpu`; minutes on
 * SwiftShader): every preset on both architectures, every normalization, conditioning, loss,
 * stabilizer, augmentation and optimizer. Each trains 3 steps on both backends from the same seed,
 * with plain SGD unless the case is about the optimizer; about 45 minutes on SwiftShader with 2 busy
 * cores.
 */
import { beforeAll, describe, it } from 'vitest';
import { PRESET_NAMES, type PresetName } from '../../src-main/common/presets';
import { resolveBackend } from '../../src-main/engine/backends/resolve-backend';
import { webgpuAdapterForTests } from '../fixtures/webgpu-env';
import { expectSameAsCpu } from '../unit/engine/backends/webgpu-parity';
import { tinyConfig } from '../unit/engine/session/helpers';

const adapter = await webgpuAdapterForTests();

type Case = [name: string, config: Record<string, unknown>, preset?: PresetName];

/**
 * Plain SGD unless a case is about the optimizer: its update is lr·g, so the comparison sees the
 * gradients themselves; Adam would scale rounding noise in exactly-zero gradients up to lr.
 */
const SGD = { type: 'sgd', lr: 0.01, momentum: 0 };
function plainSgd(config: Record<string, unknown>): Record<string, unknown> {
  return 'optimizerG' in config ? config : { ...config, optimizerG: SGD, optimizerD: SGD };
}

const NORMS = ['none', 'batch', 'layer', 'instance', 'spectral'] as const;

const CASES: Case[] = [
  // Two critic steps, not the WGAN presets' five: the kernels are the same, SwiftShader's minutes are not.
  ...PRESET_NAMES.flatMap((preset) =>
    (['dcgan', 'resnet'] as const).map((arch): Case => [`preset ${preset} / ${arch}`, { model: { arch }, ...(preset.startsWith('wgan') ? { loss: { nCritic: 2 } } : {}) }, preset]),
  ),
  ...NORMS.map((n): Case => [`D norm ${n}`, { model: { dNorm: n } }]),
  ...NORMS.map((n): Case => [`G norm ${n}`, { model: { gNorm: n } }]),
  ...(['cbn', 'embedding'] as const).flatMap((g) =>
    (['projection', 'acgan'] as const).map((d): Case => [`conditional G ${g} × D ${d}`, { model: { gConditioning: g, dConditioning: d } }]),
  ),
  ['conditional ResNet (cbn × projection)', { model: { arch: 'resnet', gConditioning: 'cbn', dConditioning: 'projection' } }],
  ...(['minimax', 'non-saturating', 'wgan', 'wgan-gp', 'hinge', 'lsgan'] as const).map((type): Case => [`loss ${type} + R1`, { loss: { type, r1Gamma: 2 } }]),
  ['WGAN-GP on a ResNet with instance norm, 2 critic steps', { model: { arch: 'resnet', dNorm: 'instance' }, loss: { type: 'wgan-gp', nCritic: 2 } }],
  ['label smoothing one-sided', { stabilizers: { labelSmoothing: { mode: 'one-sided' } } }],
  ['label smoothing two-sided', { stabilizers: { labelSmoothing: { mode: 'two-sided' } } }],
  ['feature matching', { stabilizers: { featureMatching: { enabled: true, weight: 2, adversarialWeight: 0.5 } } }],
  ['historical averaging as penalties', { stabilizers: { historicalAveraging: { gWeight: 0.5, dWeight: 2 } } }],
  ['historical averaging: G trained against the averaged D', { stabilizers: { historicalAveraging: { averagedDForG: true } } }],
  ['minibatch standard deviation', { model: { minibatchStddev: true } }],
  ['minibatch discrimination', { model: { minibatchDiscrimination: { enabled: true, kernels: 5, kernelDim: 3 } } }],
  ['instance noise', { stabilizers: { instanceNoise: { std: 0.5, annealSteps: 4 } } }],
  ['EMA of G', { stabilizers: { ema: { enabled: true, halfLifeImages: 80 } } }],
  [
    'every classic augmentation',
    {
      augment: {
        flip: 1,
        rotation: { p: 1, degrees: 30 },
        scale: { p: 1, amount: 0.3 },
        translation: { p: 1 },
        crop: { p: 1, fraction: 0.6 },
        colorJitter: { p: 1 },
        cutout: { p: 1 },
        noise: { p: 1, std: 0.2 },
      },
    },
  ],
  ['DiffAugment (color, translation, cutout) with ADA', { augment: { diffAugment: ['color', 'translation', 'cutout'], ada: { enabled: true, interval: 1 } } }],
  ['RMSProp with momentum, linear schedule', { optimizerG: { type: 'rmsprop', momentum: 0.5, schedule: 'linear' }, optimizerD: { type: 'rmsprop', schedule: 'linear' } }],
  ['Adam (β1 0.5, β2 0.99) with a linear schedule', { optimizerG: { type: 'adam', beta1: 0.5, beta2: 0.99, schedule: 'linear' }, optimizerD: { type: 'adam', beta1: 0.5, beta2: 0.99 } }],
  ['SGD with momentum, cosine schedule, gradient clipping', { optimizerG: { type: 'sgd', lr: 0.05, momentum: 0.9, schedule: 'cosine', gradClip: 0.01 }, optimizerD: { type: 'sgd', lr: 0.1, gradClip: 0.01 } }],
];

describe.skipIf(adapter === null)(`every technique on webgpu matches the cpu backend (${adapter?.description ?? 'no adapter'})`, () => {
  beforeAll(async () => {
    await resolveBackend('webgpu');
  });
  for (const [name, config, preset] of CASES) {
    it(name, async () => {
      await expectSameAsCpu(tinyConfig(plainSgd(config), preset));
    });
  }
});
