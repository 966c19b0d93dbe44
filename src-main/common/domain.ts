/** Plain shapes of the workbench's domain objects as they cross the API: datasets, runs, metrics, samples. */
import { z } from 'zod';
import { DatasetClassifier } from './classifier';
import { INTERPOLATION_MODES } from './latent';
import { RunReason } from './run-reasons';
import { StoredTrainingConfig } from './training-config';
import { SyntheticProvenance } from './synthetic';
import { Truncation } from './truncation';

export const Id = z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, 'must be a workbench id');

export const Channels = z.union([z.literal(1), z.literal(3)]);
export const ImageSize = z.number().int().min(8).max(256);

export const RejectedFile = z.object({
  file: z.string().describe('Path relative to the imported folder.'),
  reason: z.string(),
});
export type RejectedFile = z.infer<typeof RejectedFile>;

/** Which half of a paired import a dataset is (`A` inputs, `B` targets) and its partner: image i of one pairs image i of the other. */
export const DatasetPair = z.object({
  datasetId: Id.describe('The other half of the pair.'),
  role: z.enum(['A', 'B']),
});
export type DatasetPair = z.infer<typeof DatasetPair>;

export const Dataset = z.object({
  id: Id,
  name: z.string(),
  sourcePath: z.string(),
  size: ImageSize,
  channels: Channels,
  count: z.number().int().min(0),
  classes: z.array(z.string()),
  rejectedCount: z.number().int().min(0),
  createdAt: z.string(),
  previewPath: z.string().nullable().describe('Grid of the first images, relative to the data directory.'),
  heldOut: z.number().int().min(0).describe('Images of the held-out split training never sees (common/held-out.ts); 0 for none.'),
  synthetic: SyntheticProvenance.nullable().describe('Where a synthetic dataset’s images came from (a run’s generator); null for real images.'),
  classifier: DatasetClassifier.nullable().describe('The in-domain classifier trained on the dataset (common/classifier.ts); null when it has none.'),
  pair: DatasetPair.nullable().describe('Its partner when imported as one half of aligned pairs (datasets.importPaired); null otherwise, and once the partner is deleted.'),
});
export type Dataset = z.infer<typeof Dataset>;

export const RunStatus = z.enum(['queued', 'running', 'paused', 'completed', 'stopped', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;
/** The statuses of a run the trainer host still owns (waiting, training or paused); any other status has ended. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused'];

export const Run = z.object({
  id: Id,
  name: z.string(),
  datasetId: Id,
  status: RunStatus,
  config: StoredTrainingConfig,
  step: z.number().int().min(0).describe('Last step whose metrics were stored.'),
  backend: z.string().nullable(),
  reason: RunReason.nullable().describe('Why the run paused, failed, stopped early or was interrupted; null while all is well.'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  lastCheckpointStep: z.number().int().nullable(),
  parentRunId: Id.nullable(),
  parentStep: z.number().int().nullable(),
  preset: z.string().nullable().describe('The preset the config started from, if any.'),
  tags: z.array(z.string()),
  notes: z.string(),
});
export type Run = z.infer<typeof Run>;

/** What a person may change on a run after creating it. */
export const Tag = z.string().trim().min(1, 'a tag cannot be empty').max(40, 'a tag has at most 40 characters');
export const RunLabels = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  notes: z.string().max(20_000).optional(),
  tags: z.array(Tag).max(32).optional(),
});

