/** Shapes of the dataset API beyond the Dataset row: import options, folder scans, details, progress, augmentation previews. */
import { z } from 'zod';
import { Dataset, Id, RejectedFile } from './domain';
import { TrainingConfig } from './training-config';

/** Largest image file imported (and uploaded): files are read whole to hash them. */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/** `classes`: each first-level subfolder is a class; `flat`: every image in one unlabelled set. */
export const ImportLayout = z.enum(['classes', 'flat']);
export type ImportLayout = z.infer<typeof ImportLayout>;

/**
 * How a paired import's source holds its pairs. `folders`: subfolders A/ and B/ (any case), a file of
 * A/ paired with the file of B/ at the same path, extension aside. `side-by-side`: each image holds A
 * on the left and B on the right (pix2pix), cut at floor(width / 2); an odd width's last column is dropped.
 */
export const PairedLayout = z.enum(['folders', 'side-by-side']);
export type PairedLayout = z.infer<typeof PairedLayout>;

/** How a non-square source becomes a square: cut the middle, letterbox on the background, or distort. */
export const ImportFit = z.enum(['crop', 'pad', 'stretch']);
export type ImportFit = z.infer<typeof ImportFit>;

/** Colour transparent pixels (and padding) are composited on. */
export const BackgroundColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #000000');

/** A dataset imported from a browser upload records `upload:<folder name>` as its source (the upload is temporary). */
export const UPLOAD_SOURCE_PREFIX = 'upload:';

/** An upload session of the browser mode: files land in `<dataDir>/uploads/<session>/`. */
export const UploadSession = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an upload session id (8-64 letters, digits, _ or -)');

/** A client-chosen id for one import, so it can be cancelled and its progress told apart. */
export const ImportId = z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, 'must be an import id (4-64 letters, digits, _ or -)');

/** Where the files come from: a folder on the machine running the workbench, or an upload session. */
export const ImportSource = z
  .object({
    path: z.string().min(1, 'give the folder to import').max(4096, 'a folder path has at most 4096 characters').optional(),
    upload: UploadSession.optional().describe('Upload session of the browser mode instead of a path.'),
  })
  .strict();

export function checkOneSource(source: { path?: string; upload?: string }, ctx: z.RefinementCtx): void {
  if ((source.path === undefined) === (source.upload === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['path'], message: 'give either a folder path or an upload session, not both or neither' });
  }
}

export const ScanResult = z.object({
  sourcePath: z.string().describe('The folder that was scanned (for uploads, the uploaded folder).'),
  name: z.string().describe('Default dataset name: the folder name.'),
  files: z.number().int().describe('Candidate files found (hidden and system entries excluded).'),
  images: z.number().int().describe('Files whose first bytes name a supported image format.'),
  wouldReject: z.number().int().describe('Files that are certainly rejected: empty, too large, or not a supported image.'),
  rejectReasons: z.record(z.string(), z.number().int()).describe('Count per reason of the certain rejects.'),
  skipped: z.number().int().describe('Hidden and system entries, symlink loops and unreadable entries.'),
  formats: z.record(z.string(), z.number().int()),
  classes: z.array(z.object({ name: z.string(), images: z.number().int() })).describe('First-level subfolders holding images.'),
  unlabelled: z.number().int().describe('Images directly in the folder (no class).'),
  fingerprint: z.string().describe('Hash of the relative paths and sizes: equal for the same folder content.'),
  existing: z.array(Dataset).describe('Datasets imported before from this folder or from identical content.'),
});
export type ScanResult = z.infer<typeof ScanResult>;

export const SourceSizeHistogram = z.object({
  edges: z.array(z.number().int()).describe('Lower bounds of the bins of the longer source side, in pixels; the last bin is open.'),
  counts: z.array(z.number().int()),
});
export type SourceSizeHistogram = z.infer<typeof SourceSizeHistogram>;

export const ThumbSheets = z.object({
  side: z.number().int().describe('Thumbnail side in pixels.'),
  columns: z.number().int().describe('Thumbnails per sheet row.'),
  perSheet: z.number().int(),
  sheets: z.array(z.string()).describe('PNG sprite sheets, relative to the data directory; image i is on sheet floor(i / perSheet).'),
});
export type ThumbSheets = z.infer<typeof ThumbSheets>;

export const DatasetDetails = z.object({
  dataset: Dataset,
  options: z.object({ layout: ImportLayout, fit: ImportFit, background: BackgroundColor }),
  stats: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }).describe('Per channel, 0..255 scale.'),
  classHistogram: z.array(z.number().int()),
  unlabelled: z.number().int(),
  sourceSizes: SourceSizeHistogram,
  thumbs: ThumbSheets.nullable().describe('Null for datasets imported before thumbnails existed.'),
  /** Per packed image: its class index, or -1. Lets the grid filter by class without more calls. */
  labels: z.array(z.number().int()),
  skipped: z.array(RejectedFile),
  warnings: z.array(z.string()),
});
export type DatasetDetails = z.infer<typeof DatasetDetails>;

export const ImportPhase = z.enum(['scanning', 'decoding', 'writing', 'done']);

export const ImportProgressEvent = z.object({
  importId: ImportId,
  path: z.string(),
  phase: ImportPhase,
  done: z.number().int(),
  total: z.number().int(),
  rejected: z.number().int(),
  etaSeconds: z.number().nullable().describe('Seconds left at the current rate; null until it can be estimated.'),
  perSecond: z.number().nullable().describe('Files decoded per second so far.'),
});

/** The augment section of the training config; every field has a default, so a partial object is valid. */
export const AugmentSettings = TrainingConfig.shape.augment;

export const AugmentPreviewRequest = z
  .object({
    id: Id,
    augment: AugmentSettings,
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    count: z.number().int().min(1).max(16).default(6).describe('Originals to show.'),
    variants: z.number().int().min(1).max(8).default(4).describe('Augmented variants per original.'),
    diffAugmentP: z.number().min(0).max(1).default(1).describe('Probability of each DiffAugment policy (what ADA adapts).'),
  })
  .strict();

export const AugmentPreview = z.object({
  indices: z.array(z.number().int()).describe('Packed image indices shown, drawn from the seed.'),
  originals: z.array(z.string()).describe('PNG data URLs, one per index.'),
  variants: z.array(z.array(z.string())).describe('Per original, its augmented variants as PNG data URLs.'),
  millis: z.number().describe('Time the trainer-side worker took.'),
});
export type AugmentPreview = z.infer<typeof AugmentPreview>;
