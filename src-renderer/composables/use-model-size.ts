/** The model-size estimate of a config being edited, on the chosen dataset's images, beside the memory budget from settings. */
import { computed, onMounted, type Ref } from 'vue';
import type { Dataset } from '@common/domain';
import { BYTES_PER_MB, datasetShape, estimateModelSize, type ModelSizeEstimate } from '@common/model-size';
import { TrainingConfig } from '@common/training-config';
import { useSettingsStore } from '../stores/settings';

export function useModelSize(values: Ref<Record<string, unknown> | null>, dataset: Ref<Dataset | null | undefined>) {
  const settings = useSettingsStore();
  onMounted(() => void settings.load());

  /** Recomputed on every edit; null while the config is invalid or the depth does not fit the images (the editor says why). */
  const estimate = computed<ModelSizeEstimate | null>(() => {
    if (!values.value || !dataset.value) return null;
    const parsed = TrainingConfig.safeParse(values.value);
    if (!parsed.success) return null;
    try {
      return estimateModelSize(parsed.data, datasetShape(parsed.data, dataset.value));
    } catch {
      return null;
    }
  });
  const budgetMB = computed(() => settings.budgetMB);
  /** The server refuses such a run; said here first so it can be changed before asking. */
  const overBudget = computed(() => estimate.value !== null && budgetMB.value !== null && estimate.value.bytes.total > budgetMB.value * BYTES_PER_MB);

  return { estimate, budgetMB, overBudget };
}
