/** Which techniques a config turns on (techniquesOf): each by its own field, a zero weight turning its term off, and nothing else with it. */
import { describe, expect, it } from 'vitest';
import { techniquesOf, type Techniques } from '../../../../src-main/engine/session/techniques';
import { tinyConfig } from './helpers';

/** The flags of a config with nothing turned on. */
const OFF: Techniques = {
  bce: true,
  gp: false,
  r1: false,
  clip: false,
  condG: false,
  condD: false,
  conditional: false,
  acgan: false,
  fm: false,
  haD: false,
  haG: false,
  averagedDForG: false,
  averageD: false,
  classicAugment: false,
  diffAugment: [],
  ada: false,
  instanceNoise: false,
  ema: false,
  separateD: false,
};

const flags = (config: Record<string, unknown>) => techniquesOf(tinyConfig(config));

describe('techniquesOf', () => {
  it('turns nothing on for the default non-saturating config', () => {
    expect(flags({})).toEqual(OFF);
  });

  it('reads the loss: smoothing targets for cross-entropy only, the gradient penalty while λ > 0, clipping for WGAN', () => {
    expect(flags({ loss: { type: 'wgan-gp' } })).toEqual({ ...OFF, bce: false, gp: true });
    expect(flags({ loss: { type: 'wgan-gp', gpWeight: 0 } })).toEqual({ ...OFF, bce: false });
    expect(flags({ loss: { type: 'wgan' } })).toEqual({ ...OFF, bce: false, clip: true });
    expect(flags({ loss: { type: 'hinge', r1Gamma: 0.5 } })).toEqual({ ...OFF, bce: false, r1: true });
    expect(flags({ loss: { type: 'minimax' } })).toEqual(OFF);
  });

  it('conditions each net on its own field; ACGAN terms only with a weight above 0', () => {
    expect(flags({ model: { gConditioning: 'cbn' } })).toEqual({ ...OFF, condG: true, conditional: true });
    expect(flags({ model: { gConditioning: 'embedding', dConditioning: 'projection' } })).toEqual({ ...OFF, condG: true, condD: true, conditional: true });
    expect(flags({ model: { gConditioning: 'cbn', dConditioning: 'acgan' } })).toEqual({ ...OFF, condG: true, condD: true, conditional: true, acgan: true });
    expect(flags({ model: { gConditioning: 'cbn', dConditioning: 'acgan', acganWeight: 0 } })).toEqual({ ...OFF, condG: true, condD: true, conditional: true });
  });

  it('keeps a running average of D for its penalty or for G’s averaged D, of G for its penalty only', () => {
    expect(flags({ stabilizers: { historicalAveraging: { dWeight: 0.5 } } })).toEqual({ ...OFF, haD: true, averageD: true });
    expect(flags({ stabilizers: { historicalAveraging: { gWeight: 0.5 } } })).toEqual({ ...OFF, haG: true });
    expect(flags({ stabilizers: { historicalAveraging: { averagedDForG: true } } })).toEqual({ ...OFF, averagedDForG: true, averageD: true });
  });

  it('turns on the stabilizers and augmentations each by its own field', () => {
    expect(flags({ stabilizers: { featureMatching: { enabled: true } } })).toEqual({ ...OFF, fm: true });
    expect(flags({ stabilizers: { instanceNoise: { std: 0.1 } } })).toEqual({ ...OFF, instanceNoise: true });
    expect(flags({ stabilizers: { ema: { enabled: true } } })).toEqual({ ...OFF, ema: true });
    expect(flags({ augment: { flip: 0.5 } })).toEqual({ ...OFF, classicAugment: true });
    expect(flags({ augment: { diffAugment: ['color', 'cutout'] } })).toEqual({ ...OFF, diffAugment: ['color', 'cutout'] });
    expect(flags({ augment: { diffAugment: ['color'], ada: { enabled: true } } })).toEqual({ ...OFF, diffAugment: ['color'], ada: true });
  });

  it('runs D apart on reals and fakes exactly when it looks across its batch (batch norm, minibatch features)', () => {
    expect(flags({ model: { dNorm: 'batch' } }).separateD).toBe(true);
    expect(flags({ model: { minibatchStddev: true } }).separateD).toBe(true);
    expect(flags({ model: { minibatchDiscrimination: { enabled: true } } }).separateD).toBe(true);
    expect(flags({ model: { dNorm: 'layer' } }).separateD).toBe(false);
  });
});
