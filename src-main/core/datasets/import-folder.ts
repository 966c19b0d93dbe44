/** Imports a folder of images into a packed dataset: walk, decode in parallel, stream in order, publish atomically. */
import { dirname, resolve } from 'node:path';
import type { ImportFit, ImportLayout } from '../../common/datasets';
import type { RejectedFile } from '../../common/domain';
import { BackgroundColor } from '../../common/datasets';
import { Channels, ImageSize } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { requireSpace } from '../disk-space';
import { heldOutIndices } from '../../common/held-out';
import { assignClasses } from './classes';
import { decodeImage, type DecodeResult } from './decode-image';
import { mapOrdered } from './ordered-pool';
import {
  imageBytes,
  LABELS_FILE,
  Manifest,
  MANIFEST_FILE,
  PACKED_FORMAT_VERSION,
  PREVIEW_FILE,
  PREVIEW_MAX_IMAGES,
  type ProvenanceEntry,
} from './packed-format';
import { PackedWriter } from './packed-writer';
import { ChannelStats } from './pixel-stats';
import { writePreviewGrid } from './preview-grid';
import { PROGRESS_INTERVAL_MS, rateClock, throttleProgress, type ImportProgress } from './progress';
import { DEFAULT_MAX_INPUT_PIXELS, REJECT } from './reject-reasons';
import { fingerprintOf } from './scan-folder';
import { SourceSizeHistogram } from './source-sizes';
import { makeThumb, ThumbSheetWriter } from './thumb-sheets';
import { compareRel, walkFolder, type FoundFile, type WalkResult } from './walk';

export interface ImportFolderOptions {
  folder: string;
  /** Final dataset folder; must not exist yet. Built as `<destDir>.partial-XXXXXX` and renamed at the end. */
  destDir: string;
  id: string;
  name: string;
  size: number;
  channels: 1 | 3;
  /** Default 'classes': first-level subfolders become classes. */
  layout?: ImportLayout;
  /** Default 'crop'. */
  fit?: ImportFit;
  /** Default '#000000'. */
  background?: string;
  /** Recorded as the dataset's source instead of `folder` (uploads are imported from a temporary folder). */
  sourceLabel?: string;
  /** Files refused before they reached `folder` (uploads over the size limit); listed with the rejects. */
  preRejected?: readonly RejectedFile[];
  onProgress?: (p: ImportProgress) => void;
  /** Aborting rejects with WorkbenchError('IMPORT_FAILED', 'import cancelled', { cancelled: true }). */
  signal?: AbortSignal;
  /** Images with more pixels than this are rejected before decoding. */
  maxInputPixels?: number;
  /** Files decoded at once; results are still packed in sorted file order. */
  concurrency?: number;
  /** Milliseconds for the progress's throttle and rate (performance.now by default; tests pass their own). */
  now?: () => number;
}

export interface ImportFolderResult {
  manifest: Manifest;
  rejected: RejectedFile[];
}

const DEFAULT_CONCURRENCY = 4;

function cancelled(): WorkbenchError {
  return new WorkbenchError('IMPORT_FAILED', 'import cancelled', { cancelled: true });
}

function checkOptions(opts: ImportFolderOptions): void {
  if (!ImageSize.safeParse(opts.size).success || !Channels.safeParse(opts.channels).success) {
    throw new WorkbenchError('INVALID_REQUEST', `size must be an integer 8..256 and channels 1 or 3`, {
      size: opts.size,
      channels: opts.channels,
    });
  }
  if (opts.background !== undefined && !BackgroundColor.safeParse(opts.background).success) {
    throw new WorkbenchError('INVALID_REQUEST', `background must be a colour like #000000, not "${opts.background}"`);
  }
}

function asImportError(error: unknown): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return new WorkbenchError('IMPORT_FAILED', `import failed: ${message}`, code ? { code } : undefined);
}

/**
 * Every file found is either packed or listed in `rejected` with its reason; hidden and system
 * entries and symlink loops are not candidates and go to `manifest.skipped` instead.
 * Throws NOT_FOUND for a missing folder, NO_IMAGES (details `{ rejected, skipped }`) when nothing
 * could be imported, IMPORT_FAILED for cancellation and I/O failures. Nothing is left on disk
 * unless the import completed.
 */
export async function importFolder(opts: ImportFolderOptions): Promise<ImportFolderResult> {
  checkOptions(opts);
  const { signal } = opts;
  if (signal?.aborted) throw cancelled();
  const folder = resolve(opts.folder);
  const report = throttleProgress(opts.onProgress, PROGRESS_INTERVAL_MS, opts.now);
  const rejected: RejectedFile[] = [...(opts.preRejected ?? [])];
  const progress = (phase: ImportProgress['phase'], done: number, total: number): ImportProgress => ({
    phase,
    done,
    total,
    rejected: rejected.length,
    etaSeconds: null,
    perSecond: null,
  });

  report(progress('scanning', 0, 0));
  const walked = await walkFolder(folder, {
    signal,
    onFound: (n) => report(progress('scanning', n, 0)),
  }).catch((error: unknown) => {
    throw signal?.aborted ? cancelled() : asImportError(error);
  });
  if (signal?.aborted) throw cancelled();
  // Pixels, plus thumbnails and the manifest (a generous 50%): refuse now rather than fail half way.
  const candidates = walked.files.length;
  await requireSpace(dirname(resolve(opts.destDir)), Math.ceil(candidates * imageBytes(opts) * 1.5), `importing ${candidates} images`);

  const writer = await PackedWriter.create(resolve(opts.destDir));
  const thumbs = new ThumbSheetWriter(writer, opts.size, opts.channels);
  try {
    const manifest = await pack(opts, folder, walked, writer, thumbs, rejected, report);
    await writer.commit();
    const total = walked.files.length;
    report({ ...progress('done', total, total), etaSeconds: 0 });
    return { manifest, rejected };
  } catch (error) {
    await thumbs.settle();
    await writer.discard();
    throw signal?.aborted ? cancelled() : asImportError(error);
  }
}

