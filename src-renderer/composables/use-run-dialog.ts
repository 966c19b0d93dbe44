/** The clone / fork dialog of a run: opens on a run (a fork loads its checkpoints first), creates, then goes to the new run. */
import { reactive, ref } from 'vue';
import type { Checkpoint, Run } from '@common/domain';
import { useRunsStore, type CreateRunRequest, type ForkRunRequest } from '../stores/runs';
import { useRunInsightsStore } from '../stores/run-insights';
import { fieldIssuesOf, messageOf, type FieldIssue } from '../stores/client';

export function useRunDialog(onCreated: (runId: string) => void) {
  const runs = useRunsStore();
  const insights = useRunInsightsStore();
  const mode = ref<'clone' | 'fork' | null>(null);
  const source = ref<Run | null>(null);
  const checkpoints = ref<Checkpoint[]>([]);
  const focus = ref('');
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** The fields a refusal named (`config.task.datasetB`…), shown next to each. */
  const issues = ref<FieldIssue[]>([]);

  async function open(kind: 'clone' | 'fork', run: Run, field = ''): Promise<void> {
    error.value = null;
    issues.value = [];
    focus.value = field;
    source.value = run;
    checkpoints.value = kind === 'fork' ? await insights.loadCheckpoints(run.id).catch(() => []) : [];
    mode.value = kind;
  }

  function close(): void {
    mode.value = null;
  }

  async function submit(action: () => Promise<Run>): Promise<void> {
    busy.value = true;
    error.value = null;
    issues.value = [];
    try {
      const run = await action();
      mode.value = null;
      onCreated(run.id);
    } catch (e) {
      error.value = messageOf(e);
      issues.value = fieldIssuesOf(e);
    } finally {
      busy.value = false;
    }
  }

  const create = (request: CreateRunRequest) => submit(() => runs.create(request));
  const fork = (request: ForkRunRequest) => submit(() => runs.fork(request));

  return reactive({ mode, source, checkpoints, focus, busy, error, issues, open, close, create, fork });
}
