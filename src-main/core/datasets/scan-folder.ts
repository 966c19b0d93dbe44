/** A quick look at a folder before importing it: walk and sniff only (no decoding), so it answers in seconds for 100,000 files. */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { ImportLayout } from '../../common/datasets';
import { mapOrdered } from './ordered-pool';
import { MAX_FILE_BYTES, REJECT } from './reject-reasons';
import { SUPPORTED_FORMATS, sniffImageFormat } from './sniff-format';
import { compareRel, walkFolder, type FoundFile } from './walk';

export interface FolderScan {
  files: number;
  images: number;
  wouldReject: number;
  rejectReasons: Record<string, number>;
  skipped: number;
  formats: Record<string, number>;
  classes: { name: string; images: number }[];
  unlabelled: number;
  fingerprint: string;
}

/** Same folder content, same fingerprint: relative paths and sizes, in sorted order, hashed. */
export function fingerprintOf(files: readonly Pick<FoundFile, 'rel' | 'size'>[]): string {
  const hash = createHash('sha1');
  for (const f of files) hash.update(`${f.rel}\0${f.size}\n`);
  return hash.digest('hex');
}

/** Files read at once; head reads are tiny, so this is about latency, not memory. */
const SNIFF_CONCURRENCY = 16;
const HEAD_BYTES = 32;

type Sniffed = { format: string } | { reason: string };

async function sniffFile(file: FoundFile): Promise<Sniffed> {
  if (file.size === 0) return { reason: REJECT.empty };
  if (file.size > MAX_FILE_BYTES) return { reason: REJECT.tooManyBytes(file.size) };
  let head: Uint8Array;
  try {
    const handle = await open(file.abs, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { reason: REJECT.unreadable((error as NodeJS.ErrnoException).code ?? 'error') };
  }
  const format = sniffImageFormat(head);
  if (format === null) return { reason: REJECT.notImage };
  if (!SUPPORTED_FORMATS.has(format)) return { reason: REJECT.unsupported(format) };
  return { format };
}

/**
 * Counts what an import would find. `wouldReject` holds only certain rejects (empty, too large, not
 * a supported image); damaged files, tiny images and duplicates show up only when decoding.
 */
export async function scanFolder(folder: string, layout: ImportLayout, signal?: AbortSignal): Promise<FolderScan> {
  const { files, skipped } = await walkFolder(folder, { signal });
  const rejectReasons: Record<string, number> = {};
  const formats: Record<string, number> = {};
  const perClass = new Map<string, number>();
  let images = 0;
  let unlabelled = 0;
  for await (const [file, sniffed] of mapOrdered(files, SNIFF_CONCURRENCY, async (f) => [f, await sniffFile(f)] as const)) {
    if ('reason' in sniffed) {
      rejectReasons[sniffed.reason] = (rejectReasons[sniffed.reason] ?? 0) + 1;
      continue;
    }
    images++;
    formats[sniffed.format] = (formats[sniffed.format] ?? 0) + 1;
    if (layout === 'flat' || file.topDir === null) unlabelled++;
    else perClass.set(file.topDir, (perClass.get(file.topDir) ?? 0) + 1);
  }
  const classes = [...perClass.entries()].sort((a, b) => compareRel(a[0], b[0])).map(([name, n]) => ({ name, images: n }));
  return {
    files: files.length,
    images,
    wouldReject: files.length - images,
    rejectReasons,
    skipped: skipped.length,
    formats,
    classes,
    unlabelled,
    fingerprint: fingerprintOf(files),
  };
}