/** One metrics point as the trainer reports it: every value measured at one step. */
export const MetricPoint = z.object({
  step: z.number().int().min(0),
  time: z.number().describe('Seconds since the run started training.'),
  values: z.record(z.string(), z.number()),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

/** A downsampled series: each bucket keeps the true min and max along with the mean. */
export const SeriesBucket = z.object({
  step: z.number(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  time: z.number().optional().describe('Seconds of training at the bucket’s last point (compare and time axes).'),
});
export const Series = z.object({ key: z.string(), points: z.array(SeriesBucket) });
export type Series = z.infer<typeof Series>;

/**
 * How a run's best checkpoint was chosen: `kid`, the lowest KID among its evaluated checkpoints;
 * `newest`, the newest checkpoint, because none of them is evaluated (no quality metric). Never a loss.
 */
export const BestBy = z.enum(['kid', 'newest']);
export type BestBy = z.infer<typeof BestBy>;

export const Checkpoint = z.object({
  runId: Id,
  step: z.number().int().min(0),
  path: z.string().describe('Folder relative to the data directory.'),
  createdAt: z.string(),
  kid: z.number().nullable().describe('Mean KID of its evaluation on the bundled feature network; null while it is not evaluated.'),
  best: z.boolean().describe('The run’s best checkpoint, chosen as bestBy says.'),
  bestBy: BestBy.describe('How the run’s best checkpoint was chosen (the same on every checkpoint of a run).'),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export const RunEvent = z.object({
  id: z.number().int(),
  runId: z.string().nullable(),
  kind: z.string(),
  message: z.string(),
  reason: RunReason.nullable().describe('The structured reason, for events that record one.'),
  createdAt: z.string(),
});
export type RunEvent = z.infer<typeof RunEvent>;

export const Sample = z.object({
  runId: Id,
  step: z.number().int().min(0),
  path: z.string().describe('PNG file relative to the data directory.'),
  rawPath: z
    .string()
    .nullable()
    .describe("The raw generator's grid (PNG relative to the data directory) while the EMA warms up and lags it; null otherwise."),
});
export type Sample = z.infer<typeof Sample>;

/** A WebGPU adapter as Dawn describes it, with what decides whether and how well it trains. */
export const GpuAdapterReport = z.object({
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  software: z.boolean().describe('A CPU emulation of a GPU (SwiftShader, llvmpipe): used only when webgpu is forced, slower than wasm.'),
  f16: z.boolean().describe('Whether shaders may use 16-bit floats (the shader-f16 feature).'),
  powerPreference: z.enum(['high-performance', 'low-power']).describe('The preference Dawn offered this adapter for.'),
  limits: z.record(z.string(), z.number()).describe('The limits a training step meets first: buffer sizes, workgroup memory and size.'),
});
export type GpuAdapterReport = z.infer<typeof GpuAdapterReport>;

export const BackendReport = z.object({
  name: z.string(),
  reasons: z.record(z.string(), z.string()).describe('Why each other backend was not chosen.'),
  threads: z.number().int().positive().optional().describe('Threads it computes on, where the workbench chooses them (wasm).'),
  adapter: GpuAdapterReport.nullable().describe('The WebGPU adapter found here (trained on when name is webgpu), or null when none was found or looked for.'),
});
export type BackendReport = z.infer<typeof BackendReport>;

/** Last and best values of a run, for tables: the last value of every key and the best checkpoint. */
export const RunSummary = z.object({
  runId: Id,
  last: z.record(z.string(), z.number().nullable()),
  lastTime: z.number().nullable().describe('Seconds of training at the last stored point.'),
  best: z
    .object({ step: z.number().int(), by: BestBy, kid: z.number().nullable().describe('Its KID when chosen by KID.') })
    .nullable()
    .describe('The best checkpoint (lowest KID among the evaluated ones, else the newest); null without checkpoints.'),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** Series of one run in a comparison, bucketed on a grid shared by every compared run. */
export const RunSeries = z.object({ runId: Id, series: z.array(Series) });
export type RunSeries = z.infer<typeof RunSeries>;

/** Images the trainer rendered on demand from a checkpoint: one PNG grid of rows × cols cells. */
export const Generated = z.object({
  runId: Id,
  step: z.number().int().min(0).describe('The checkpoint the images come from.'),
  path: z.string().describe('PNG file relative to the data directory.'),
  rows: z.number().int().min(1),
  cols: z.number().int().min(1),
  cellSize: z.number().int().min(1),
  rowLabels: z.array(z.string()),
  truncation: Truncation.nullable().describe('The ψ-truncation the images were drawn with; null for none.'),
});
export type Generated = z.infer<typeof Generated>;

/** Try it: one image through a translation run's checkpoint. */
export const TRANSLATE_MODES = ['resize', 'tile'] as const;
/** A PNG, JPEG or WebP file's bytes, base64: what a page or the CLI sends. 16 MB of base64 is a 12 MB file. */
export const MAX_TRANSLATE_BASE64 = 16 * 1024 * 1024;
export const TranslateRequest = z
  .object({
    id: Id,
    step: z.number().int().min(0).optional().describe('Checkpoint to translate with; the newest when left out.'),
    image: z
      .object({
        name: z.string().min(1).max(255).describe('The file name, for the messages and the stored file.'),
        data: z.string().min(1).max(MAX_TRANSLATE_BASE64, `image.data must be at most ${MAX_TRANSLATE_BASE64} base64 characters (a 12 MB file)`).describe('The file, base64.'),
      })
      .strict(),
    mode: z
      .enum(TRANSLATE_MODES)
      .default('resize')
      .describe('resize: the image brought to the training size (cropped to a square); tile: kept at its own size (up to 1024 px a side) and translated in overlapping, blended tiles of the training size.'),
    direction: z.enum(['ab', 'ba']).default('ab').describe('Unpaired runs: A → B or B → A. A paired run translates A → B only.'),
  })
  .strict();
export type TranslateRequest = z.input<typeof TranslateRequest>;
export const Translated = z.object({
  runId: Id,
  step: z.number().int().min(0),
  mode: z.enum(TRANSLATE_MODES),
  direction: z.enum(['ab', 'ba']),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  input: z.string().describe('PNG of the input as the translator saw it (the degraded image of a paired task), relative to the data directory.'),
  output: z.string().describe('PNG of the output, relative to the data directory.'),
  outputPng: z.string().describe('The output PNG, base64, for a client without the data directory (the CLI over --server).'),
});
export type Translated = z.infer<typeof Translated>;

/** What to render from a checkpoint: a latent walk between two cells of the sample grid, or one row per class. */
export const GenerateSpec = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('interpolate'),
      from: z.number().int().min(0).max(255).describe('Cell of the fixed-noise sample grid, row-major.'),
      to: z.number().int().min(0).max(255),
      frames: z.number().int().min(2).max(16).default(8),
      mode: z.enum(INTERPOLATION_MODES).default('slerp').describe('Straight line, or the great circle a Gaussian latent prefers.'),
      truncation: Truncation.optional().describe('ψ-truncation of the two cells’ noise; none when left out.'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('classes'),
      perClass: z.number().int().min(1).max(16).default(8).describe('Images per class row, from the same noise in every row.'),
      truncation: Truncation.optional().describe('ψ-truncation of the rows’ noise; none when left out.'),
    })
    .strict(),
]);
export type GenerateSpec = z.infer<typeof GenerateSpec>;

/**
 * What `runs.export` writes: `tfjs`, a TensorFlow.js LayersModel folder (model.json + weights.bin);
 * `onnx`, generator.onnx (opset 13); `html`, generator.html, one page that runs offline; `dataset`,
 * N generated images as a folder to import (common/synthetic.ts). The one list of formats: the CLI's
 * --format, the trainer's export job and the folders' names read it.
 */
export const EXPORT_FORMATS = ['tfjs', 'onnx', 'html', 'dataset'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;
