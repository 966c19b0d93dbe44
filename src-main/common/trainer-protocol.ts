/** Messages between the TrainerHost and the trainer process (utilityProcess or forked child). */
import type { ClassifierReport } from './classifier';
import type { GrowReport } from './grow';
import type { BackendReport, ExportFormat, GenerateSpec, MetricPoint, RejectedFile } from './domain';
import type { QualityMeasures } from './quality';
import type { RunReason } from './run-reasons';
import type { TrainingConfig } from './training-config';
import type { Truncation } from './truncation';

/** How a trainer process picks its compute (`--backend`, `--adapter`); what is absent is resolved automatically. */
export interface ComputeChoice {
  /** Force a backend by name instead of resolving the best one. */
  backend?: string;
  /** The WebGPU adapter whose vendor, architecture or description contains this (machines with two GPUs). */
  adapter?: string;
}

/** Only the fields of `choice` that are set, to spread into a message. */
export function computeFields(choice: ComputeChoice): ComputeChoice {
  return { ...(choice.backend ? { backend: choice.backend } : {}), ...(choice.adapter ? { adapter: choice.adapter } : {}) };
}

/** Environment variable a trainer process reads its thread count from, over the run's compute.threads (set by the CLI's --threads). */
export const THREADS_ENV = 'WORKBENCH_THREADS';

export interface StartTraining extends ComputeChoice {
  type: 'start';
  runId: string;
  /** Absolute folder of the run: config.json, samples/, checkpoints/. */
  runDir: string;
  /** Absolute folder of the packed dataset. */
  datasetDir: string;
  /** An unpaired translation run's dataset of domain B (config.task.datasetB); absent otherwise. */
  datasetBDir?: string;
  /** A paired run with task.perceptualWeight > 0: the folder of the targets' dataset's classifier (the perceptual loss's features); absent otherwise. */
  classifierDir?: string;
  config: TrainingConfig;
  /** What the checkpoint keeper must know of the run's evaluations (see KnownEvaluations). */
  evaluations: KnownEvaluations;
}

/**
 * The run's evaluations as the host knows them when a trainer starts: the KID of each evaluated
 * checkpoint (null: its evaluation failed), and the checkpoints queued for one. The keeper never
 * prunes a checkpoint awaiting evaluation, nor the one with the lowest KID; the host tells it each
 * new result with an `evaluated` message.
 */
export interface KnownEvaluations {
  evaluated: { step: number; kid: number | null }[];
  awaiting: number[];
}

/** Resolve the compute backend, report it, and exit (for `doctor` and the UI's backend badge). */
export interface ProbeBackend extends ComputeChoice {
  type: 'probe';
}

/** Render images on demand from one checkpoint (latent walks, class rows) and answer with raw pixels; answered by the warm trainer worker. */
export interface GenerateImages extends ComputeChoice {
  type: 'generate';
  requestId: string;
  /** Absolute folder of the packed dataset the run trains on (the session takes its shape and classes). */
  datasetDir: string;
  config: TrainingConfig;
  /** Absolute folder of the checkpoint to load. */
  checkpointDir: string;
  request: GenerateSpec;
}

/** Try it: one image through a translation run's checkpoint; answered by the warm trainer worker with the input as the translator saw it and the output. */
export interface TranslateImage extends ComputeChoice {
  type: 'translate';
  requestId: string;
  /** The run's dataset (domain A), for the nets' shape; `datasetBDir` for an unpaired run. */
  datasetDir: string;
  datasetBDir?: string;
  config: TrainingConfig;
  checkpointDir: string;
  /** The image decoded by the host, uint8 HWC with the dataset's channels: the training size (resize), or its own size (tile). */
  image: { width: number; height: number; pixels: Uint8Array };
  mode: 'resize' | 'tile';
  direction: 'ab' | 'ba';
}

/** The translator's input (its displayable channels) and output, both uint8 HWC of one size. */
export interface TranslatedPixels {
  width: number;
  height: number;
  channels: 1 | 3;
  input: Uint8Array;
  output: Uint8Array;
}

