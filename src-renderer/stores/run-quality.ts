/** Quality of runs (issue 12): each run's checkpoint evaluations, the ones still to come and its best checkpoint, kept live by the run.evaluation events. */
import { defineStore } from 'pinia';
import { onScopeDispose, ref } from 'vue';
import { ACTIVE_STATUSES } from '@common/domain';
import type { RunEvaluations } from '@common/quality';
import { useClient } from './client';

export const useRunQualityStore = defineStore('runQuality', () => {
  const client = useClient();
  /** Per run id, once `load` was called. */
  const views = ref<Record<string, RunEvaluations>>({});
  /** The last evaluation of a run that failed, until one succeeds. */
  const failures = ref<Record<string, { step: number; message: string }>>({});

  async function load(id: string): Promise<RunEvaluations> {
    views.value[id] = await client.call('runs.evaluations', { id });
    return views.value[id]!;
  }

  const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

  const offs = [
    client.on('run.evaluation', (e) => {
      const view = views.value[e.runId];
      if (!view) return;
      if (e.status === 'pending') {
        if (!view.pending.includes(e.step)) view.pending.push(e.step);
        return;
      }
      view.pending = view.pending.filter((s) => s !== e.step);
      if (e.status === 'failed') {
        failures.value[e.runId] = { step: e.step, message: e.error ?? '' };
        return;
      }
      delete failures.value[e.runId];
      if (e.evaluation) view.evaluations = [...view.evaluations.filter((x) => x.step !== e.step), e.evaluation].sort((a, b) => a.step - b.step);
      // Which checkpoint is best depends on those still on disk: the server says.
      quietly(load(e.runId));
    }),
    // A run that ends has its last checkpoint, and its newest (the best without evaluations) may have moved.
    client.on('run.status', ({ runId, status }) => {
      if (views.value[runId] && !ACTIVE_STATUSES.includes(status)) quietly(load(runId));
    }),
  ];
  onScopeDispose(() => offs.forEach((off) => off()));

  function forget(id: string): void {
    delete views.value[id];
    delete failures.value[id];
  }

  return { views, failures, load, forget };
});
