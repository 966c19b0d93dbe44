/** Exports of runs' generators from the run page: the exports made in this session per run, the one under way and the last failure. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ResponseOf } from '@common/contract';
import type { ExportFormat } from '@common/domain';
import type { Truncation } from '@common/truncation';
import { messageOf, useClient } from './client';

export type ExportResult = ResponseOf<'runs.export'>;

export const useRunExportStore = defineStore('runExport', () => {
  const client = useClient();
  /** Per run id, newest first; an export asked for twice (it exists already) is listed once. */
  const results = ref<Record<string, ExportResult[]>>({});
  const busy = ref<Record<string, boolean>>({});
  const failures = ref<Record<string, string>>({});

  async function exportGenerator(id: string, step: number | undefined, format: ExportFormat, truncation?: Truncation): Promise<ExportResult | null> {
    busy.value[id] = true;
    delete failures.value[id];
    try {
      const result = await client.call('runs.export', { id, format, ...(step !== undefined ? { step } : {}), ...(truncation ? { truncation } : {}) });
      const others = (results.value[id] ?? []).filter((r) => r.path !== result.path);
      results.value[id] = [result, ...others];
      return result;
    } catch (e) {
      failures.value[id] = messageOf(e);
      return null;
    } finally {
      busy.value[id] = false;
    }
  }

  function forget(id: string): void {
    delete results.value[id];
    delete busy.value[id];
    delete failures.value[id];
  }

  return { results, busy, failures, exportGenerator, forget };
});
