/** The on-disk format of a packed dataset folder `datasets/<id>/`, and its readers (used by the trainer too). */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { BackgroundColor, ImportFit, ImportLayout } from '../../common/datasets';
import { Channels, ImageSize, RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';

/** 2 added import options, source sizes, thumbnail sheets and the content fingerprint; 1 still reads. */
export const PACKED_FORMAT_VERSION = 2;
export const MANIFEST_FILE = 'manifest.json';
/** N x H x W x C uint8, row-major, channels last (HWC per image). */
export const IMAGES_FILE = 'images.u8';
/** N bytes: the class index of each image, or NO_CLASS_LABEL. */
export const LABELS_FILE = 'labels.u8';
/** Grid of the first up to PREVIEW_MAX_IMAGES images, relative to the dataset folder. */
/** The in-domain classifier's folder (model.json, weights.bin, classifier.json), written once trained. */
export const CLASSIFIER_DIR = 'classifier';
export const CLASSIFIER_REPORT_FILE = 'classifier.json';
export const PREVIEW_FILE = 'thumbs/preview.png';
export const PREVIEW_MAX_IMAGES = 64;
/** Sprite sheets of thumbnails for the grid: `thumbs/sheet-0000.png`, THUMBS_PER_SHEET images each. */
export const THUMBS_DIR = 'thumbs';
export const THUMB_COLUMNS = 16;
export const THUMBS_PER_SHEET = THUMB_COLUMNS * THUMB_COLUMNS;
/** Thumbnails are at most this many pixels a side (smaller datasets keep their own size). */
export const THUMB_MAX_SIDE = 64;
/** Lower bounds of the source-size histogram bins (longer side, pixels); the last bin is open. */
export const SOURCE_SIZE_EDGES: readonly number[] = [0, 32, 64, 128, 256, 512, 1024, 2048, 4096];
/** Label byte of an image that has no class; also why a dataset holds at most 255 classes. */
export const NO_CLASS_LABEL = 255;
export const MAX_CLASSES = 255;

export const ProvenanceEntry = z.object({
  file: z.string().describe('Path of the source file relative to the imported folder, with "/" separators.'),
  classIndex: z.number().int().min(-1).max(MAX_CLASSES - 1).describe('Index into classes, or -1 for no class.'),
  sha1: z.string().regex(/^[0-9a-f]{40}$/),
  /** Source dimensions and format as decoded (absent in version 1 manifests). */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  format: z.string().optional(),
});
export type ProvenanceEntry = z.infer<typeof ProvenanceEntry>;

export const Manifest = z.object({
  format: z.literal('gan-workbench/packed-dataset'),
  version: z.union([z.literal(1), z.literal(PACKED_FORMAT_VERSION)]),
  id: z.string(),
  name: z.string(),
  sourcePath: z.string(),
  size: ImageSize,
  channels: Channels,
  count: z.number().int().min(0),
  classes: z.array(z.string()),
  /** One entry per packed image, in packed order: entry i describes image i. */
  files: z.array(ProvenanceEntry),
  rejects: z.array(RejectedFile),
  /** Entries the walk passed over on purpose (hidden, system, symlink loops); not images we tried. */
  skipped: z.array(RejectedFile),
  stats: z.object({
    mean: z.array(z.number()).describe('Per channel, on the 0..255 scale, over every packed pixel.'),
    std: z.array(z.number()).describe('Per channel population standard deviation, 0..255 scale.'),
  }),
  /** Images per class, aligned with `classes`; images without a class are counted in `unlabelled`. */
  classHistogram: z.array(z.number().int().min(0)),
  unlabelled: z.number().int().min(0),
  preview: z.string().nullable(),
  warnings: z.array(z.string()),
  createdAt: z.string(),
  options: z
    .object({ layout: ImportLayout, fit: ImportFit, background: BackgroundColor })
    .default({ layout: 'classes', fit: 'crop', background: '#000000' }),
  sourceSizes: z
    .object({ edges: z.array(z.number().int()), counts: z.array(z.number().int().min(0)) })
    .default({ edges: [...SOURCE_SIZE_EDGES], counts: SOURCE_SIZE_EDGES.map(() => 0) }),
  /** Relative to the dataset folder; null when the dataset was imported before thumbnails existed. */
  thumbs: z
    .object({ side: z.number().int(), columns: z.number().int(), perSheet: z.number().int(), sheets: z.array(z.string()) })
    .nullable()
    .default(null),
  /** sha1 of the sorted relative paths and sizes of the candidate files; '' when unknown. */
  fingerprint: z.string().default(''),
  /** Indices (ascending) of the held-out images GAN training never sees (common/held-out.ts); [] for none, and for datasets imported before the split. */
  heldOut: z.array(z.number().int().min(0)).default([]),
});
export type Manifest = z.infer<typeof Manifest>;

export interface PackedDataset {
  manifest: Manifest;
  images: Uint8Array;
  labels: Uint8Array;
}

/** Bytes of one packed image. */
export function imageBytes(m: Pick<Manifest, 'size' | 'channels'>): number {
  return m.size * m.size * m.channels;
}

function damaged(dir: string, why: string): WorkbenchError {
  return new WorkbenchError('IMPORT_FAILED', `dataset at ${dir} is damaged (${why}); import it again`, { dir });
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if (isNotFound(error)) throw new WorkbenchError('NOT_FOUND', `no dataset at ${dir}`, { dir });
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(dir, 'manifest.json is not JSON');
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) throw damaged(dir, `manifest.json: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const m = parsed.data;
  if (m.files.length !== m.count) throw damaged(dir, 'manifest file list does not match its count');
  return m;
}

async function readExact(dir: string, file: string, expected: number): Promise<Uint8Array> {
  const path = join(dir, file);
  let actual: number;
  try {
    actual = (await stat(path)).size;
  } catch (error) {
    if (isNotFound(error)) throw damaged(dir, `${file} is missing`);
    throw error;
  }
  // Checked before reading so a truncated file fails fast instead of after a large read.
  if (actual !== expected) throw damaged(dir, `${file} holds ${actual} bytes, expected ${expected}`);
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads the whole dataset into memory: fine up to a few hundred MB; larger sets will need streaming. */
export async function readPackedDataset(dir: string): Promise<PackedDataset> {
  const manifest = await readManifest(dir);
  const images = await readExact(dir, IMAGES_FILE, manifest.count * imageBytes(manifest));
  const labels = await readExact(dir, LABELS_FILE, manifest.count);
  return { manifest, images, labels };
}

/** Indices of the images training may see (every one outside the held-out split), ascending. */
export function trainingIndices(manifest: Pick<Manifest, 'count' | 'heldOut'>): Int32Array {
  const held = new Set(manifest.heldOut);
  return Int32Array.from({ length: manifest.count }, (_, i) => i).filter((i) => !held.has(i));
}

/** The held-out split's images and labels in packed order (empty when the dataset has none). */
export function heldOutPart(d: PackedDataset): { images: Uint8Array; labels: Uint8Array; count: number } {
  const bytes = imageBytes(d.manifest);
  const indices = d.manifest.heldOut;
  const images = new Uint8Array(indices.length * bytes);
  const labels = new Uint8Array(indices.length);
  indices.forEach((i, k) => {
    images.set(d.images.subarray(i * bytes, (i + 1) * bytes), k * bytes);
    labels[k] = d.labels[i]!;
  });
  return { images, labels, count: indices.length };
}

/** The images and labels training may see: the dataset without its held-out split, in packed order. */
export function trainingPart(d: PackedDataset): { images: Uint8Array; labels: Uint8Array; count: number } {
  if (d.manifest.heldOut.length === 0) return { images: d.images, labels: d.labels, count: d.manifest.count };
  const bytes = imageBytes(d.manifest);
  const indices = trainingIndices(d.manifest);
  const images = new Uint8Array(indices.length * bytes);
  const labels = new Uint8Array(indices.length);
  indices.forEach((i, k) => {
    images.set(d.images.subarray(i * bytes, (i + 1) * bytes), k * bytes);
    labels[k] = d.labels[i]!;
  });
  return { images, labels, count: indices.length };
}
