/**
 * Imports aligned pairs (image-to-image translation) as two datasets packed in the same order, so
 * image i of A is the input whose target is image i of B: from A/ and B/ subfolders, or from
 * pix2pix-style images holding A on the left and B on the right.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PairedLayout } from '../../common/datasets';
import type { RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { DatasetBuilder, type PackedEntry } from './dataset-builder';
import { decodeOptions, decodeSplitImage, thumbnailedDecoder, type DecodeChoices, type Decoded } from './decode-image';
import { cancelled, checkImportOptions, DEFAULT_CONCURRENCY, importFailure, type ImportRunOptions } from './import-shared';
import { mapOrdered } from './ordered-pool';
import type { Manifest } from './packed-format';
import { matchPairFolders } from './pair-files';
import { PROGRESS_INTERVAL_MS, rateClock, throttleProgress, type ImportProgress } from './progress';
import { REJECT } from './reject-reasons';
import { fingerprintOf } from './scan-folder';
import { makeThumb } from './thumb-sheets';
import { compareRel, walkFolder, type FoundFile } from './walk';

/** One half's dataset: where it goes and what it is called. */
export interface PairHalf {
  destDir: string;
  id: string;
  name: string;
}

/** `fit` applies to each half of a side-by-side image as to a whole image. */
export interface ImportPairedOptions extends ImportRunOptions {
  layout: PairedLayout;
  a: PairHalf;
  b: PairHalf;
}

export interface ImportPairedResult {
  a: Manifest;
  b: Manifest;
  rejected: RejectedFile[];
}

/** What one candidate (a file pair or a side-by-side file) names and becomes. */
type Unit = { a: FoundFile; b: FoundFile } | { split: FoundFile };
type Half = { pixels: Buffer; thumb: Buffer; entry: PackedEntry };
type UnitResult = { ok: true; a: Half; b: Half; key: string } | { ok: false; rejects: RejectedFile[] };

function unitFiles(unit: Unit): FoundFile[] {
  return 'split' in unit ? [unit.split] : [unit.a, unit.b];
}

/** A pair with a rejected side is rejected whole: the failing file(s) with their reasons, a sound partner with its own. */
function rejectPair(unit: { a: FoundFile; b: FoundFile }, a: Decoded, b: Decoded): RejectedFile[] {
  return [
    { file: unit.a.rel, reason: a.ok ? REJECT.partnerRejected : a.reason },
    { file: unit.b.rel, reason: b.ok ? REJECT.partnerRejected : b.reason },
  ];
}

function halfOf(file: FoundFile, d: Extract<Decoded, { ok: true }>): Half {
  return { pixels: d.pixels, thumb: d.thumb, entry: { file: file.rel, sha1: d.sha1, width: d.width, height: d.height, format: d.format, topDir: null } };
}

function unitDecoder(opts: ImportPairedOptions, choices: DecodeChoices): (unit: Unit) => Promise<UnitResult> {
  const decode = thumbnailedDecoder(opts, choices);
  const splitOpts = decodeOptions(opts, choices);
  return async (unit) => {
    if ('split' in unit) {
      const r = await decodeSplitImage(unit.split, splitOpts);
      if (!r.ok) return { ok: false, rejects: [{ file: unit.split.rel, reason: r.reason }] };
      // Each half is recorded with its own size: what was fitted into the square.
      const entry: PackedEntry = { file: unit.split.rel, sha1: r.sha1, width: Math.floor(r.width / 2), height: r.height, format: r.format, topDir: null };
      const [thumbA, thumbB] = await Promise.all([makeThumb(r.a, opts.size, opts.channels), makeThumb(r.b, opts.size, opts.channels)]);
      return { ok: true, a: { pixels: r.a, thumb: thumbA, entry }, b: { pixels: r.b, thumb: thumbB, entry }, key: r.sha1 };
    }
    const [a, b] = await Promise.all([decode(unit.a), decode(unit.b)]);
    if (!a.ok || !b.ok) return { ok: false, rejects: rejectPair(unit, a, b) };
    return { ok: true, a: halfOf(unit.a, a), b: halfOf(unit.b, b), key: `${a.sha1}+${b.sha1}` };
  };
}

/**
 * Every file found is packed (as half of a pair) or listed in `rejected` with its reason. Throws
 * NO_IMAGES when no pair could be imported, INVALID_REQUEST when `folders` finds no A/ or B/,
 * IMPORT_FAILED for cancellation and I/O failures. Both datasets are published or neither.
 */
