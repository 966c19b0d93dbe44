/** The presets as the editor and `config.presets` show them: every preset, in order, with its summary and its whole config. */
import { describe, expect, it } from 'vitest';
import { PRESETS, PRESET_NAMES, resolvedPresets } from '../../../src-main/common/presets';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';

describe('resolvedPresets', () => {
  it('lists every preset in catalogue order with its summary', () => {
    const presets = resolvedPresets();
    expect(presets.map((p) => p.name)).toEqual(PRESET_NAMES);
    expect(presets.map((p) => p.name)).toEqual(['dcgan', 'wgan', 'wgan-gp', 'lsgan', 'sngan-hinge', 'small-data']);
    for (const p of presets) expect(p.summary, p.name).toBe(PRESETS[p.name].summary);
  });

  it('fills each preset with the defaults: DCGAN is the default config, WGAN-GP keeps its own settings', () => {
    const byName = Object.fromEntries(resolvedPresets().map((p) => [p.name, p.config]));
    expect(byName.dcgan).toEqual(defaultTrainingConfig());
    const gp = byName['wgan-gp']!;
    expect(gp.loss).toMatchObject({ type: 'wgan-gp', gpWeight: 10, nCritic: 5 });
    expect(gp.optimizerD).toMatchObject({ lr: 1e-4, beta1: 0, beta2: 0.9 });
    expect(gp.model.dNorm).toBe('layer');
    // What the preset does not set comes from the defaults.
    expect(gp.batchSize).toBe(defaultTrainingConfig().batchSize);
  });
});
