/** The one training-config schema: presets, --set overrides and the exact validation errors users see. */
import { describe, expect, it } from 'vitest';
import { deepMerge, parseOverride, presetPatchOrThrow, resolveConfig, resolveConfigOrThrow } from '../../../src-main/common/config-resolve';
import { WorkbenchError } from '../../../src-main/common/errors';
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
    expect(r).toEqual({
      ok: false,
      issues: [{ path: 'preset', message: 'unknown preset "stylegan9"; choose one of dcgan, wgan, wgan-gp, lsgan, sngan-hinge, small-data' }],
    });
  });

  it('refuses a config that is not a JSON object at the root, and reads a null field as null, not as absent', () => {
    for (const config of [null, [], 'loss.type=hinge', 3]) {
      expect(resolveConfig({ config }), JSON.stringify(config)).toEqual({ ok: false, issues: [{ path: '(root)', message: 'a config must be a JSON object' }] });
    }
    expect(resolveConfig({ config: { model: null } })).toMatchObject({ ok: false, issues: [{ path: 'model' }] });
    expect(resolveConfig({ overrides: ['model=null'] })).toMatchObject({ ok: false, issues: [{ path: 'model' }] });
  });
});

describe('resolveConfigOrThrow', () => {
  it('returns the resolved config when it is valid', () => {
    expect(resolveConfigOrThrow({ preset: 'lsgan', overrides: ['steps=10'] })).toMatchObject({ steps: 10, loss: { type: 'lsgan' } });
  });

  it('throws INVALID_REQUEST listing every issue, with paths under config. (the request field) except the preset', () => {
    const thrown = (fn: () => unknown): WorkbenchError => {
      try {
        fn();
      } catch (e) {
        if (e instanceof WorkbenchError) return e;
        throw e;
      }
      throw new Error('did not throw');
    };
    const e = thrown(() => resolveConfigOrThrow({ config: { seed: 2 ** 31 } }));
    const dMessage = 'a class-conditional D (model.dConditioning acgan) needs a class-conditional G: set model.gConditioning to cbn or embedding, or model.dConditioning to none';
    const issues = [{ path: 'config.seed', message: 'seed must be at most 2147483647' }];
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe('invalid training config: config.seed: seed must be at most 2147483647');
    expect(e.details).toEqual({ issues });
    const two = thrown(() => resolveConfigOrThrow({ config: { model: { dConditioning: 'acgan' }, augment: { ada: { enabled: true } } } }, 'fork.'));
    expect(two.message).toBe(
      `invalid training config: fork.model.gConditioning: ${dMessage}; fork.augment.ada.enabled: ADA adapts the probability of the DiffAugment policies: choose at least one policy`,
    );
    const preset = thrown(() => resolveConfigOrThrow({ preset: 'nope' }));
    expect(preset.details).toEqual({ issues: [{ path: 'preset', message: expect.stringContaining('unknown preset "nope"') }] });
    expect(preset.message).toMatch(/^invalid training config: preset: unknown preset "nope"/);
  });
});

describe('presetPatchOrThrow', () => {
  it("gives a preset's own settings, not the defaults, as a copy the caller may change", () => {
    const patch = presetPatchOrThrow('wgan-gp');
    expect(patch).toEqual(PRESETS['wgan-gp'].config);
    expect(patch).not.toHaveProperty('seed');
    (patch['loss'] as Record<string, unknown>)['gpWeight'] = 1;
    expect(PRESETS['wgan-gp'].config.loss?.gpWeight).toBe(10);
    expect(presetPatchOrThrow('dcgan')).toEqual({});
  });

  it('refuses an unknown preset with INVALID_REQUEST and the preset issue', () => {
    let error: unknown;
    try {
      presetPatchOrThrow('stylegan9');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkbenchError);
    const message = 'unknown preset "stylegan9"; choose one of dcgan, wgan, wgan-gp, lsgan, sngan-hinge, small-data';
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', message: `invalid training config: preset: ${message}`, details: { issues: [{ path: 'preset', message }] } });
  });
});

describe('deepMerge', () => {
  it('merges nested objects, and lets a scalar, an array or null replace what it lands on', () => {
    const base = { model: { depth: 3, dNorm: 'layer' }, augment: { diffAugment: ['color', 'cutout'] } };
    expect(deepMerge(base, { model: { depth: 4 } })).toEqual({ model: { depth: 4, dNorm: 'layer' }, augment: { diffAugment: ['color', 'cutout'] } });
    expect(deepMerge(base, { model: 5 })).toEqual({ model: 5, augment: { diffAugment: ['color', 'cutout'] } });
    expect(deepMerge(base, { model: null })).toEqual({ model: null, augment: { diffAugment: ['color', 'cutout'] } });
    expect(deepMerge(base, { augment: { diffAugment: ['translation'] } })).toEqual({ model: { depth: 3, dNorm: 'layer' }, augment: { diffAugment: ['translation'] } });
    expect(deepMerge({ model: 5 }, { model: { depth: 2 } })).toEqual({ model: { depth: 2 } });
    // The base is not changed.
    expect(base.model).toEqual({ depth: 3, dNorm: 'layer' });
  });
});

describe('parseOverride', () => {
  it('reads JSON values and falls back to strings', () => {
    expect(parseOverride('a.b=3')).toEqual({ a: { b: 3 } });
    expect(parseOverride('a=true')).toEqual({ a: true });
    expect(parseOverride('a=[1,2]')).toEqual({ a: [1, 2] });
    expect(parseOverride('loss.type=hinge')).toEqual({ loss: { type: 'hinge' } });
  });

  it('ignores spaces around the key path', () => {
    expect(parseOverride(' loss.nCritic = 5')).toEqual({ loss: { nCritic: 5 } });
  });

  it('refuses malformed overrides and prototype keys', () => {
    expect(() => parseOverride('novalue')).toThrow(/path.to.key=value/);
    expect(() => parseOverride('__proto__.x=1')).toThrow(/invalid key path/);
    expect(() => parseOverride('a..b=1')).toThrow(/invalid key path/);
  });

  it('says which override is malformed, with INVALID_REQUEST', () => {
    const refusal = (text: string) => {
      try {
        parseOverride(text);
      } catch (e) {
        return e instanceof WorkbenchError ? { code: e.code, message: e.message } : e;
      }
      return 'accepted';
    };
    expect(refusal('=5')).toEqual({ code: 'INVALID_REQUEST', message: '--set wants path.to.key=value, not "=5"' });
    expect(refusal('novalue')).toEqual({ code: 'INVALID_REQUEST', message: '--set wants path.to.key=value, not "novalue"' });
    expect(refusal('a..b=1')).toEqual({ code: 'INVALID_REQUEST', message: '--set has an invalid key path "a..b"' });
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(refusal(`model.${key}=1`), key).toEqual({ code: 'INVALID_REQUEST', message: `--set has an invalid key path "model.${key}"` });
    }
    expect(refusal('a=')).toBe('accepted');
  });
});
