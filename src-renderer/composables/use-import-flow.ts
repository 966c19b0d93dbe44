/** The import dialog's flow: a source (typed path, dropped folders, or a browser upload; for pairs, two uploaded folders), a scan of it, options, the import of images or pairs, the next dropped folder. */
import { computed, reactive, ref, watch } from 'vue';
import type { ImportFit, ImportLayout } from '@common/datasets';
import { folderNameOf, itemsOfFileList, type UploadItem } from '../lib/folder-upload';
import { pairedLayoutOf, pairedUploadItems, scanLayoutOf, type ImportKind } from '../lib/paired-import';
import { useDatasetsStore, type ScanSource } from '../stores/datasets';

export interface ImportOptions {
  /** Images, or aligned pairs (A/ and B/ folders, or side by side) imported as two datasets. */
  kind: ImportKind;
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
  const options = reactive<ImportOptions>({ kind: 'images', size: 64, channels: 3, layout: 'classes', fit: 'crop', background: '#000000', name: '' });

  const source = computed<ScanSource | null>(() => {
    if (datasets.upload?.done) return { upload: datasets.upload.session };
    const p = path.value.trim();
    return isAbsolutePath(p) ? { path: p } : null;
  });
  const canSubmit = computed(
    () => !datasets.importing && source.value !== null && Number.isInteger(options.size) && options.size >= 8 && options.size <= 256,
  );

  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The inputs' (A) and targets' (B) folders chosen in the browser for a paired import; uploaded together once both are chosen. */
  const pairPicks = reactive<{ a: UploadItem[] | null; b: UploadItem[] | null }>({ a: null, b: null });

  watch(
    () => [isOpen.value, JSON.stringify(source.value), scanLayoutOf(options.kind, options.layout)] as const,
    ([open, , layout]) => {
      if (timer) clearTimeout(timer);
      if (!open || !source.value || datasets.importing || datasets.lastImport || datasets.lastPairedImport) return;
      const s = source.value;
      timer = setTimeout(() => void datasets.scan(s, layout), 'upload' in s ? 0 : SCAN_DELAY_MS);
    },
  );

  function open(paths: string[] = []): void {
    datasets.resetImport();
    path.value = paths[0] ?? '';
    queue.value = paths.slice(1);
    options.name = '';
    pairPicks.a = null;
    pairPicks.b = null;
    isOpen.value = true;
  }

  async function pick(files: ArrayLike<File>): Promise<void> {
    const items = itemsOfFileList(files);
    if (items.length === 0) return;
    path.value = '';
    datasets.resetImport();
    await datasets.uploadFolder(items);
  }

  /** One side of a paired import chosen in the browser; with both sides chosen, they upload as one session of A/ and B/. */
  async function pickSide(side: 'a' | 'b', files: ArrayLike<File>): Promise<void> {
    const items = itemsOfFileList(files);
    if (items.length === 0) return;
    pairPicks[side] = items;
    if (!pairPicks.a || !pairPicks.b) return;
    path.value = '';
    datasets.resetImport();
    await datasets.uploadFolder(pairedUploadItems(pairPicks.a, pairPicks.b), `${folderNameOf(pairPicks.a)} + ${folderNameOf(pairPicks.b)}`);
  }

  async function submit(): Promise<void> {
    const s = source.value;
    if (!canSubmit.value || !s) return;
    const name = options.name.trim();
    const paired = pairedLayoutOf(options.kind);
    try {
      if (paired) {
        // Two uploaded folders have no common name: the inputs' folder names the pair unless one is typed.
        const fallback = pairPicks.a && 'upload' in s ? folderNameOf(pairPicks.a) : '';
        const pairName = name || fallback;
        await datasets.importPaired({
          ...s,
          layout: paired,
          size: options.size,
          channels: options.channels,
          fit: options.fit,
          background: options.background,
          ...(pairName ? { name: pairName } : {}),
        });
        return;
      }
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

  return { isOpen, path, queue, options, pairPicks, source, canSubmit, open, pick, pickSide, submit, cancel, next, close };
}
