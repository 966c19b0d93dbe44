/** The one training-config schema: presets, --set overrides and the exact validation errors users see. */
import { describe, expect, it } from 'vitest';
import { parseOverride, resolveConfig } from '../../../src-main/common/config-resolve';
import { PRESETS, PRESET_NAMES } from '../../../src-main/common/presets';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';

describe('resolveConfig', () => {
  it('fills every field with its default', () => {
    const r = resolveConfig({});
    expect(r).toEqual({ ok: true, config: defaultTrainingConfig(), advice: [] });
    expect(defaultTrainingConfig()).toMatchObject({ loss: { type: 'non-saturating', nCritic: 1 }, model: { arch: 'dcgan', gNorm: 'batch' } });
  });

  it.each(PRESET_NAMES)('preset %s resolves to a complete, valid config', (name) => {
    const r = resolveConfig({ preset: name });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config).toMatchObject(PRESETS[name].config as object);
  });

  it('gives presets their papers’ settings', () => {
    const get = (preset: string) => {
      const r = resolveConfig({ preset });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.config;
    };
    expect(get('wgan').loss).toMatchObject({ type: 'wgan', clipValue: 0.01, nCritic: 5 });
    expect(get('wgan-gp').loss).toMatchObject({ type: 'wgan-gp', gpWeight: 10, nCritic: 5 });
    expect(get('sngan-hinge').model).toMatchObject({ arch: 'resnet', dNorm: 'spectral' });
    expect(get('sngan-hinge').loss.type).toBe('hinge');
    expect(get('small-data').augment).toMatchObject({ diffAugment: ['color', 'translation', 'cutout'], ada: { enabled: true, target: 0.6 } });
  });

  it('applies --set overrides over the preset and the file, in that order', () => {
    const r = resolveConfig({
      preset: 'wgan-gp',
      config: { loss: { gpWeight: 5 }, batchSize: 32 },
      overrides: ['loss.gpWeight=1', 'model.dNorm=instance', 'augment.diffAugment=["color"]', 'stabilizers.ema.enabled=true'],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.loss).toMatchObject({ type: 'wgan-gp', gpWeight: 1, nCritic: 5 });
    expect(r.config.batchSize).toBe(32);
    expect(r.config.model.dNorm).toBe('instance');
    expect(r.config.augment.diffAugment).toEqual(['color']);
    expect(r.config.stabilizers.ema.enabled).toBe(true);
  });

  it('names the field and the reason of each error', () => {
    const r = resolveConfig({ overrides: ['batchSize=0', 'loss.type=wasserstein', 'model.nope=1'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['batchSize', 'loss.type', 'model']));
    expect(r.issues.find((i) => i.path === 'batchSize')?.message).toMatch(/>=\s*2|too small/i);
    expect(r.issues.find((i) => i.path === 'model')?.message).toMatch(/nope/);
  });

  it('refuses combinations that cannot work, at the field to change', () => {
    const smoothing = resolveConfig({ config: { loss: { type: 'hinge' }, stabilizers: { labelSmoothing: { mode: 'one-sided' } } } });
    expect(smoothing).toMatchObject({ ok: false, issues: [{ path: 'stabilizers.labelSmoothing.mode' }] });
    const gpWithBatchNorm = resolveConfig({ preset: 'wgan-gp', overrides: ['model.dNorm=batch'] });
    expect(gpWithBatchNorm).toMatchObject({ ok: false, issues: [{ path: 'model.dNorm' }] });
    const ranges = resolveConfig({ overrides: ['stabilizers.labelSmoothing.mode=two-sided', 'stabilizers.labelSmoothing.realMin=0.95'] });
    expect(ranges).toMatchObject({ ok: false, issues: [{ path: 'stabilizers.labelSmoothing.realMin' }] });
  });

  it('refuses an unknown preset and lists the known ones', () => {
    const r = resolveConfig({ preset: 'stylegan9' });
    expect(r).toMatchObject({ ok: false, issues: [{ path: 'preset' }] });
    if (!r.ok) expect(r.issues[0]!.message).toContain('wgan-gp');
  });
});

describe('parseOverride', () => {
  it('reads JSON values and falls back to strings', () => {
    expect(parseOverride('a.b=3')).toEqual({ a: { b: 3 } });
    expect(parseOverride('a=true')).toEqual({ a: true });
    expect(parseOverride('a=[1,2]')).toEqual({ a: [1, 2] });
    expect(parseOverride('loss.type=hinge')).toEqual({ loss: { type: 'hinge' } });
  });

  it('refuses malformed overrides and prototype keys', () => {
    expect(() => parseOverride('novalue')).toThrow(/path.to.key=value/);
    expect(() => parseOverride('__proto__.x=1')).toThrow(/invalid key path/);
    expect(() => parseOverride('a..b=1')).toThrow(/invalid key path/);
  });
});
