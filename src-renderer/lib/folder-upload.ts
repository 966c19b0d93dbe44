/** Uploads the files of a folder chosen in the browser to a server upload session, a few at a time, with progress. */
import { MAX_IMAGE_FILE_BYTES } from '@common/datasets';
import type { Transport } from '@common/client/transport-port';

export interface UploadItem {
  /** Relative path inside the chosen folder, starting with the folder's own name. */
  path: string;
  file: File;
}

export interface UploadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

/** The files of a `<input type="file" webkitdirectory>`, with the paths the browser gives them. */
export function itemsOfFileList(list: ArrayLike<File>): UploadItem[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** The chosen folder's name: the first segment every path shares. */
export function folderNameOf(items: readonly UploadItem[]): string {
  const first = items[0]?.path.split('/')[0] ?? '';
  return items.every((i) => i.path.split('/')[0] === first) ? first : '';
}

/** A session id the server accepts: letters and digits only, unguessable by other pages. */
export function newUploadSession(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `up-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Sends every file (at most `concurrency` at once). Files over the size limit are not sent; the
 * server is told about them so that the import lists them as rejected rather than losing them.
 */
export async function uploadItems(
  upload: NonNullable<Transport['upload']>,
  session: string,
  items: readonly UploadItem[],
  opts: { signal?: AbortSignal; onProgress?: (p: UploadProgress) => void; concurrency?: number; maxFileBytes?: number } = {},
): Promise<void> {
  const max = opts.maxFileBytes ?? MAX_IMAGE_FILE_BYTES;
  const progress: UploadProgress = { files: 0, totalFiles: items.length, bytes: 0, totalBytes: items.reduce((n, i) => n + i.file.size, 0) };
  opts.onProgress?.({ ...progress });
  // One failure stops the other senders too, instead of letting them upload into a session that is given up.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal.throwIfAborted();
      const item = items[next++]!;
      if (item.file.size > max) await upload(session, item.path, null, { signal, tooLarge: item.file.size });
      else await upload(session, item.path, item.file, { signal });
      progress.files++;
      progress.bytes += item.file.size;
      opts.onProgress?.({ ...progress });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, items.length) }, worker));
  } catch (error) {
    stop.abort();
    throw opts.signal?.aborted ? opts.signal.reason : error;
  }
}
