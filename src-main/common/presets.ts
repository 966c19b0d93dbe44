/** Named starting points for a training config; each is a partial config that the schema completes. */
import { TrainingConfig, type TrainingConfigInput } from './training-config';

export interface Preset {
  name: string;
  summary: string;
  config: TrainingConfigInput;
}

export const PRESETS = {
  dcgan: {
    name: 'dcgan',
    summary: 'DCGAN with batch norm in G and the non-saturating loss (Radford et al. 2015).',
    config: {},
  },
  wgan: {
    name: 'wgan',
    summary: 'WGAN: critic with weight clipping, 5 critic steps per G step, RMSProp (Arjovsky et al. 2017).',
    config: {
      loss: { type: 'wgan', clipValue: 0.01, nCritic: 5 },
      optimizerG: { type: 'rmsprop', lr: 5e-5, beta2: 0.99 },
      optimizerD: { type: 'rmsprop', lr: 5e-5, beta2: 0.99 },
    },
  },
  'wgan-gp': {
    name: 'wgan-gp',
    summary: 'WGAN-GP: gradient penalty λ=10, 5 critic steps, Adam(0, 0.9), layer norm in the critic (Gulrajani et al. 2017).',
    config: {
      model: { dNorm: 'layer' },
      loss: { type: 'wgan-gp', gpWeight: 10, nCritic: 5 },
      optimizerG: { lr: 1e-4, beta1: 0, beta2: 0.9 },
      optimizerD: { lr: 1e-4, beta1: 0, beta2: 0.9 },
    },
  },
  lsgan: {
    name: 'lsgan',
    summary: 'Least-squares GAN (Mao et al. 2017).',
    config: { loss: { type: 'lsgan' } },
  },
  'sngan-hinge': {
    name: 'sngan-hinge',
    summary: 'ResNet + spectral norm in D + hinge loss, TTUR (Miyato et al. 2018).',
    config: {
      model: { arch: 'resnet', gNorm: 'batch', dNorm: 'spectral' },
      loss: { type: 'hinge' },
      optimizerG: { lr: 1e-4, beta1: 0, beta2: 0.9 },
      optimizerD: { lr: 4e-4, beta1: 0, beta2: 0.9 },
      stabilizers: { ema: { enabled: true } },
    },
  },
  'small-data': {
    name: 'small-data',
    summary: 'For a few hundred to a few thousand images: DiffAugment (color, translation, cutout) with ADA, spectral norm, EMA.',
    config: {
      model: { dNorm: 'spectral' },
      loss: { type: 'non-saturating' },
      augment: { diffAugment: ['color', 'translation', 'cutout'], ada: { enabled: true, target: 0.6 } },
      stabilizers: { ema: { enabled: true } },
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** Every preset with its whole config (the schema's defaults filled in), as the editor and `config.presets` show them. */
export function resolvedPresets(): { name: PresetName; summary: string; config: TrainingConfig }[] {
  return PRESET_NAMES.map((name) => ({ name, summary: PRESETS[name].summary, config: TrainingConfig.parse(PRESETS[name].config) }));
}
