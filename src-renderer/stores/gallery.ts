/** Gallery: images rendered on demand from a checkpoint (latent walks, class rows), newest first per run. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Generated, GenerateSpec } from '@common/domain';
import type { RequestOf } from '@common/contract';
import { messageOf, useClient } from './client';

export type GenerateInput = RequestOf<'runs.generate'>['spec'];

export const useGalleryStore = defineStore('gallery', () => {
  const client = useClient();
  const results = ref<Record<string, Generated[]>>({});
  const busy = ref(false);
  const error = ref<string | null>(null);

  /** Renders on a trainer process; the same request on the same checkpoint comes back from disk. */
  async function generate(runId: string, step: number | undefined, spec: GenerateInput): Promise<Generated | null> {
    busy.value = true;
    error.value = null;
    try {
      const generated = await client.call('runs.generate', { id: runId, ...(step !== undefined ? { step } : {}), spec });
      const list = (results.value[runId] ?? []).filter((g) => g.path !== generated.path);
      results.value[runId] = [generated, ...list];
      return generated;
    } catch (e) {
      error.value = messageOf(e);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return { results, busy, error, generate };
});

export type { Generated, GenerateSpec };
