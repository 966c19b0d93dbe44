/** Stored configs carry a version: an old one is migrated and read without today's cross-field rules; a newer or malformed one is refused by name. */
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, readStoredConfig } from '../../../src-main/common/config-version';
import { defaultTrainingConfig, TrainingConfig } from '../../../src-main/common/training-config';

describe('readStoredConfig', () => {
  it('reads a config of every version up to today’s, filling fields added since with their defaults', () => {
    const current = defaultTrainingConfig();
    for (let v = 1; v <= CONFIG_VERSION; v++) expect(readStoredConfig(JSON.parse(JSON.stringify(current)), v)).toEqual(current);
    const { compute: _compute, ...withoutCompute } = current;
    expect(readStoredConfig(withoutCompute, 1).compute).toEqual(current.compute);
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
});