type Decoded = DecodeResult & { thumb?: Buffer };

async function pack(
  opts: ImportFolderOptions,
  folder: string,
  walked: WalkResult,
  writer: PackedWriter,
  thumbs: ThumbSheetWriter,
  rejected: RejectedFile[],
  report: (p: ImportProgress) => void,
): Promise<Manifest> {
  const { size, channels, signal } = opts;
  const { files, skipped } = walked;
  const options = { layout: opts.layout ?? 'classes', fit: opts.fit ?? 'crop', background: opts.background ?? '#000000' } as const;
  const bytesPerImage = imageBytes({ size, channels });
  const decodeOpts = { size, channels, maxInputPixels: opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS, fit: options.fit, background: options.background };
  const stats = new ChannelStats(channels);
  const sourceSizes = new SourceSizeHistogram();
  const preview = Buffer.alloc(Math.min(PREVIEW_MAX_IMAGES, files.length) * bytesPerImage);
  const firstBySha1 = new Map<string, string>();
  const packed: (ProvenanceEntry & { topDir: string | null })[] = [];
  const total = files.length;
  const clock = rateClock(opts.now);
  const decoding = (done: number): ImportProgress => ({ phase: 'decoding', done, total, rejected: rejected.length, ...clock(done, total) });

  report(decoding(0));
  const results = mapOrdered(files, opts.concurrency ?? DEFAULT_CONCURRENCY, async (file): Promise<Decoded> => {
    // Skipped rather than thrown, so the consumer sees the abort in order and stops cleanly.
    if (signal?.aborted) return { ok: false, reason: 'cancelled' };
    const result = await decodeImage(file, decodeOpts);
    // The thumbnail is made here, in the pool, so its resize runs in parallel with other decodes.
    return result.ok ? { ...result, thumb: await makeThumb(result.pixels, size, channels) } : result;
  });
  let done = 0;
  for await (const result of results) {
    if (signal?.aborted) throw cancelled();
    const file = files[done] as FoundFile;
    done++;
    if (!result.ok) {
      rejected.push({ file: file.rel, reason: result.reason });
    } else {
      // Only packed files count as originals: a copy of a rejected file gets that file's own reason.
      const first = firstBySha1.get(result.sha1);
      if (first !== undefined) {
        rejected.push({ file: file.rel, reason: REJECT.duplicate(first) });
      } else {
        firstBySha1.set(result.sha1, file.rel);
        if (packed.length * bytesPerImage < preview.length) preview.set(result.pixels, packed.length * bytesPerImage);
        stats.add(result.pixels);
        sourceSizes.add(result.width, result.height);
        packed.push({
          file: file.rel,
          sha1: result.sha1,
          classIndex: -1,
          width: result.width,
          height: result.height,
          format: result.format,
          topDir: options.layout === 'flat' ? null : file.topDir,
        });
        await writer.appendImage(result.pixels);
        await thumbs.add(result.thumb ?? result.pixels);
      }
    }
    report(decoding(done));
  }
  if (signal?.aborted) throw cancelled();
  rejected.sort((a, b) => compareRel(a.file, b.file));

  if (packed.length === 0) {
    const what = files.length === 0 ? 'no files found' : `none of ${files.length} files could be imported`;
    throw new WorkbenchError('NO_IMAGES', `no images in ${opts.sourceLabel ?? folder}: ${what}`, { rejected, skipped });
  }

  report({ phase: 'writing', done: 0, total: 1, rejected: rejected.length, etaSeconds: null, perSecond: null });
  await writer.finishImages();
  const thumbInfo = await thumbs.finish();
  const assignment = assignClasses(packed.map((p) => p.topDir));
  await writer.writeFile(LABELS_FILE, assignment.labels);
  const previewCount = Math.min(PREVIEW_MAX_IMAGES, packed.length);
  await writePreviewGrid(preview, previewCount, size, channels, await writer.prepareFile(PREVIEW_FILE));
  if (signal?.aborted) throw cancelled();

  const manifest = Manifest.parse({
    format: 'gan-workbench/packed-dataset',
    version: PACKED_FORMAT_VERSION,
    id: opts.id,
    name: opts.name,
    sourcePath: opts.sourceLabel ?? folder,
    size,
    channels,
    count: packed.length,
    classes: assignment.classes,
    files: packed.map(({ topDir: _topDir, ...entry }, i): ProvenanceEntry => ({ ...entry, classIndex: assignment.classIndices[i] ?? -1 })),
    rejects: rejected,
    skipped,
    stats: stats.result(),
    classHistogram: assignment.histogram,
    unlabelled: assignment.unlabelled,
    preview: PREVIEW_FILE,
    warnings: assignment.warnings,
    createdAt: new Date().toISOString(),
    options,
    sourceSizes: sourceSizes.result(),
    thumbs: thumbInfo,
    fingerprint: fingerprintOf(files),
    heldOut: heldOutIndices(packed.length),
  } satisfies Manifest);
  // Written last: a folder with a manifest is a complete dataset.
  await writer.writeFile(MANIFEST_FILE, `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}
