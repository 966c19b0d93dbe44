/** Training-config facts for the editor, computed here from the one schema the server uses too: presets, defaults, and validation while editing. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ResponseOf } from '@common/contract';
import { resolveConfig } from '@common/config-resolve';
import { resolvedPresets } from '@common/presets';
import { defaultTrainingConfig, type TrainingConfig } from '@common/training-config';

export type PresetInfo = ResponseOf<'config.presets'>[number];
export type Resolution = ResponseOf<'config.resolve'>;

export const useConfigStore = defineStore('config', () => {
  const presets = ref<PresetInfo[]>([]);
  const defaults = ref<TrainingConfig | null>(null);

  /** Presets and defaults: the bundled schema computes them, so an edit never waits on the server. */
  function load(): Promise<void> {
    if (defaults.value === null) {
      presets.value = resolvedPresets();
      defaults.value = defaultTrainingConfig();
    }
    return Promise.resolve();
  }

  function presetConfig(name: string | null | undefined): TrainingConfig | null {
    return presets.value.find((p) => p.name === name)?.config ?? null;
  }

  /**
   * Validates a whole config while it is edited, with the resolver main runs on create and fork
   * (common/config-resolve.ts): the messages are the schema's own, with the field path of each.
   */
  function resolve(config: unknown, preset?: string): Promise<Resolution> {
    return Promise.resolve(resolveConfig(preset ? { preset, config } : { config }));
  }

  return { presets, defaults, load, presetConfig, resolve };
});
