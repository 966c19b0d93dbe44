/** The new-run dialog's state for any page that offers it: open on a dataset, create, then go to the run. */
import { reactive, ref } from 'vue';
import { useDatasetsStore } from '../stores/datasets';
import { useRunsStore, type CreateRunRequest } from '../stores/runs';
import { fieldIssuesOf, messageOf, type FieldIssue } from '../stores/client';

export function useNewRun() {
  const runs = useRunsStore();
  const datasets = useDatasetsStore();
  const isOpen = ref(false);
  const datasetId = ref<string | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** The fields a refusal named (`config.task.datasetB`…), shown next to each. */
  const issues = ref<FieldIssue[]>([]);

  function open(id: string | null = null): void {
    datasetId.value = id;
    error.value = null;
    issues.value = [];
    isOpen.value = true;
    if (!datasets.loaded) void datasets.list();
  }

  function close(): void {
    isOpen.value = false;
  }

  async function create(request: CreateRunRequest, onCreated: (runId: string) => void): Promise<void> {
    busy.value = true;
    error.value = null;
    issues.value = [];
    try {
      const run = await runs.create(request);
      isOpen.value = false;
      onCreated(run.id);
    } catch (e) {
      error.value = messageOf(e);
      issues.value = fieldIssuesOf(e);
    } finally {
      busy.value = false;
    }
  }

  return reactive({ isOpen, datasetId, busy, error, issues, open, close, create });
}
