/** The import dialog's flow: a source (typed path, dropped folders, or a browser upload), a scan of it, options, the import, the next dropped folder. */
import { computed, reactive, ref, watch } from 'vue';
import type { ImportFit, ImportLayout } from '@common/datasets';
import { itemsOfFileList } from '../lib/folder-upload';
import { useDatasetsStore, type ScanSource } from '../stores/datasets';

export interface ImportOptions {
  size: number;
  channels: 1 | 3;
  layout: ImportLayout;
  fit: ImportFit;
  background: string;
  name: string;
}

/** Typing pauses this long before the folder is scanned. */
const SCAN_DELAY_MS = 350;

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

export function useImportFlow() {
  const datasets = useDatasetsStore();
  const isOpen = ref(false);
  const path = ref('');
  /** Further dropped folders, imported one after another with the same options. */
  const queue = ref<string[]>([]);
  const options = reactive<ImportOptions>({ size: 64, channels: 3, layout: 'classes', fit: 'crop', background: '#000000', name: '' });

  const source = computed<ScanSource | null>(() => {
    if (datasets.upload?.done) return { upload: datasets.upload.session };
    const p = path.value.trim();
    return isAbsolutePath(p) ? { path: p } : null;
  });
  const canSubmit = computed(
    () => !datasets.importing && source.value !== null && Number.isInteger(options.size) && options.size >= 8 && options.size <= 256,
  );

  let timer: ReturnType<typeof setTimeout> | null = null;
  watch(
    () => [isOpen.value, JSON.stringify(source.value), options.layout] as const,
    ([open]) => {
      if (timer) clearTimeout(timer);
      if (!open || !source.value || datasets.importing || datasets.lastImport) return;
      const s = source.value;
      timer = setTimeout(() => void datasets.scan(s, options.layout), 'upload' in s ? 0 : SCAN_DELAY_MS);
    },
  );

  function open(paths: string[] = []): void {
    datasets.resetImport();
    path.value = paths[0] ?? '';
    queue.value = paths.slice(1);
    options.name = '';
    isOpen.value = true;
  }

  async function pick(files: ArrayLike<File>): Promise<void> {
    const items = itemsOfFileList(files);
    if (items.length === 0) return;
    path.value = '';
    datasets.resetImport();
    await datasets.uploadFolder(items);
  }

  async function submit(): Promise<void> {
    const s = source.value;
    if (!canSubmit.value || !s) return;
    const name = options.name.trim();
    try {
      await datasets.importFolder({
        ...s,
        size: options.size,
        channels: options.channels,
        layout: options.layout,
        fit: options.fit,
        background: options.background,
        ...(name ? { name } : {}),
      });
    } catch {
      // Shown in the dialog from the store's importError.
    }
  }

  /** Cancels what is running: the import, or the upload. */
  async function cancel(): Promise<void> {
    if (datasets.importing) await datasets.cancelImport();
    else if (datasets.upload && !datasets.upload.done) await datasets.discardUpload();
  }

  /** Moves on to the next dropped folder, keeping the options. */
  function next(): void {
    const [first, ...rest] = queue.value;
    if (!first) return;
    datasets.resetImport();
    path.value = first;
    queue.value = rest;
    options.name = '';
  }

  async function close(): Promise<void> {
    if (datasets.importing) return;
    isOpen.value = false;
    // Uploaded files that were not imported are of no further use.
    if (datasets.upload) await datasets.discardUpload();
  }

  return { isOpen, path, queue, options, source, canSubmit, open, pick, submit, cancel, next, close };
}
