/** Datasets: the list, details, rename and delete, and importing images or aligned pairs (scan, browser upload, progress, cancel, result) plus folder drops. */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { EventPayload, RequestOf, ResponseOf } from '@common/contract';
import type { DatasetDetails, ScanResult } from '@common/datasets';
import type { Dataset, RejectedFile } from '@common/domain';
import { folderNameOf, newUploadSession, uploadItems, type UploadItem, type UploadProgress } from '../lib/folder-upload';
import { messageOf, useClient } from './client';
import { useServerList } from './server-list';

export type ImportRequest = RequestOf<'datasets.import'>;
export type ImportResult = ResponseOf<'datasets.import'>;
export type PairedImportRequest = RequestOf<'datasets.importPaired'>;
export type PairedImportResult = ResponseOf<'datasets.importPaired'>;
export type ImportProgress = EventPayload<'dataset.importProgress'>;
export type ScanSource = { path: string } | { upload: string };

export interface UploadState {
  session: string;
  /** The chosen folder's name. */
  name: string;
  progress: UploadProgress;
  done: boolean;
}

function newImportId(): string {
  return `imp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const useDatasetsStore = defineStore('datasets', () => {
  const client = useClient();

  const { items: datasets, loaded, loading, error, sorted, byId, upsert: upsertListed, list } = useServerList(() => client.call('datasets.list'));
  /** Details are large for big datasets (a label per image): kept apart from the reactive list. */
  const details = shallowRef<Map<string, DatasetDetails>>(new Map());

  const importing = ref(false);
  const importId = ref<string | null>(null);
  const importProgress = ref<ImportProgress | null>(null);
  const lastImport = ref<ImportResult | null>(null);
  /** The last paired import's two datasets and rejects (lastImport stays null for it). */
  const lastPairedImport = ref<PairedImportResult | null>(null);
  const importError = ref<string | null>(null);
  const cancelling = ref(false);

  const scanning = ref(false);
  const scanResult = ref<ScanResult | null>(null);
  const scanError = ref<string | null>(null);
  let scanTicket = 0;

  const upload = ref<UploadState | null>(null);
  const uploadError = ref<string | null>(null);
  let uploadAbort: AbortController | null = null;

  /** Folders dropped on the desktop window, waiting for the import dialog to pick them up. */
  const pendingImportPaths = ref<string[]>([]);

  const canUpload = computed(() => client.upload !== undefined);

  /** Keeps cached details in step with the dataset they describe. */
  function upsert(dataset: Dataset): Dataset {
    const kept = upsertListed(dataset);
    const cached = details.value.get(dataset.id);
    if (cached) details.value = new Map(details.value).set(dataset.id, { ...cached, dataset });
    return kept;
  }

  async function get(id: string): Promise<Dataset> {
    return upsert(await client.call('datasets.get', { id }));
  }

  async function loadDetails(id: string): Promise<DatasetDetails> {
    const d = await client.call('datasets.details', { id });
    upsert(d.dataset);
    details.value = new Map(details.value).set(id, d);
    return d;
  }

  /** What importing a folder would find. Only the latest scan's answer is kept. */
  async function scan(source: ScanSource, layout: 'classes' | 'flat' = 'classes'): Promise<ScanResult | null> {
    const ticket = ++scanTicket;
    scanning.value = true;
    scanError.value = null;
    try {
      const result = await client.call('datasets.scan', { ...source, layout });
      if (ticket === scanTicket) scanResult.value = result;
      return result;
    } catch (e) {
      if (ticket === scanTicket) {
        scanResult.value = null;
        scanError.value = messageOf(e);
      }
      return null;
    } finally {
      if (ticket === scanTicket) scanning.value = false;
    }
  }

  function clearScan(): void {
    scanTicket++;
    scanning.value = false;
    scanResult.value = null;
    scanError.value = null;
  }

  /** Sends a folder chosen in the browser to the server; resolves with the session to scan and import. `name` names what was chosen (by default the folder's name). */
  async function uploadFolder(items: UploadItem[], name = folderNameOf(items)): Promise<string | null> {
    if (!client.upload) throw new Error('uploads need the browser mode');
    await discardUpload();
    const session = newUploadSession();
    uploadAbort = new AbortController();
    uploadError.value = null;
    upload.value = { session, name, progress: { files: 0, totalFiles: items.length, bytes: 0, totalBytes: 0 }, done: false };
    try {
      await uploadItems(client.upload, session, items, {
        signal: uploadAbort.signal,
        onProgress: (p) => {
          if (upload.value?.session === session) upload.value.progress = p;
        },
      });
      if (upload.value?.session === session) upload.value.done = true;
      return session;
    } catch (e) {
      if (!uploadAbort?.signal.aborted) uploadError.value = messageOf(e);
      await discardUpload();
      return null;
    } finally {
      uploadAbort = null;
    }
  }

  /** Stops an upload in progress and removes what reached the server. */
  async function discardUpload(): Promise<void> {
    const current = upload.value;
    uploadAbort?.abort();
    upload.value = null;
    if (current) await client.call('datasets.discardUpload', { upload: current.session }).catch(() => {});
  }

  /** Imports a folder or upload; progress arrives as events meanwhile. The result (with the rejects) stays in `lastImport`. */
  async function importFolder(request: ImportRequest): Promise<ImportResult> {
    const result = await tracked(request, (importId) => client.call('datasets.import', { ...request, importId }));
    upsert(result.dataset);
    lastImport.value = result;
    return result;
  }

  /** Imports aligned pairs as two datasets, A and B; the result stays in `lastPairedImport`. */
  async function importPaired(request: PairedImportRequest): Promise<PairedImportResult> {
    const result = await tracked(request, (importId) => client.call('datasets.importPaired', { ...request, importId }));
    upsert(result.a);
    upsert(result.b);
    lastPairedImport.value = result;
    return result;
  }

  /** An import's state around its call: its id (for progress and Cancel), the error, the upload it consumed. */
  async function tracked<T>(request: { importId?: string; upload?: string }, call: (importId: string) => Promise<T>): Promise<T> {
    const id = request.importId ?? newImportId();
    importing.value = true;
    importId.value = id;
    importProgress.value = null;
    lastImport.value = null;
    lastPairedImport.value = null;
    importError.value = null;
    try {
      const result = await call(id);
      // The server removed the uploaded files once they were imported.
      if (request.upload && upload.value?.session === request.upload) upload.value = null;
      return result;
    } catch (e) {
      importError.value = messageOf(e);
      throw e;
    } finally {
      importing.value = false;
      cancelling.value = false;
    }
  }

  async function cancelImport(): Promise<void> {
    if (!importing.value || !importId.value) return;
    cancelling.value = true;
    await client.call('datasets.cancelImport', { importId: importId.value });
  }

  /** Forgets the last import and scan, e.g. when the dialog is opened again. */
  function resetImport(): void {
    if (importing.value) return;
    importProgress.value = null;
    lastImport.value = null;
    lastPairedImport.value = null;
    importError.value = null;
    uploadError.value = null;
    clearScan();
  }

  /** The files an import left out and why (stored with the dataset). */
  function rejects(id: string): Promise<RejectedFile[]> {
    return client.call('datasets.rejects', { id });
  }

  async function rename(id: string, name: string): Promise<Dataset> {
    return upsert(await client.call('datasets.rename', { id, name }));
  }

  /** Starts the in-domain classifier's training (again); dataset.updated brings its result. */
  async function trainClassifier(id: string): Promise<Dataset> {
    return upsert(await client.call('datasets.trainClassifier', { id }));
  }

  async function remove(id: string): Promise<void> {
    await client.call('datasets.delete', { id });
    datasets.value = datasets.value.filter((d) => d.id !== id);
    const next = new Map(details.value);
    next.delete(id);
    details.value = next;
  }

  /** Hands the dropped folders to whoever opens the import dialog, once. */
  function takePendingImports(): string[] {
    const paths = pendingImportPaths.value;
    pendingImportPaths.value = [];
    return paths;
  }

  const unsubscribe = [
    client.on('dataset.importProgress', (p) => {
      if (importing.value && p.importId === importId.value) importProgress.value = p;
    }),
    client.on('dataset.imported', (d) => {
      upsert(d);
    }),
    client.on('dataset.updated', (d) => {
      upsert(d);
    }),
    client.on('ui.folderDropped', ({ paths }) => {
      if (paths.length > 0) pendingImportPaths.value = [...paths];
    }),
  ];
  onScopeDispose(() => unsubscribe.forEach((off) => off()));

  return {
    datasets,
    loaded,
    loading,
    error,
    details,
    importing,
    importId,
    importProgress,
    lastImport,
    lastPairedImport,
    importError,
    cancelling,
    scanning,
    scanResult,
    scanError,
    upload,
    uploadError,
    pendingImportPaths,
    sorted,
    canUpload,
    byId,
    list,
    get,
    loadDetails,
    scan,
    clearScan,
    uploadFolder,
    discardUpload,
    importFolder,
    importPaired,
    cancelImport,
    resetImport,
    rejects,
    rename,
    trainClassifier,
    remove,
    takePendingImports,
  };
});
