/** Settings on a real SQLite file (migration 6, defaults, partial updates, values it cannot read) and the memory budget they set. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resolveConfigOrThrow } from '../../../src-main/common/config-resolve';
import { WorkbenchError } from '../../../src-main/common/errors';
import { BYTES_PER_MB, estimateModelSize } from '../../../src-main/common/model-size';
import { MemoryBudgetInfo, Settings, SettingsPatch, SettingsView } from '../../../src-main/common/settings';
import { MemoryBudget, automaticBudget } from '../../../src-main/core/settings/memory-budget';
import { SCHEMA_VERSION, migrate } from '../../../src-main/core/store/database';
import { migrations } from '../../../src-main/core/store/migrations';
import { Store } from '../../../src-main/core/store/store';
import settingsEn from '../../../src-renderer/i18n/settings.en';
import settingsZhCN from '../../../src-renderer/i18n/settings.zh-CN';
import { tempDir } from '../../fixtures/workbench';

const dbFile = () => join(tempDir('settings'), 'workbench.sqlite');

describe('SettingsRepo', () => {
  it('adds the settings table to a database of version 5 and starts from the defaults', () => {
    const file = dbFile();
    const old = new Database(file);
    migrate(old, migrations.filter((m) => m.version < 6));
    old.close();
    const store = Store.open(file);
    expect(store.db.prepare('SELECT MAX(version) AS v FROM migrations').get()).toEqual({ v: SCHEMA_VERSION });
    expect(store.settings.get()).toEqual({ memoryBudgetMB: null, trainingSlots: 1 });
    store.close();
  });

  it('round-trips an update through the file, and null sets a value back to automatic', () => {
    const file = dbFile();
    const store = Store.open(file);
    expect(store.settings.update({ memoryBudgetMB: 3000 })).toEqual({ memoryBudgetMB: 3000, trainingSlots: 1 });
    // An empty patch changes nothing, nor does a key left undefined (as a structured clone over IPC keeps it).
    expect(store.settings.update({})).toEqual({ memoryBudgetMB: 3000, trainingSlots: 1 });
    expect(store.settings.update({ memoryBudgetMB: undefined, trainingSlots: 2 })).toEqual({ memoryBudgetMB: 3000, trainingSlots: 2 });
    store.close();
    const reopened = Store.open(file);
    expect(reopened.settings.get()).toEqual({ memoryBudgetMB: 3000, trainingSlots: 2 });
    expect(reopened.settings.update({ memoryBudgetMB: null })).toEqual({ memoryBudgetMB: null, trainingSlots: 2 });
    reopened.close();
  });

  it('reads a stored value it cannot accept as the default, and keeps it and unknown keys in the table', () => {
    const store = Store.open(dbFile());
    const put = store.db.prepare('INSERT OR REPLACE INTO settings (key, value_json) VALUES (?, ?)');
    put.run('memoryBudgetMB', '"lots"');
    put.run('gpuAdapter', '"from a newer version"');
    expect(store.settings.get()).toEqual({ memoryBudgetMB: null, trainingSlots: 1 });
    put.run('memoryBudgetMB', 'not json');
    expect(store.settings.get()).toEqual({ memoryBudgetMB: null, trainingSlots: 1 });
    expect(store.db.prepare('SELECT key, value_json FROM settings ORDER BY key').all()).toEqual([
      { key: 'gpuAdapter', value_json: '"from a newer version"' },
      { key: 'memoryBudgetMB', value_json: 'not json' },
    ]);
    store.close();
  });

  it('validates a patch: whole MB and whole slots within bounds, known keys only', () => {
    expect(SettingsPatch.parse({})).toEqual({});
    expect(SettingsPatch.parse({ memoryBudgetMB: null })).toEqual({ memoryBudgetMB: null });
    const messages = (v: unknown) => SettingsPatch.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages({ memoryBudgetMB: 10 })).toEqual(['memoryBudgetMB: memoryBudgetMB must be at least 64']);
    expect(messages({ memoryBudgetMB: 2_000_000 })).toEqual(['memoryBudgetMB: memoryBudgetMB must be at most 1048576']);
    expect(messages({ memoryBudgetMB: 100.5 })).toEqual(['memoryBudgetMB: memoryBudgetMB must be a whole number of MB']);
    expect(messages({ memoryBudgetMB: '512' })).toHaveLength(1);
    expect(messages({ gpu: 'x' })?.[0]).toMatch(/gpu/);
    expect(messages({ trainingSlots: 0 })).toEqual(['trainingSlots: trainingSlots must be at least 1']);
    expect(messages({ trainingSlots: 17 })).toEqual(['trainingSlots: trainingSlots must be at most 16']);
    expect(messages({ trainingSlots: 1.5 })).toEqual(['trainingSlots: trainingSlots must be a whole number']);
    expect(SettingsPatch.parse({ trainingSlots: 3 })).toEqual({ trainingSlots: 3 });
  });
});

describe('MemoryBudget', () => {
  const GB = 1024 * BYTES_PER_MB;
  const budget = (memoryBudgetMB: number | null, free = 8 * GB, gpu: number | null = null) =>
    new MemoryBudget({ settings: () => ({ memoryBudgetMB, trainingSlots: 1 }), freeMemory: () => free, gpuBufferLimit: () => gpu });

  it('is half the free RAM, or the GPU buffer limit when the backend reports one, unless settings set it', () => {
    expect(automaticBudget(8 * GB)).toEqual({ bytes: 4 * GB, source: 'free-memory' });
    expect(automaticBudget(8 * GB, 2 * GB)).toEqual({ bytes: 2 * GB, source: 'gpu-buffer-limit' });
    expect(budget(null).info()).toEqual({ automaticMB: 4096, automaticSource: 'free-memory', effectiveMB: 4096, source: 'free-memory' });
    expect(budget(null, 8 * GB, GB).info()).toEqual({ automaticMB: 1024, automaticSource: 'gpu-buffer-limit', effectiveMB: 1024, source: 'gpu-buffer-limit' });
    expect(budget(700).info()).toEqual({ automaticMB: 4096, automaticSource: 'free-memory', effectiveMB: 700, source: 'settings' });
  });

  it('answers settings.get with the stored settings and the budget in force, unchanged by the contract', () => {
    for (const b of [budget(null), budget(null, 8 * GB, GB), budget(700)]) {
      const view = { settings: Settings.parse({}), memoryBudget: b.info() };
      expect(SettingsView.parse(view)).toEqual(view);
    }
  });

  it('names where an automatic budget comes from in both languages, and never says it comes from the settings', () => {
    const automatic = MemoryBudgetInfo.shape.automaticSource.options;
    expect(Object.keys(settingsEn.settings.memory.sources)).toEqual(automatic);
    expect(Object.keys(settingsZhCN.settings.memory.sources)).toEqual(automatic);
    const info = budget(700).info();
    expect(MemoryBudgetInfo.safeParse({ ...info, automaticSource: 'settings' }).error?.issues[0]?.path).toEqual(['automaticSource']);
    expect(MemoryBudgetInfo.safeParse({ ...info, source: 'swap' }).error?.issues[0]?.path).toEqual(['source']);
  });

  it('reads the free RAM at each request', () => {
    let free = 2 * GB;
    const b = new MemoryBudget({ settings: () => ({ memoryBudgetMB: null, trainingSlots: 1 }), freeMemory: () => free });
    expect(b.info().effectiveMB).toBe(1024);
    free = 6 * GB;
    expect(b.info().effectiveMB).toBe(3072);
  });

  const mnist = { size: 28, channels: 1, numClasses: 0 };
  const refusal = (b: MemoryBudget, config: ReturnType<typeof resolveConfigOrThrow>, data = mnist) => {
    try {
      b.check(config, data);
    } catch (e) {
      if (e instanceof WorkbenchError) return e;
      throw e;
    }
    return null;
  };

  it('refuses a config over the budget with the estimate and the budget, at batchSize when activations dominate', () => {
    const config = resolveConfigOrThrow({});
    const total = estimateModelSize(config, mnist).bytes.total;
    expect(refusal(budget(Math.ceil(total / BYTES_PER_MB)), config)).toBeNull();
    const e = refusal(budget(64), config);
    expect(e?.code).toBe('INVALID_REQUEST');
    expect(e?.message).toMatch(/^this config needs ≈ 672 k parameters · ≈ \d+ MB while training, over the memory budget of 64 MB \(set in Settings\)/);
    expect(e?.details).toMatchObject({ issues: [{ path: 'config.batchSize' }], estimate: { parameters: 672_450 }, budget: { bytes: 64 * BYTES_PER_MB, source: 'settings' } });
  });

  it('points at the model when the weights and optimizer dominate, and names half the free RAM as the budget', () => {
    const config = resolveConfigOrThrow({ config: { batchSize: 2, model: { gWidth: 512, dWidth: 512 } } });
    const e = refusal(budget(null, 256 * BYTES_PER_MB), config);
    expect(e?.message).toContain('over the memory budget of 128 MB (half the free RAM)');
    expect(e?.details).toMatchObject({ issues: [{ path: 'config.model' }] });
  });

  it('refuses a depth the images cannot take at model.depth, before estimating', () => {
    const e = refusal(budget(null), resolveConfigOrThrow({ config: { model: { depth: 4 } } }));
    expect(e?.code).toBe('INVALID_REQUEST');
    expect(e?.details).toMatchObject({ issues: [{ path: 'config.model.depth', message: expect.stringContaining('depth 4 does not fit image size 28') }] });
  });
});
