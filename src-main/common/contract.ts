/** The API contract: every method (request -> response) and event (payload), validated at the boundary. */
import { z } from 'zod';
import { ConfigAdvice } from './config-advice';
import { GROW_FADE_IMAGES, GrowReport } from './grow';
import { RunNearest } from './nearest';
import { EvaluateRequest, Evaluation, RunEvaluationEvent, RunEvaluations } from './quality';
import { RunReason } from './run-reasons';
import { SettingsPatch, SettingsView } from './settings';
import { TrainingConfig } from './training-config';
import { SYNTHETIC_DEFAULT_IMAGES, SYNTHETIC_MAX_IMAGES } from './synthetic';
import { Truncation } from './truncation';
import {
  AugmentPreview,
  AugmentPreviewRequest,
  BackgroundColor,
  DatasetDetails,
  ImportFit,
  ImportId,
  ImportLayout,
  ImportProgressEvent,
  ImportSource,
  PairedLayout,
  ScanResult,
  UploadSession,
  checkOneSource,
} from './datasets';
import {
  Channels,
  Dataset,
  Id,
  ImageSize,
  MetricPoint,
  RejectedFile,
  Run,
  RunStatus,
  Sample,
  Series,
  Checkpoint,
  RunEvent,
  BackendReport,
  RunLabels,
  RunSummary,
  RunSeries,
  Generated,
  TranslateRequest,
  Translated,
  GenerateSpec,
  ExportFormat,
} from './domain';

const Empty = z.object({}).strict();
const ById = z.object({ id: Id }).strict();
const Ok = z.object({ ok: z.literal(true) });

/** Caps on what one request may name: far more than any chart shows, far less than ties up the server. */
const MetricKeys = z
  .array(z.string().max(200, 'a metric key has at most 200 characters'))
  .max(256, 'ask for at most 256 metric keys at once');
const PresetName = z.string().max(100, 'a preset name has at most 100 characters');

/** What every import request (of images or of pairs) says about the images it makes. */
const importFields = {
  size: ImageSize.default(64),
  channels: Channels.default(3),
  fit: ImportFit.default('crop').describe('How non-square images become square.'),
  background: BackgroundColor.default('#000000').describe('Colour under transparent pixels and around padded images.'),
  importId: ImportId.optional().describe('Chosen by the client to cancel the import and match its progress events.'),
};

