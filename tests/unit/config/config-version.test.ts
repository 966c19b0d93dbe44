/** Stored configs carry a version: an old one is migrated and read without today's cross-field rules; a newer or malformed one is refused by name. */
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, readStoredConfig } from '../../../src-main/common/config-version';
import { WorkbenchError } from '../../../src-main/common/errors';
import { defaultTrainingConfig, TrainingConfig } from '../../../src-main/common/training-config';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('readStoredConfig', () => {
  it('reads a config of every version up to today’s, filling fields added since with their defaults', () => {
    const current = defaultTrainingConfig();
    expect(readStoredConfig(clone(current), CONFIG_VERSION)).toEqual(current);
    // Versions 1 and 2 held EMA's per-step decay where version 3 holds a half-life in images and a ramp-up.
    const { halfLifeImages: _h, rampup: _r, ...ema } = current.stabilizers.ema;
    const v2 = { ...current, stabilizers: { ...current.stabilizers, ema: { ...ema, decay: 0.999 } } };
    const migrated = { ...current, stabilizers: { ...current.stabilizers, ema: { ...ema, halfLifeImages: (64 * Math.log(0.5)) / Math.log(0.999), rampup: 0 } } };
    for (let v = 1; v < 3; v++) expect(readStoredConfig(clone(v2), v)).toEqual(migrated);
    const { compute: _compute, ...withoutCompute } = v2;
    expect(readStoredConfig(withoutCompute, 1).compute).toEqual(current.compute);
  });

  it('turns a version-2 EMA decay into the half-life with the same β and no ramp-up, so a stored run resumes as it trained', () => {
    const read = readStoredConfig({ batchSize: 32, stabilizers: { ema: { enabled: true, decay: 0.99, startStep: 50 } } }, 2);
    // β = 0.5^(32 / half-life) = 0.99 ⇔ half-life = 32 · ln 0.5 / ln 0.99 ≈ 2 207 images.
    expect(read.stabilizers.ema).toEqual({ enabled: true, halfLifeImages: (32 * Math.log(0.5)) / Math.log(0.99), rampup: 0, startStep: 50 });
    expect(read.stabilizers.ema.halfLifeImages).toBeCloseTo(2207.0, 0);
    expect(read.stabilizers.ema).not.toHaveProperty('decay');
    // A version-2 config without the field trained with its default, 0.999 at the batch it had (default 64).
    expect(readStoredConfig({}, 2).stabilizers.ema).toMatchObject({ halfLifeImages: (64 * Math.log(0.5)) / Math.log(0.999), rampup: 0 });
    // A decay that was never valid is refused by name, not turned into a half-life.
    expect(() => readStoredConfig({ stabilizers: { ema: { decay: 'high' } } }, 2)).toThrow(/decay/);
  });

  it('drops a version-3 best-checkpoint metric: the best is the lowest KID of the evaluated checkpoints, never a loss, and evaluation starts off', () => {
    const current = defaultTrainingConfig();
    const { evaluation: _e, ...v3 } = { ...clone(current), bestMetric: { key: 'sample_diversity', mode: 'max' } };
    const read = readStoredConfig(v3, 3);
    expect(read).not.toHaveProperty('bestMetric');
    expect(read.evaluation).toEqual({ everyCheckpoints: 0, n: 500 });
    expect(read).toEqual(current);
    // Every older version carried it too.
    expect(readStoredConfig({ bestMetric: { key: 'g_loss', mode: 'min' } }, 1)).not.toHaveProperty('bestMetric');
    // Today's schema no longer knows the field: a new config naming it is refused by name.
    expect(TrainingConfig.safeParse({ bestMetric: { key: 'g_loss' } }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['bestMetric'] });
  });

  it('reads a version-2 EMA section stored as null as the version-2 defaults', () => {
    const defaultHalfLife = (64 * Math.log(0.5)) / Math.log(0.999);
    expect(readStoredConfig({ stabilizers: { ema: null } }, 2).stabilizers.ema).toEqual({ enabled: false, halfLifeImages: defaultHalfLife, rampup: 0, startStep: 0 });
    expect(readStoredConfig({ stabilizers: null }, 2).stabilizers.ema).toEqual({ enabled: false, halfLifeImages: defaultHalfLife, rampup: 0, startStep: 0 });
  });

  it('keeps a stored combination today’s rules refuse, which a new config may not have', () => {
    const stored = { loss: { type: 'hinge' }, stabilizers: { labelSmoothing: { mode: 'one-sided' } } };
    expect(TrainingConfig.safeParse(stored).success).toBe(false);
    expect(readStoredConfig(stored, 1)).toMatchObject(stored);
  });

  it('refuses a newer, a nonsensical or a non-object config with a message saying which', () => {
    expect(() => readStoredConfig({}, CONFIG_VERSION + 1)).toThrow(/from a newer GAN Workbench \(this one reads up to \d+\); update the app/);
    expect(() => readStoredConfig({}, 0)).toThrow(/config version 0 is not a version/);
    expect(() => readStoredConfig([], 1)).toThrow(/must be a JSON object/);
    // Bounds that always held still hold: a stored config is not a way around them.
    expect(() => readStoredConfig({ batchSize: 4096 }, 1)).toThrow();
  });

  it('refuses with CONFLICT (the run exists but this app cannot read it), whatever the reason', () => {
    const refusal = (raw: unknown, version: number) => {
      try {
        readStoredConfig(raw, version);
      } catch (e) {
        return e instanceof WorkbenchError ? { code: e.code, message: e.message } : e;
      }
      return 'read';
    };
    expect(refusal({}, 0)).toEqual({ code: 'CONFLICT', message: 'config version 0 is not a version of GAN Workbench' });
    expect(refusal({}, 1.5)).toEqual({ code: 'CONFLICT', message: 'config version 1.5 is not a version of GAN Workbench' });
    expect(refusal({}, CONFIG_VERSION + 1)).toEqual({
      code: 'CONFLICT',
      message: `this run's config is version ${CONFIG_VERSION + 1}, from a newer GAN Workbench (this one reads up to ${CONFIG_VERSION}); update the app`,
    });
    // Read at today's version (no migration runs), so only the check itself can refuse them.
    for (const raw of [null, [], '{}', 42]) {
      expect(refusal(raw, CONFIG_VERSION), JSON.stringify(raw)).toEqual({ code: 'CONFLICT', message: 'a stored config must be a JSON object' });
    }
    expect(refusal({}, CONFIG_VERSION)).toBe('read');
  });
});
