/** What a run's pages read besides its curves: last values and the best checkpoint, checkpoints, and the events log; refreshed as the run moves and as its checkpoints are evaluated. */
import { defineStore } from 'pinia';
import { onScopeDispose, ref } from 'vue';
import type { Checkpoint, RunEvent, RunSummary } from '@common/domain';
import { useClient } from './client';

export const useRunInsightsStore = defineStore('runInsights', () => {
  const client = useClient();
  const summaries = ref<Record<string, RunSummary>>({});
  const checkpoints = ref<Record<string, Checkpoint[]>>({});
  const events = ref<Record<string, RunEvent[]>>({});

  /** Summaries of the given runs (all runs when left out). */
  async function loadSummaries(ids?: string[]): Promise<void> {
    const list = await client.call('runs.summaries', ids ? { ids } : {});
    const next = ids ? { ...summaries.value } : {};
    for (const s of list) next[s.runId] = s;
    summaries.value = next;
  }

  async function loadCheckpoints(id: string): Promise<Checkpoint[]> {
    checkpoints.value[id] = await client.call('runs.checkpoints', { id });
    return checkpoints.value[id]!;
  }

  async function loadEvents(id: string): Promise<RunEvent[]> {
    events.value[id] = await client.call('runs.events', { id });
    return events.value[id]!;
  }

  const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);
  /** A status change is when events, checkpoints and final values change: refresh what is shown. */
  const offs = [
    client.on('run.status', ({ runId }) => {
      if (events.value[runId]) quietly(loadEvents(runId));
      if (checkpoints.value[runId]) quietly(loadCheckpoints(runId));
      if (summaries.value[runId]) quietly(loadSummaries([runId]));
    }),
    // A stored evaluation can make its checkpoint the best; a failed one writes to the run's log.
    client.on('run.evaluation', ({ runId, status }) => {
      if (status === 'pending') return;
      if (status === 'failed' && events.value[runId]) quietly(loadEvents(runId));
      if (status === 'done' && checkpoints.value[runId]) quietly(loadCheckpoints(runId));
      if (status === 'done' && summaries.value[runId]) quietly(loadSummaries([runId]));
    }),
  ];
  onScopeDispose(() => offs.forEach((off) => off()));

  function forget(id: string): void {
    delete summaries.value[id];
    delete checkpoints.value[id];
    delete events.value[id];
  }

  return { summaries, checkpoints, events, loadSummaries, loadCheckpoints, loadEvents, forget };
});
