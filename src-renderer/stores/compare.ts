/** Compare: bucketed series of 2–6 runs on one shared grid (steps or seconds), kept live as the runs train. */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref } from 'vue';
import type { Series } from '@common/domain';
import { appendMetricPoints, type Axis, type Bucket } from '../lib/series';
import { messageOf, useClient } from './client';

export const useCompareStore = defineStore('compare', () => {
  const client = useClient();
  /** Series per run id of the last comparison loaded. */
  const data = ref<Record<string, Series[]>>({});
  const axis = ref<Axis>('step');
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** How long the last compare query took to come back, in ms (shown for the curious, and for the bench). */
  const lastQueryMs = ref<number | null>(null);
  /** The runs last compared, so that coming back to Compare shows them again. */
  const lastIds = ref<string[]>([]);
  let seq = 0;

  async function load(ids: string[], x: Axis, maxPoints: number): Promise<void> {
    const mine = ++seq;
    if (ids.length > 0) lastIds.value = [...ids];
    if (ids.length < 2) {
      data.value = {};
      return;
    }
    loading.value = true;
    const t0 = performance.now();
    try {
      const result = await client.call('runs.compare', { ids, x, maxPoints });
      if (mine !== seq) return;
      data.value = Object.fromEntries(result.map((r) => [r.runId, r.series]));
      axis.value = x;
      error.value = null;
      lastQueryMs.value = performance.now() - t0;
    } catch (e) {
      if (mine === seq) error.value = messageOf(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function seriesOf(runId: string, key: string): Bucket[] | undefined {
    return data.value[runId]?.find((s) => s.key === key)?.points;
  }

  /** Every key any compared run has. */
  const keys = computed(() => [...new Set(Object.values(data.value).flatMap((list) => list.map((s) => s.key)))]);

  // A compared run that is still training keeps growing on the charts.
  const off = client.on('run.metrics', (p) => {
    const series = data.value[p.runId];
    if (series) appendMetricPoints(series, p.points);
  });
  onScopeDispose(off);

  return { data, axis, loading, error, lastQueryMs, lastIds, keys, load, seriesOf };
});