/** Rendered cells, tiled row-major into one uint8 HWC picture with a thin border (like a sample grid). */
export interface GeneratedPixels {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
  rows: number;
  cols: number;
  cellSize: number;
}

/** Augment some images of a packed dataset with the trainer's own code; answered by the warm trainer worker (core/trainer/job-worker.ts). */
export interface AugmentPreviewJob extends ComputeChoice {
  type: 'augmentPreview';
  requestId: string;
  /** Absolute folder of the packed dataset. */
  datasetDir: string;
  /** Packed image indices to show. */
  indices: number[];
  augment: TrainingConfig['augment'];
  seed: number;
  /** Augmented variants per image. */
  variants: number;
  /** Probability of each DiffAugment policy (what ADA adapts during training). */
  diffAugmentP: number;
}

/** Raw pixels of an augmentation preview: HWC uint8 images back to back. */
export interface AugmentPreviewPixels {
  size: number;
  channels: 1 | 3;
  /** indices.length images. */
  originals: Uint8Array;
  /** indices.length x variants images, image-major (all variants of the first image first). */
  variants: Uint8Array;
  millis: number;
}

/** Write the generator of one checkpoint as a TensorFlow.js or ONNX model folder (with an example and a README); answered by the warm trainer worker. */
export interface ExportGenerator extends ComputeChoice {
  type: 'export';
  requestId: string;
  runId: string;
  datasetDir: string;
  /** A translation run's second dataset (config.task.datasetB: domain B, or a paired run's stored targets); absent otherwise. */
  datasetBDir?: string;
  config: TrainingConfig;
  /** Absolute folder of the checkpoint to load. */
  checkpointDir: string;
  step: number;
  format: ExportFormat;
  /** The ψ-truncation the example is drawn with and the folder records; null for none. */
  truncation: Truncation | null;
  /**
   * For a dataset export: how many images, classes balanced or not, the seed of their noise, and the
   * confidence filter: the dataset's trained classifier (its folder) and the probability an image's
   * class needs to be kept; null keeps every image.
   */
  synthesis: { count: number; balanced: boolean; seed: number; filter: { minConfidence: number; classifierDir: string } | null } | null;
  /** Absolute folder to create; it must not exist yet. */
  outDir: string;
}

/** Build a grown run's networks, carry the parent checkpoint's weights into them and write the result as the grown run's checkpoint at step 0; answered by the warm trainer worker. */
export interface GrowNetworks extends ComputeChoice {
  type: 'grow';
  requestId: string;
  parentConfig: TrainingConfig;
  /** The parent's image size. */
  parentSize: number;
  /** Absolute folder of the parent's checkpoint. */
  parentCheckpointDir: string;
  /** The grown run's config and the dataset it trains on (for its shape). */
  config: TrainingConfig;
  datasetDir: string;
  /** Absolute folder to write the checkpoint into, as `<checkpointsDir>/0/`. */
  checkpointsDir: string;
}

/** What the transplant did, variable by variable (common/grow.ts GrowReport without the request's facts). */
export type GrownNetworks = Pick<GrowReport, 'weights' | 'dropped' | 'copiedValues' | 'totalValues'>;

/** A file of a folder to score, as core's walk found it. */
export interface FolderFile {
  /** Relative to the folder, "/"-separated. */
  rel: string;
  abs: string;
  size: number;
}

/**
 * Score images against a packed dataset on the bundled feature network (FD, KID, precision/recall,
 * the memorization check); answered by the warm trainer worker. The images come from a folder
 * (decoded as an import decodes, to the dataset's size and channels) or from a checkpoint's generator.
 */
export interface EvaluateImages extends ComputeChoice {
  type: 'evaluate';
  requestId: string;
  /** Absolute folder of the packed dataset: the real and held-out images. */
  datasetDir: string;
  /** Absolute folder of the dataset's trained classifier, for the in-domain measures; null for none. */
  classifierDir: string | null;
  /** Images per side at most. */
  n: number;
  seed: number;
  source:
    | { kind: 'folder'; files: FolderFile[]; maxInputPixels: number }
    | { kind: 'run'; config: TrainingConfig; checkpointDir: string; /** An unpaired translation run: its domain A, whose images it translates; `datasetDir` is then domain B. */ inputsDatasetDir?: string };
}

