/** Exports of runs' generators from the run page: the exports made in this session per run, the one under way, the last failure, and the datasets synthetic exports were imported as. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RequestOf, ResponseOf } from '@common/contract';
import type { Dataset } from '@common/domain';
import { syntheticImport } from '@common/synthetic';
import { messageOf, useClient } from './client';

export type ExportResult = ResponseOf<'runs.export'>;
export type ExportRequest = Omit<RequestOf<'runs.export'>, 'id'>;

export const useRunExportStore = defineStore('runExport', () => {
  const client = useClient();
  /** Per run id, newest first; an export asked for twice (it exists already) is listed once. */
  const results = ref<Record<string, ExportResult[]>>({});
  const busy = ref<Record<string, boolean>>({});
  const failures = ref<Record<string, string>>({});
  /** By export path: the dataset a synthetic export was imported as. */
  const imported = ref<Record<string, Dataset>>({});

  async function attempt<T>(id: string, work: () => Promise<T>): Promise<T | null> {
    busy.value[id] = true;
    delete failures.value[id];
    try {
      return await work();
    } catch (e) {
      failures.value[id] = messageOf(e);
      return null;
    } finally {
      busy.value[id] = false;
    }
  }

  function exportGenerator(id: string, request: ExportRequest): Promise<ExportResult | null> {
    return attempt(id, async () => {
      const result = await client.call('runs.export', { id, ...request });
      const others = (results.value[id] ?? []).filter((r) => r.path !== result.path);
      results.value[id] = [result, ...others];
      return result;
    });
  }

  /** A synthetic dataset export becomes a dataset at the size and channels of the run's own. */
  function importSynthetic(result: ExportResult, source: Dataset): Promise<Dataset | null> {
    return attempt(result.runId, async () => {
      const { dataset } = await client.call('datasets.import', syntheticImport(result.absolutePath, source, result.step));
      imported.value[result.path] = dataset;
      return dataset;
    });
  }

  function forget(id: string): void {
    delete results.value[id];
    delete busy.value[id];
    delete failures.value[id];
  }

  return { results, busy, failures, imported, exportGenerator, importSynthetic, forget };
});
