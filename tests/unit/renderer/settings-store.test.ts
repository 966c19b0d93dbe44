/** useSettingsStore over the real contract (real SQLite): load, change, and a refused change that keeps what was stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSettingsStore } from '../../../src-renderer/stores/settings';
import { setupRealStores } from './workbench-transport';

describe('settings store', () => {
  let stores: { close(): void };
  beforeAll(() => {
    stores = setupRealStores();
  });
  afterAll(() => stores.close());

  it('loads the automatic budget, saves an override, and refuses a bad one with the field and the schema’s message', async () => {
    const settings = useSettingsStore();
    expect(settings.budgetMB).toBeNull();
    const view = await settings.load();
    expect(view?.settings).toEqual({ memoryBudgetMB: null, trainingSlots: 1 });
    expect(settings.budgetMB).toBe(view?.memoryBudget.automaticMB);

    expect(await settings.update({ memoryBudgetMB: 512 })).toBe(true);
    expect(settings.budgetMB).toBe(512);
    expect(settings.view?.memoryBudget.source).toBe('settings');

    expect(await settings.update({ memoryBudgetMB: 3 })).toBe(false);
    expect(settings.issues).toEqual([{ path: 'memoryBudgetMB', message: 'memoryBudgetMB must be at least 64' }]);
    expect(settings.budgetMB).toBe(512);
    expect((await settings.load())?.settings).toEqual({ memoryBudgetMB: 512, trainingSlots: 1 });

    expect(await settings.update({ memoryBudgetMB: null })).toBe(true);
    expect(settings.issues).toEqual([]);
    expect(settings.view?.memoryBudget.source).toBe('free-memory');
  });
});
