/** settings.get and settings.update: the stored settings, and what their automatic values resolve to now. */
import type { SettingsPatch, SettingsView } from '../../common/settings';
import type { SettingsRepo } from '../store/settings-repo';
import type { MemoryBudget } from './memory-budget';

export class SettingsService {
  constructor(
    private readonly repo: SettingsRepo,
    private readonly budget: MemoryBudget,
  ) {}

  view(): SettingsView {
    return { settings: this.repo.get(), memoryBudget: this.budget.info() };
  }

  update(patch: SettingsPatch): SettingsView {
    this.repo.update(patch);
    return this.view();
  }
}
