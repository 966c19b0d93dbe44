/** The memorization check's closest pairs of evaluated checkpoints (issue 12), per run and step, fetched again when that checkpoint is evaluated again. */
import { defineStore } from 'pinia';
import { onScopeDispose, ref } from 'vue';
import type { RunNearest } from '@common/nearest';
import { useClient } from './client';

const keyOf = (runId: string, step: number) => `${runId}@${step}`;

export const useNearestStore = defineStore('nearest', () => {
  const client = useClient();
  /** Per `runId@step` once loaded; null: that checkpoint has no pairs. */
  const pairs = ref<Record<string, RunNearest | null>>({});

  async function load(runId: string, step: number): Promise<RunNearest | null> {
    const found = await client.call('runs.nearest', { id: runId, step });
    pairs.value[keyOf(runId, step)] = found;
    return found;
  }

  function get(runId: string, step: number): RunNearest | null | undefined {
    return pairs.value[keyOf(runId, step)];
  }

  const offs = [
    // A new evaluation of a checkpoint shown here rewrote its pairs (another seed or N draws others).
    client.on('run.evaluation', ({ runId, step, status }) => {
      if (status === 'done' && keyOf(runId, step) in pairs.value) void load(runId, step).catch(() => undefined);
    }),
  ];
  onScopeDispose(() => offs.forEach((off) => off()));

  return { pairs, load, get };
});
