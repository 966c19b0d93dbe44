/** Training-config facts from the server: the presets, the defaults, and validation against the one schema. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ResponseOf } from '@common/contract';
import type { TrainingConfig } from '@common/training-config';
import { useClient } from './client';

export type PresetInfo = ResponseOf<'config.presets'>[number];
export type Resolution = ResponseOf<'config.resolve'>;

export const useConfigStore = defineStore('config', () => {
  const client = useClient();
  const presets = ref<PresetInfo[]>([]);
  const defaults = ref<TrainingConfig | null>(null);
  let loading: Promise<void> | null = null;

  /** Presets and defaults, fetched once. */
  function load(): Promise<void> {
    loading ??= Promise.all([client.call('config.presets'), client.call('config.defaults')])
      .then(([p, d]) => {
        presets.value = p;
        defaults.value = d;
      })
      .catch((e: unknown) => {
        loading = null;
        throw e;
      });
    return loading;
  }

  function presetConfig(name: string | null | undefined): TrainingConfig | null {
    return presets.value.find((p) => p.name === name)?.config ?? null;
  }

  /** Validates a whole config: the messages are the schema's own, with the field path of each. */
  function resolve(config: unknown, preset?: string): Promise<Resolution> {
    return client.call('config.resolve', preset ? { preset, config } : { config });
  }

  return { presets, defaults, load, presetConfig, resolve };
});
