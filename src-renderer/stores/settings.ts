/** Settings from the server: what is stored, what "automatic" means now, and changes validated by the contract. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SettingsPatch, SettingsView } from '@common/settings';
import { fieldIssuesOf, messageOf, useClient, type FieldIssue } from './client';

/** The field a refused change names, with the schema's own message. */
export type SettingsIssue = FieldIssue;

export const useSettingsStore = defineStore('settings', () => {
  const client = useClient();
  const view = ref<SettingsView | null>(null);
  const loading = ref(false);
  const saving = ref(false);
  const error = ref<string | null>(null);
  const issues = ref<SettingsIssue[]>([]);

  /** The budget new runs are checked against, in MB (null until loaded). */
  const budgetMB = computed(() => view.value?.memoryBudget.effectiveMB ?? null);

  /** Fetches anew each time: the automatic budget follows the free RAM. */
  async function load(): Promise<SettingsView | null> {
    loading.value = true;
    try {
      view.value = await client.call('settings.get');
      error.value = null;
    } catch (e) {
      error.value = messageOf(e);
    } finally {
      loading.value = false;
    }
    return view.value;
  }

  /** Sends only the settings to change; a refusal keeps the stored ones and says which field and why. */
  async function update(patch: SettingsPatch): Promise<boolean> {
    saving.value = true;
    try {
      view.value = await client.call('settings.update', patch);
      error.value = null;
      issues.value = [];
      return true;
    } catch (e) {
      error.value = messageOf(e);
      issues.value = fieldIssuesOf(e);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { view, loading, saving, error, issues, budgetMB, load, update };
});
