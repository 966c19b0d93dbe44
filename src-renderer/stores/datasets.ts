/** Datasets: the list, importing a folder (with live progress and the rejects), deleting, and folder drops. */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref } from 'vue';
import type { EventPayload, RequestOf, ResponseOf } from '@common/contract';
import type { Dataset } from '@common/domain';
import { messageOf, useClient } from './client';

export type ImportRequest = RequestOf<'datasets.import'>;
export type ImportResult = ResponseOf<'datasets.import'>;
export type ImportProgress = EventPayload<'dataset.importProgress'>;

export const useDatasetsStore = defineStore('datasets', () => {
  const client = useClient();

  const datasets = ref<Dataset[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);

  const importing = ref(false);
  const importProgress = ref<ImportProgress | null>(null);
  const lastImport = ref<ImportResult | null>(null);
  const importError = ref<string | null>(null);
  /** A folder dropped on the desktop window, waiting for the import dialog to pick it up. */
  const pendingImportPath = ref<string | null>(null);

  /** Newest first. */
  const sorted = computed(() => [...datasets.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));

  function byId(id: string): Dataset | undefined {
    return datasets.value.find((d) => d.id === id);
  }

  function upsert(dataset: Dataset): Dataset {
    const i = datasets.value.findIndex((d) => d.id === dataset.id);
    if (i >= 0) datasets.value[i] = dataset;
    else datasets.value.push(dataset);
    return byId(dataset.id)!;
  }

  async function list(): Promise<Dataset[]> {
    loading.value = true;
    try {
      datasets.value = await client.call('datasets.list');
      loaded.value = true;
      error.value = null;
    } catch (e) {
      error.value = messageOf(e);
    } finally {
      loading.value = false;
    }
    return datasets.value;
  }

  async function get(id: string): Promise<Dataset> {
    return upsert(await client.call('datasets.get', { id }));
  }

  /** Imports a folder; progress arrives as events meanwhile. The result (with the rejects) stays in `lastImport`. */
  async function importFolder(request: ImportRequest): Promise<ImportResult> {
    importing.value = true;
    importProgress.value = null;
    lastImport.value = null;
    importError.value = null;
    try {
      const result = await client.call('datasets.import', request);
      upsert(result.dataset);
      lastImport.value = result;
      return result;
    } catch (e) {
      importError.value = messageOf(e);
      throw e;
    } finally {
      importing.value = false;
    }
  }

  /** Forgets the last import, e.g. when the dialog is opened again. */
  function resetImport(): void {
    if (importing.value) return;
    importProgress.value = null;
    lastImport.value = null;
    importError.value = null;
  }

  async function remove(id: string): Promise<void> {
    await client.call('datasets.delete', { id });
    datasets.value = datasets.value.filter((d) => d.id !== id);
  }

  /** Hands the pending dropped folder to whoever opens the import dialog, once. */
  function takePendingImport(): string | null {
    const path = pendingImportPath.value;
    pendingImportPath.value = null;
    return path;
  }

  const unsubscribe = [
    client.on('dataset.importProgress', (p) => {
      if (importing.value) importProgress.value = p;
    }),
    client.on('dataset.imported', (d) => {
      upsert(d);
    }),
    client.on('ui.folderDropped', ({ paths }) => {
      const first = paths[0];
      if (first) pendingImportPath.value = first;
    }),
  ];
  onScopeDispose(() => unsubscribe.forEach((off) => off()));

  return {
    datasets,
    loaded,
    loading,
    error,
    importing,
    importProgress,
    lastImport,
    importError,
    pendingImportPath,
    sorted,
    byId,
    list,
    get,
    importFolder,
    resetImport,
    remove,
    takePendingImport,
  };
});