export const methods = {
  'app.info': {
    request: Empty,
    response: z.object({ version: z.string(), dataDir: z.string(), mode: z.enum(['desktop', 'headless']) }),
  },
  'system.backend': { request: Empty, response: BackendReport },
  'datasets.list': { request: Empty, response: z.array(Dataset) },
  'datasets.get': { request: ById, response: Dataset },
  'datasets.import': {
    request: ImportSource.extend({
      ...importFields,
      name: z.string().min(1).max(120).optional(),
      layout: ImportLayout.default('classes').describe('classes: first-level subfolders are classes; flat: no classes.'),
    })
      .strict()
      .superRefine(checkOneSource),
    response: z.object({ dataset: Dataset, rejected: z.array(RejectedFile) }),
  },
  'datasets.importPaired': {
    request: ImportSource.extend({
      ...importFields,
      name: z.string().min(1).max(116, 'a paired import’s name has at most 116 characters (each half adds “ · A” or “ · B”)').optional(),
      layout: PairedLayout.default('folders').describe('folders: subfolders A/ and B/ matched by path without extension; side-by-side: each image is A | B.'),
    })
      .strict()
      .superRefine(checkOneSource),
    response: z.object({
      a: Dataset.describe('The inputs: image i pairs image i of b.'),
      b: Dataset.describe('The targets, in the same order.'),
      rejected: z.array(RejectedFile),
    }),
  },
  'datasets.scan': {
    request: ImportSource.extend({ layout: ImportLayout.default('classes') }).strict().superRefine(checkOneSource),
    response: ScanResult,
  },
  'datasets.cancelImport': { request: z.object({ importId: ImportId }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'datasets.discardUpload': { request: z.object({ upload: UploadSession }).strict(), response: Ok },
  'datasets.rename': {
    request: z.object({ id: Id, name: z.string().trim().min(1, 'give the dataset a name').max(120) }).strict(),
    response: Dataset,
  },
  'datasets.details': { request: ById, response: DatasetDetails },
  'datasets.augmentPreview': { request: AugmentPreviewRequest, response: AugmentPreview },
  'datasets.rejects': { request: ById, response: z.array(RejectedFile) },
  'datasets.delete': { request: ById, response: Ok },
  'datasets.trainClassifier': {
    request: ById.describe('Trains the dataset’s in-domain classifier (again); answers at once, dataset.updated tells when it is ready.'),
    response: Dataset,
  },
  'runs.list': { request: Empty, response: z.array(Run) },
  'runs.get': { request: ById, response: Run },
  'runs.create': {
    request: z
      .object({
        datasetId: Id,
        name: z.string().min(1).max(120).optional(),
        preset: PresetName.optional().describe('Named preset the config starts from.'),
        config: z.unknown().optional().describe('Partial training config over the preset; defaults fill the rest.'),
        start: z.boolean().default(true),
      })
      .strict(),
    response: Run,
  },
  'runs.fork': {
    request: z
      .object({
        id: Id,
        step: z.number().int().min(0).optional().describe('Checkpoint to fork from; the newest when left out.'),
        name: z.string().min(1).max(120).optional(),
        preset: PresetName.optional().describe("Named preset whose settings go over the parent's config, before `config`."),
        config: z.unknown().optional().describe('Changes to the parent config (partial).'),
        start: z.boolean().default(true),
      })
      .strict(),
    response: Run,
  },
  'runs.grow': {
    request: z
      .object({
        id: Id,
        step: z.number().int().min(0).optional().describe('Checkpoint to grow from; the newest when left out.'),
        size: z.number().int().min(8).max(1024).optional().describe('A larger image side (2×, 4×… the run’s): new blocks at the image end fade in.'),
        depth: z.number().int().min(1).max(5).optional().describe('Blocks to add at the low-resolution end, at the same image size.'),
        widthFactor: z.literal(2).optional().describe('Double every layer’s channels in G and D.'),
        datasetId: Id.optional().describe('The dataset the grown run trains on (needed for a larger size: its images must be that size); the run’s own by default.'),
        steps: z.number().int().min(1).optional().describe('Steps of the grown run (the parent’s by default); it starts at step 0.'),
        fadeImages: z.number().int().min(1).max(100_000_000).default(GROW_FADE_IMAGES).describe('Images over which the new blocks fade in (size only).'),
        name: z.string().min(1).max(120).optional(),
        start: z.boolean().default(true),
      })
      .strict()
      .refine((r) => [r.size, r.depth, r.widthFactor].filter((v) => v !== undefined).length === 1, {
        message: 'give exactly one of size, depth or widthFactor',
        path: ['size'],
      })
      .describe('A new run whose networks are the checkpoint’s grown larger, deeper or wider, with every trained weight that still fits.'),
    response: z.object({ run: Run, report: GrowReport }),
  },
  'runs.growth': {
    request: ById.describe('What a grown run kept of its parent (its Grow report); null for a run that was not grown.'),
    response: GrowReport.nullable(),
  },
  'runs.checkpoints': { request: ById, response: z.array(Checkpoint) },
  'runs.evaluations': {
    request: ById.describe('A run’s quality evaluations over its checkpoints (FD, KID, precision/recall with provenance and seconds), the pending ones, and how its best checkpoint was chosen.'),
    response: RunEvaluations,
  },
  'runs.nearest': {
    request: z
      .object({ id: Id, step: z.number().int().min(0).describe('An evaluated checkpoint of the run.') })
      .strict()
      .describe('The memorization check’s closest pairs of an evaluated checkpoint: the generated images nearest to a training image, each beside it, with its distance over the held-out median.'),
    response: RunNearest.nullable().describe('Null when that checkpoint has no pairs: not evaluated, or evaluated before they were kept.'),
  },
  'runs.export': {
    request: z
      .object({
        id: Id,
        step: z.number().int().min(0).optional().describe('Checkpoint step; the newest when left out.'),
        format: ExportFormat.default('tfjs').describe(
          'tfjs: a TensorFlow.js LayersModel folder; onnx: an ONNX model (opset 13), generator.onnx; html: generator.html, one page with the runtime and weights inside that runs offline by double-click.',
        ),
        truncation: Truncation.optional().describe(
          'ψ-truncation to sample with: the example is drawn with it and generator.json and the README record it; the model itself takes z as given.',
        ),
        count: z.number().int().min(1).max(SYNTHETIC_MAX_IMAGES).optional().describe(`dataset only: images to generate (default ${SYNTHETIC_DEFAULT_IMAGES}).`),
        balanced: z.boolean().optional().describe('dataset only: classes in equal numbers (default), or drawn at random.'),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe('dataset only: seed of the noise and labels (default 0).'),
        minConfidence: z
          .number({ error: 'must be a number between 0 and 1 (a probability, e.g. 0.9)' })
          .min(0, 'must be between 0 and 1 (a probability, e.g. 0.9)')
          .max(1, 'must be between 0 and 1 (a probability, e.g. 0.9)')
          .optional()
          .describe(
            "dataset only: keep an image only if the dataset's in-domain classifier gives its class at least this probability (the class it was made for; an unconditional run's images go to the class the classifier reads); needs the dataset's classifier trained. Default: keep every image.",
          ),
      })
      .strict()
      .superRefine((req, ctx) => {
        if (req.format === 'dataset') return;
        for (const field of ['count', 'balanced', 'seed', 'minConfidence'] as const) {
          if (req[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `only a dataset export takes ${field} (format is ${req.format})` });
        }
      }),
    response: z.object({
      runId: Id,
      step: z.number().int(),
      format: ExportFormat,
      truncation: Truncation.nullable(),
      path: z.string().describe('Folder relative to the data directory.'),
      absolutePath: z.string(),
    }),
  },
  'runs.events': { request: ById, response: z.array(RunEvent) },
  'runs.start': { request: ById, response: Run },
  'runs.pause': { request: ById, response: Run },
  'runs.resume': { request: ById, response: Run },
  'runs.stop': {
    request: ById.extend({
      immediate: z.boolean().default(false).describe('Stop at once, without a final checkpoint; the run resumes from its last one.'),
    }).strict(),
    response: Run,
  },
  'runs.delete': { request: ById, response: Ok },
  'runs.metrics': {
    request: z
      .object({
        id: Id,
        keys: MetricKeys.optional(),
        maxPoints: z.number().int().min(2).max(10_000).default(500),
      })
      .strict(),
    response: z.array(Series),
  },
  'runs.samples': { request: ById, response: z.array(Sample) },
  'runs.update': { request: ById.extend(RunLabels.shape).strict(), response: Run },
  'runs.summaries': {
    request: z.object({ ids: z.array(Id).max(1000).optional() }).strict(),
    response: z.array(RunSummary),
  },
  'runs.compare': {
    request: z
      .object({
        ids: z
          .array(Id)
          .min(2, 'compare at least 2 runs')
          .max(6, 'compare at most 6 runs')
          .refine((ids) => new Set(ids).size === ids.length, 'each run only once'),
        keys: MetricKeys.optional(),
        maxPoints: z.number().int().min(2).max(10_000).default(500),
        x: z.enum(['step', 'time']).default('step').describe('Bucket along steps or along seconds of training.'),
      })
      .strict(),
    response: z.array(RunSeries),
  },
  'runs.generate': {
    request: z
      .object({
        id: Id,
        step: z.number().int().min(0).optional().describe('Checkpoint to render from; the newest when left out.'),
        spec: GenerateSpec,
      })
      .strict(),
    response: Generated,
  },
  'runs.translate': {
    request: TranslateRequest.describe('Try it: one image through a translation run’s checkpoint; the input as the translator saw it and its output are kept as PNGs in the run’s translated/ folder.'),
    response: Translated,
  },
  'quality.evaluate': {
    request: EvaluateRequest.describe(
      'Score a folder of images, or a checkpoint’s generator, against a dataset on the bundled feature network: FD, KID, precision/recall, memorization. A checkpoint’s evaluation is stored with the run (it replaces an earlier one of that checkpoint) and can make it the best.',
    ),
    response: Evaluation,
  },
  'config.presets': {
    request: Empty,
    response: z.array(z.object({ name: z.string(), summary: z.string(), config: TrainingConfig })),
  },
  'config.resolve': {
    request: z.object({ preset: PresetName.optional(), config: z.unknown().optional() }).strict(),
    response: z.union([
      z.object({ ok: z.literal(true), config: TrainingConfig, advice: z.array(ConfigAdvice) }),
      z.object({ ok: z.literal(false), issues: z.array(z.object({ path: z.string(), message: z.string() })) }),
    ]),
  },
  'settings.get': { request: Empty, response: SettingsView },
  'settings.update': { request: SettingsPatch.describe('Only the settings to change; null sets one back to automatic.'), response: SettingsView },
} as const;

export const events = {
  'dataset.importProgress': ImportProgressEvent,
  'dataset.imported': Dataset,
  'dataset.updated': Dataset,
  'run.status': z.object({ runId: Id, status: RunStatus, reason: RunReason.nullable(), backend: z.string().nullable() }),
  'run.metrics': z.object({ runId: Id, points: z.array(MetricPoint) }),
  'run.sample': Sample,
  /** An evaluation of a run's checkpoint was queued, stored or failed. */
  'run.evaluation': RunEvaluationEvent,
  /** Desktop only: raised by the preload itself when folders are dropped on the window. */
  'ui.folderDropped': z.object({ paths: z.array(z.string()) }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Methods that change nothing on disk: a workbench opened read-only (the CLI's list commands) answers only these. */
export const READ_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'app.info',
  'system.backend',
  'datasets.list',
  'datasets.get',
  'datasets.rejects',
  'datasets.scan',
  'datasets.details',
  'datasets.augmentPreview',
  'runs.list',
  'runs.get',
  'runs.checkpoints',
  'runs.evaluations',
  'runs.nearest',
  'runs.events',
  'runs.metrics',
  'runs.samples',
  'runs.summaries',
  'runs.compare',
  'config.presets',
  'config.resolve',
  'settings.get',
]);

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/** Wire shapes shared by both transports. */
export type CallResult = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } };

/** What a service layer implements: one async function per method, on parsed (defaults filled) requests. */
export type Handlers = {
  [M in MethodName]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M>;
};

/** How services raise events without knowing who listens. */
export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