export async function importPaired(opts: ImportPairedOptions): Promise<ImportPairedResult> {
  checkImportOptions(opts);
  const { signal } = opts;
  if (signal?.aborted) throw cancelled();
  const folder = resolve(opts.folder);
  const source = opts.sourceLabel ?? folder;
  const report = throttleProgress(opts.onProgress, PROGRESS_INTERVAL_MS, opts.now);
  const rejected: RejectedFile[] = [...(opts.preRejected ?? [])];
  const idle = (phase: ImportProgress['phase'], done: number, total: number): ImportProgress => ({ phase, done, total, rejected: rejected.length, etaSeconds: null, perSecond: null });

  report(idle('scanning', 0, 0));
  const walked = await walkFolder(folder, { signal, onFound: (n) => report(idle('scanning', n, 0)) }).catch((error: unknown) => {
    throw importFailure(error, signal);
  });
  if (signal?.aborted) throw cancelled();
  let units: Unit[];
  if (opts.layout === 'folders') {
    const matched = matchPairFolders(walked.files, source);
    rejected.push(...matched.rejected);
    units = matched.pairs;
  } else {
    units = walked.files.map((split) => ({ split }));
  }

  const choices = { fit: opts.fit ?? 'crop', background: opts.background ?? '#000000' } as const;
  const builderOf = (half: PairHalf) =>
    DatasetBuilder.create({ ...half, size: opts.size, channels: opts.channels, options: { layout: 'flat', ...choices }, sourcePath: source, candidates: units.length, what: `importing ${units.length} pairs` });
  const a = await builderOf(opts.a);
  let b: DatasetBuilder | null = null;
  try {
    b = await builderOf(opts.b);
    const halves = { a, b };
    await pack(opts, units, choices, halves, rejected, report);
    if (a.count === 0) {
      const what = walked.files.length === 0 ? 'no files found' : `none of ${walked.files.length} files made a pair`;
      throw new WorkbenchError('NO_IMAGES', `no image pairs in ${source}: ${what}`, { rejected, skipped: walked.skipped });
    }
    report(idle('writing', 0, 1));
    const extra = { rejects: rejected, skipped: walked.skipped, fingerprint: fingerprintOf(walked.files) };
    const manifests = { a: await a.finish(extra), b: await b.finish(extra) };
    if (signal?.aborted) throw cancelled();
    await publishBoth(halves, opts.a.destDir);
    report({ ...idle('done', units.length, units.length), etaSeconds: 0 });
    return { ...manifests, rejected };
  } catch (error) {
    await Promise.all([a.discard(), b?.discard()]);
    throw importFailure(error, signal);
  }
}

/** A published, B failed: A is removed again, so no half is left without its partner. */
async function publishBoth(halves: { a: DatasetBuilder; b: DatasetBuilder }, destA: string): Promise<void> {
  await halves.a.commit();
  try {
    await halves.b.commit();
  } catch (error) {
    await rm(resolve(destA), { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    throw error;
  }
}

async function pack(
  opts: ImportPairedOptions,
  units: readonly Unit[],
  choices: DecodeChoices,
  halves: { a: DatasetBuilder; b: DatasetBuilder },
  rejected: RejectedFile[],
  report: (p: ImportProgress) => void,
): Promise<void> {
  const { signal } = opts;
  const total = units.length;
  const clock = rateClock(opts.now);
  const decoding = (done: number): ImportProgress => ({ phase: 'decoding', done, total, rejected: rejected.length, ...clock(done, total) });
  const decode = unitDecoder(opts, choices);
  const firstByKey = new Map<string, string>();

  report(decoding(0));
  const results = mapOrdered(units, opts.concurrency ?? DEFAULT_CONCURRENCY, async (unit): Promise<UnitResult> =>
    // Skipped rather than thrown, so the consumer sees the abort in order and stops cleanly.
    signal?.aborted ? { ok: false, rejects: [] } : decode(unit),
  );
  let done = 0;
  for await (const result of results) {
    if (signal?.aborted) throw cancelled();
    const files = unitFiles(units[done] as Unit);
    done++;
    if (!result.ok) {
      rejected.push(...result.rejects);
    } else {
      // The same pair twice would weigh it double; a half repeated with different partners is a real pair.
      const first = firstByKey.get(result.key);
      if (first !== undefined) {
        rejected.push(...files.map((f) => ({ file: f.rel, reason: REJECT.duplicatePair(first) })));
      } else {
        firstByKey.set(result.key, files[0]!.rel);
        await halves.a.add(result.a.entry, result.a.pixels, result.a.thumb);
        await halves.b.add(result.b.entry, result.b.pixels, result.b.thumb);
      }
    }
    report(decoding(done));
  }
  if (signal?.aborted) throw cancelled();
  rejected.sort((x, y) => compareRel(x.file, y.file));
}
