/** Try it on a translation run's page: an image file read as base64 and sent through one of the run's checkpoints (runs.translate), with the result or the refused fields per run. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Translated } from '@common/domain';
import { bytesToBase64, type TryMode } from '../lib/translation-task';
import { fieldIssuesOf, messageOf, useClient, type FieldIssue } from './client';

export interface TranslateInput {
  file: Blob & { name: string };
  /** The checkpoint; the newest when left out. */
  step?: number;
  mode: TryMode;
  direction: 'ab' | 'ba';
}

export const useTranslateStore = defineStore('translate', () => {
  const client = useClient();
  const results = ref<Record<string, Translated>>({});
  const busy = ref<Record<string, boolean>>({});
  /** Fields the API refused (`image.data`, `mode`, `step`, `direction`…), shown next to each. */
  const issues = ref<Record<string, FieldIssue[]>>({});
  /** A failure that names no field. */
  const failures = ref<Record<string, string | null>>({});

  async function translate(runId: string, input: TranslateInput): Promise<Translated | null> {
    busy.value[runId] = true;
    issues.value[runId] = [];
    failures.value[runId] = null;
    try {
      const data = bytesToBase64(new Uint8Array(await input.file.arrayBuffer()));
      const result = await client.call('runs.translate', {
        id: runId,
        ...(input.step !== undefined ? { step: input.step } : {}),
        image: { name: input.file.name || 'image', data },
        mode: input.mode,
        direction: input.direction,
      });
      results.value[runId] = result;
      return result;
    } catch (e) {
      const fields = fieldIssuesOf(e);
      issues.value[runId] = fields;
      if (fields.length === 0) failures.value[runId] = messageOf(e);
      return null;
    } finally {
      busy.value[runId] = false;
    }
  }

  function forget(runId: string): void {
    delete results.value[runId];
    delete issues.value[runId];
    delete failures.value[runId];
  }

  return { results, busy, issues, failures, translate, forget };
});
