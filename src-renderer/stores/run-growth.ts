/** Grow reports: what a grown run kept, widened or started fresh of its parent's weights, per run (null for a run that was not grown). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { GrowReport } from '@common/grow';
import { useClient } from './client';

export const useRunGrowthStore = defineStore('run-growth', () => {
  const client = useClient();
  /** Per run id once known; null: the run was not grown. */
  const reports = ref<Record<string, GrowReport | null>>({});

  async function load(runId: string): Promise<GrowReport | null> {
    const report = await client.call('runs.growth', { id: runId });
    reports.value[runId] = report;
    return report;
  }

  /** The report a Grow answered with: the new run's page shows it without asking again. */
  function remember(runId: string, report: GrowReport): void {
    reports.value[runId] = report;
  }

  return { reports, load, remember };
});
