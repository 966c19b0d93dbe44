/** The Grow dialog of a run: opens on a run, sends the request, keeps the fields the API refused, then goes to the grown run. */
import { reactive, ref } from 'vue';
import type { Run } from '@common/domain';
import { useRunGrowthStore } from '../stores/run-growth';
import { useRunsStore, type GrowRunRequest } from '../stores/runs';
import { fieldIssuesOf, messageOf, type FieldIssue } from '../stores/client';

export function useGrowDialog(onGrown: (runId: string) => void) {
  const runs = useRunsStore();
  const growth = useRunGrowthStore();
  const source = ref<Run | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const issues = ref<FieldIssue[]>([]);

  function open(run: Run): void {
    error.value = null;
    issues.value = [];
    source.value = run;
  }

  function close(): void {
    source.value = null;
  }

  async function grow(request: GrowRunRequest): Promise<void> {
    busy.value = true;
    error.value = null;
    issues.value = [];
    try {
      const { run, report } = await runs.grow(request);
      growth.remember(run.id, report);
      source.value = null;
      onGrown(run.id);
    } catch (e) {
      error.value = messageOf(e);
      issues.value = fieldIssuesOf(e);
    } finally {
      busy.value = false;
    }
  }

  return reactive({ source, busy, error, issues, open, close, grow });
}
