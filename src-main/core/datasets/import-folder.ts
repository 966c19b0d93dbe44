/** Imports a folder of images into a packed dataset: walk, decode in parallel, stream in order, publish atomically. */
import { resolve } from 'node:path';
import type { ImportLayout } from '../../common/datasets';
import type { RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { DatasetBuilder } from './dataset-builder';
import { thumbnailedDecoder, type DecodeChoices, type Decoded } from './decode-image';
import { cancelled, checkImportOptions, DEFAULT_CONCURRENCY, importFailure, type ImportRunOptions } from './import-shared';
import { mapOrdered } from './ordered-pool';
import type { Manifest } from './packed-format';
import { PROGRESS_INTERVAL_MS, rateClock, throttleProgress, type ImportProgress } from './progress';
import { REJECT } from './reject-reasons';
import { fingerprintOf } from './scan-folder';
import { compareRel, walkFolder, type FoundFile, type WalkResult } from './walk';

export interface ImportFolderOptions extends ImportRunOptions {
  /** Final dataset folder; must not exist yet. Built as `<destDir>.partial-XXXXXX` and renamed at the end. */
  destDir: string;
  id: string;
  name: string;
  /** Default 'classes': first-level subfolders become classes. */
  layout?: ImportLayout;
}

export interface ImportFolderResult {
  manifest: Manifest;
  rejected: RejectedFile[];
}

/**
 * Every file found is either packed or listed in `rejected` with its reason; hidden and system
 * entries and symlink loops are not candidates and go to `manifest.skipped` instead.
 * Throws NOT_FOUND for a missing folder, NO_IMAGES (details `{ rejected, skipped }`) when nothing
 * could be imported, IMPORT_FAILED for cancellation and I/O failures. Nothing is left on disk
 * unless the import completed.
 */
export async function importFolder(opts: ImportFolderOptions): Promise<ImportFolderResult> {
  checkImportOptions(opts);
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
    throw importFailure(error, signal);
  });
  if (signal?.aborted) throw cancelled();
  const options = { layout: opts.layout ?? 'classes', fit: opts.fit ?? 'crop', background: opts.background ?? '#000000' } as const;
  const candidates = walked.files.length;
  const builder = await DatasetBuilder.create({
    ...opts,
    destDir: opts.destDir,
    options,
    sourcePath: opts.sourceLabel ?? folder,
    candidates,
    what: `importing ${candidates} images`,
  });
  try {
    const manifest = await pack(opts, options, folder, walked, builder, rejected, report);
    await builder.commit();
    report({ ...progress('done', candidates, candidates), etaSeconds: 0 });
    return { manifest, rejected };
  } catch (error) {
    await builder.discard();
    throw importFailure(error, signal);
  }
}

async function pack(
  opts: ImportFolderOptions,
  options: DecodeChoices,
  folder: string,
  walked: WalkResult,
  builder: DatasetBuilder,
  rejected: RejectedFile[],
  report: (p: ImportProgress) => void,
): Promise<Manifest> {
  const { signal } = opts;
  const { files, skipped } = walked;
  const decode = thumbnailedDecoder(opts, options);
  const firstBySha1 = new Map<string, string>();
  const total = files.length;
  const clock = rateClock(opts.now);
  const decoding = (done: number): ImportProgress => ({ phase: 'decoding', done, total, rejected: rejected.length, ...clock(done, total) });

  report(decoding(0));
  const results = mapOrdered(files, opts.concurrency ?? DEFAULT_CONCURRENCY, async (file): Promise<Decoded> =>
    // Skipped rather than thrown, so the consumer sees the abort in order and stops cleanly.
    signal?.aborted ? { ok: false, reason: 'cancelled' } : decode(file),
  );
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
        const { sha1, width, height, format } = result;
        await builder.add({ file: file.rel, sha1, width, height, format, topDir: file.topDir }, result.pixels, result.thumb);
      }
    }
    report(decoding(done));
  }
  if (signal?.aborted) throw cancelled();
  rejected.sort((a, b) => compareRel(a.file, b.file));

  if (builder.count === 0) {
    const what = files.length === 0 ? 'no files found' : `none of ${files.length} files could be imported`;
    throw new WorkbenchError('NO_IMAGES', `no images in ${opts.sourceLabel ?? folder}: ${what}`, { rejected, skipped });
  }

  report({ phase: 'writing', done: 0, total: 1, rejected: rejected.length, etaSeconds: null, perSecond: null });
  const manifest = await builder.finish({ rejects: rejected, skipped, fingerprint: fingerprintOf(files) });
  if (signal?.aborted) throw cancelled();
  return manifest;
}