/** Train a dataset's in-domain classifier on its training part and measure it on its held-out split; answered by the warm trainer worker. */
export interface TrainClassifier extends ComputeChoice {
  type: 'trainClassifier';
  requestId: string;
  datasetDir: string;
  /** Absolute folder to write model.json, weights.bin and classifier.json into; replaced whole when it exists. */
  outDir: string;
  seed: number;
}

/**
 * The memorization check's closest pairs of a checkpoint's evaluation: the generated images nearest
 * to a training image, closest first, each beside that training image, as the dataset's pixels.
 */
export interface NearestImages {
  /** Side and channels of every image: the dataset's. */
  size: number;
  channels: 1 | 3;
  /** The yardstick: a held-out image's median distance to its nearest training image. */
  heldOutMedian: number;
  pairs: {
    /** Which of the N generated images (its row of the evaluation's noise). */
    generated: number;
    /** The training image's index in the packed dataset (images.u8). */
    training: number;
    distance: number;
  }[];
  /** The pairs' generated images, uint8 HWC back to back, in the pairs' order. */
  generatedPixels: Uint8Array;
  /** Their nearest training images, likewise. */
  trainingPixels: Uint8Array;
}

/** The measures, for a folder how many of its files were read and which could not be, and for a checkpoint the closest pairs (null for a folder). */
export type EvaluatedImages = QualityMeasures & { tried: number; rejected: RejectedFile[]; nearest: NearestImages | null };

export type HostToTrainer =
  | StartTraining
  | ExportGenerator
  | GrowNetworks
  | EvaluateImages
  | TrainClassifier
  | ProbeBackend
  | GenerateImages
  | TranslateImage
  | AugmentPreviewJob
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Answers a `sync`: every message sent before it is committed to the store. */
  | { type: 'synced'; id: number }
  /** A checkpoint of the run being trained was evaluated (kid null: the evaluation failed); the keeper may prune it now. */
  | { type: 'evaluated'; step: number; kid: number | null };

export type TrainerToHost =
  | { type: 'ready' }
  | { type: 'probed'; backend: BackendReport | null; error?: string }
  | { type: 'started'; runId: string; backend: BackendReport; fromStep: number }
  | { type: 'metrics'; runId: string; points: MetricPoint[] }
  | { type: 'sample'; runId: string; step: number; file: string; rawFile: string | null }
  /** Asks the host to answer `synced` once everything sent so far is stored (before a checkpoint is written). */
  | { type: 'sync'; runId: string; id: number }
  | { type: 'checkpoint'; runId: string; step: number; dir: string; pruned: number[] }
  | { type: 'paused'; runId: string; step: number; reason?: RunReason }
  | { type: 'resumed'; runId: string; step: number }
  | { type: 'finished'; runId: string; status: 'completed' | 'stopped' | 'failed'; step: number; reason?: RunReason }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | ({ type: 'exported'; requestId: string } & ({ ok: true; dir: string } | { ok: false; error: string }))
  | ({ type: 'generated'; requestId: string } & ({ ok: true; image: GeneratedPixels } | { ok: false; error: string }))
  | ({ type: 'evaluated'; requestId: string } & ({ ok: true; result: EvaluatedImages } | { ok: false; error: string }))
  | ({ type: 'translated'; requestId: string } & ({ ok: true; result: TranslatedPixels } | { ok: false; error: string }))
  | ({ type: 'grown'; requestId: string } & ({ ok: true; result: GrownNetworks } | { ok: false; error: string }))
  | ({ type: 'classifierTrained'; requestId: string } & ({ ok: true; report: ClassifierReport } | { ok: false; error: string }))
  | ({ type: 'augmentPreviewResult'; requestId: string } & ({ ok: true; preview: AugmentPreviewPixels } | { ok: false; error: string }));
