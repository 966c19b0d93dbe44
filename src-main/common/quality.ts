/** Shapes of the quality evaluation (issue 12): distances on a bundled feature network's embeddings, each value with what makes it comparable. */
import { z } from 'zod';
import { BestBy, Id, RejectedFile } from './domain';
import { EVALUATION_MAX_N, EVALUATION_MIN_N, type TrainingConfig } from './training-config';

/** Fewest images on either side an evaluation accepts: below it the measures say nothing. */
export const MIN_EVALUATION_IMAGES = 10;
/** The held-out part of the dataset: a fifth of it, at most this many (the memorization check reads medians). */
export const MAX_HELD_OUT_IMAGES = 500;
/** KID's subset pairs, and the largest subset (the usual 1000). */
export const KID_SUBSETS = 50;
export const KID_MAX_SUBSET_SIZE = 1000;

/**
 * How the dataset is split for one evaluation: `heldOut` images (the memorization check's
 * yardstick, never in the real set), then up to `n` real images the scored ones are measured
 * against. With the dataset's held-out split (`splitSize` > 0, common/held-out.ts) the yardstick is
 * drawn from that split, which training never saw, and the real images from the rest. Without one,
 * a fifth of the images (at most MAX_HELD_OUT_IMAGES) is drawn aside first. Null when fewer than
 * MIN_EVALUATION_IMAGES real images would remain: below a dozen images (from there on, at least 2
 * are held out).
 */
export function evaluationSplit(count: number, n: number, splitSize = 0): { heldOut: number; real: number; comparedWith: 'held-out' | 'training' } | null {
  const aside = splitSize > 0 ? splitSize : Math.min(MAX_HELD_OUT_IMAGES, Math.floor(count / 5));
  const heldOut = Math.min(MAX_HELD_OUT_IMAGES, aside);
  const real = Math.min(n, count - aside);
  return real >= MIN_EVALUATION_IMAGES ? { heldOut, real, comparedWith: splitSize > 0 ? 'held-out' : 'training' } : null;
}

/**
 * Samples per KID subset: half the smaller set (at most 1000), so that the subsets differ and their
 * spread means something; a subset as large as the set would be the same images every time.
 */
export function kidSubsetSize(real: number, generated: number): number {
  return Math.min(KID_MAX_SUBSET_SIZE, Math.floor(Math.min(real, generated) / 2));
}

/**
 * What a value depends on besides the images: two values compare only when all of these match.
 * Never comparable with published FID or KID, which are measured on Inception-v3.
 */
export const MeasureProvenance = z.object({
  network: z.string().describe('Id of the feature network: its weights and the layer read.'),
  networkName: z.string().describe('The network for labels, e.g. nsfwjs MobileNetV2 (1792-d).'),
  preprocessing: z.string().describe('How images are brought to the network’s input.'),
  backend: z.string().describe('The TensorFlow.js backend that ran the network.'),
  nGenerated: z.number().int().describe('Images scored (generated, or read from the folder).'),
  nReal: z.number().int().describe('Real images of the dataset they were measured against.'),
});
export type MeasureProvenance = z.infer<typeof MeasureProvenance>;

/** One class of a conditional generator: the images made for it, as the in-domain classifier sees them. */
export const ClassScore = z.object({
  class: z.string(),
  n: z.number().int().describe('Images generated with this class.'),
  accuracy: z.number().describe('Share of them the classifier assigns to this class.'),
  kid: z.number().nullable().describe('KID of them against the real images of the class, on the in-domain features; null with too few of either.'),
});
export type ClassScore = z.infer<typeof ClassScore>;

/** Measures on the in-domain classifier's features and outputs. */
export const InDomainMeasures = z.object({
  name: z.string().describe('E.g. "in-domain classifier, 64-d": what the distances are measured on.'),
  accuracy: z.number().describe('The classifier’s accuracy on the held-out split: how far its judgement goes.'),
  fd: z.number(),
  kid: z.object({ mean: z.number(), std: z.number(), standardError: z.number(), subsets: z.number().int(), subsetSize: z.number().int() }),
  precision: z.number(),
  recall: z.number(),
  coverage: z.number(),
  k: z.number().int(),
  classes: z.array(z.string()),
  histogram: z.array(z.number().int()).describe('Scored images per class the classifier assigns them to.'),
  realHistogram: z.array(z.number().int()).describe('The real images per class, for comparison.'),
  meanConfidence: z.number().describe('Mean top probability of the scored images: does the classifier recognise them at all?'),
  classesReached: z.number().int().describe('Classes that get at least half the share they have among the real images.'),
  perClass: z.array(ClassScore).nullable().describe('Per class, for a conditional generator; null otherwise.'),
  memorization: z
    .object({
      copyRatio: z.number(),
      generatedMedian: z.number(),
      heldOutMedian: z.number(),
      threshold: z.number(),
      flagged: z.boolean(),
      nTraining: z.number().int().describe('Training images searched: the whole training part (at most 60,000), not only the N real images.'),
      nHeldOut: z.number().int(),
    })
    .nullable()
    .describe('The memorization check on the classifier’s features against the whole training part: it finds copies of any training image. Null when held-out images sit on training images (a dataset with duplicates), which leaves no yardstick.'),
  provenance: MeasureProvenance,
});
export type InDomainMeasures = z.infer<typeof InDomainMeasures>;

export const QualityMeasures = z.object({
  fd: z.object({
    name: z.string().describe('E.g. "FD (nsfwjs MobileNetV2, 1792-d)": a Fréchet distance on that network, not FID.'),
    value: z.number(),
    provenance: MeasureProvenance,
  }),
  kid: z.object({
    name: z.string().describe('E.g. "KID (nsfwjs MobileNetV2, 1792-d)": the kernel distance on that network, not Inception’s KID.'),
    mean: z.number().describe('Unbiased MMD² averaged over the subsets; near 0, either side, for the same distribution.'),
    std: z.number().describe('Spread over the subsets.'),
    standardError: z.number(),
    subsets: z.number().int(),
    subsetSize: z.number().int(),
    provenance: MeasureProvenance,
  }),
  precisionRecall: z.object({
    precision: z.number().describe('Share of the scored images inside the real images’ manifold: are they realistic?'),
    recall: z.number().describe('Share of the real images inside the scored images’ manifold: is the variety covered?'),
    coverage: z.number().describe('Share of the real images with a scored image inside their own k-NN ball (Naeem et al. 2020): variety, judged by the real images alone.'),
    k: z.number().int().describe('Each manifold is the union of balls out to the k-th nearest neighbour.'),
    provenance: MeasureProvenance,
  }),
  memorization: z.object({
    copyRatio: z.number().describe('Median distance of a scored image to its nearest training image, over that of a held-out image: ≈1 or above is new, ≪1 copies.'),
    generatedMedian: z.number(),
    heldOutMedian: z.number(),
    threshold: z.number(),
    flagged: z.boolean().describe('copyRatio below the threshold: the scored images sit closer to the training images than unseen ones do.'),
    comparedWith: z
      .enum(['held-out', 'training'])
      .describe('held-out: the dataset’s held-out split, which training never saw; training: images drawn aside from the training images (datasets under 1,000 images have no split).'),
    nTraining: z.number().int().describe('Training images the nearest neighbours were searched among (the real set).'),
    nHeldOut: z.number().int(),
    provenance: MeasureProvenance,
  }),
  inDomain: InDomainMeasures.nullable().describe('The same measures on the dataset’s own classifier, and its class histogram; null when the dataset has no ready classifier.'),
  seconds: z
    .object({
      total: z.number(),
      images: z.number().describe('Reading, decoding or generating the images.'),
      embed: z.number().describe('Embedding on the general network.'),
      inDomain: z.number().describe('Embedding and measuring on the in-domain classifier (0 without one).'),
      fd: z.number(),
      kid: z.number(),
      precisionRecall: z.number(),
      memorization: z.number(),
    })
    .describe('Time the trainer-side worker took, by phase.'),
});
export type QualityMeasures = z.infer<typeof QualityMeasures>;

/** Absolute folder on the machine running the workbench, bounded as an import's path. */
const FolderPath = z.string().min(1, 'give the folder of images to score').max(4096, 'a folder path has at most 4096 characters');

export const EvaluateRequest = z
  .object({
    datasetId: Id.optional().describe('The real images: needed with a folder; a run is measured against its own dataset.'),
    source: z.union([
      z.object({ folder: FolderPath.describe('Images from any tool, resized to the dataset’s size and channels as an import does.') }).strict(),
      z
        .object({
          runId: Id,
          step: z.number().int().min(0).optional().describe('Checkpoint whose generator (its EMA when the run has one) makes the images; the newest when left out.'),
        })
        .strict(),
    ]),
    n: z.number().int().min(EVALUATION_MIN_N).max(EVALUATION_MAX_N).default(2000).describe('Images per side at most: scored images and real images.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Draws the real, held-out and folder images, the noise and the KID subsets.'),
  })
  .strict()
  .superRefine((req, ctx) => {
    if ('folder' in req.source && req.datasetId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['datasetId'], message: 'give the dataset whose images the folder is measured against' });
    }
  });

export const Evaluation = QualityMeasures.extend({
  datasetId: Id,
  seed: z.number().int(),
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('folder'),
      folder: z.string().describe('The folder as resolved.'),
      files: z.number().int().describe('Candidate files found in it.'),
      tried: z.number().int().describe('Files read, in a seeded order, until n were decoded or none were left.'),
      rejected: z.array(RejectedFile).describe('Files tried that could not be read as images, with the reason; skipped.'),
    }),
    z.object({
      kind: z.literal('run'),
      runId: Id,
      step: z.number().int().describe('The checkpoint the images come from.'),
      weights: z.enum(['ema', 'generator']).describe('ema: the exponential moving average of the generator, as its samples show.'),
    }),
  ]),
});
export type Evaluation = z.infer<typeof Evaluation>;

/** The line every display of these values carries. */
export const COMPARABILITY_NOTE =
  'These values compare only with values measured the same way (network, N, preprocessing, backend), never with published FID or KID.';

/** The seed of the evaluations a run makes of its checkpoints: one seed, so that every checkpoint meets the same real images. */
export const RUN_EVALUATION_SEED = 0;

/**
 * Whether a run evaluates the checkpoint at `step` as it trains: every `evaluation.everyCheckpoints`-th
 * checkpoint, counted by step (multiples of k × checkpointEvery). The last checkpoint of an attempt
 * is evaluated too, when the run ends; a checkpoint due for evaluation is kept until it is evaluated.
 */
export function evaluationDue(config: Pick<TrainingConfig, 'evaluation' | 'intervals'>, step: number): boolean {
  const k = config.evaluation.everyCheckpoints;
  return k > 0 && step > 0 && step % (k * config.intervals.checkpointEvery) === 0;
}

/**
 * The best of a run's checkpoints: the lowest KID among the evaluated ones (the newer on a tie),
 * else the newest, which then carries no quality metric. Never a loss. Null without checkpoints.
 */
export function chooseBest(checkpoints: Iterable<{ step: number; kid: number | null }>): { step: number; by: BestBy } | null {
  let kid: { step: number; kid: number } | null = null;
  let newest: number | null = null;
  for (const c of checkpoints) {
    if (newest === null || c.step > newest) newest = c.step;
    if (c.kid !== null && (kid === null || c.kid < kid.kid || (c.kid === kid.kid && c.step > kid.step))) kid = { step: c.step, kid: c.kid };
  }
  if (kid !== null) return { step: kid.step, by: 'kid' };
  return newest === null ? null : { step: newest, by: 'newest' };
}

/** What an evaluation of a run keeps of its in-domain measures. */
export const InDomainSummary = InDomainMeasures.pick({
  name: true,
  accuracy: true,
  fd: true,
  precision: true,
  recall: true,
  coverage: true,
  classes: true,
  histogram: true,
  classesReached: true,
  meanConfidence: true,
  perClass: true,
}).extend({
  network: z.string(),
  kid: z.object({ mean: z.number(), std: z.number(), standardError: z.number() }),
  copyRatio: z.number().nullable().describe('The in-domain memorization check, against the whole training part (null: no yardstick).'),
  flagged: z.boolean(),
});
export type InDomainSummary = z.infer<typeof InDomainSummary>;

/** The stored summary of in-domain measures. */
export function inDomainSummary(m: InDomainMeasures): InDomainSummary {
  return {
    name: m.name,
    network: m.provenance.network,
    accuracy: m.accuracy,
    fd: m.fd,
    kid: { mean: m.kid.mean, std: m.kid.std, standardError: m.kid.standardError },
    precision: m.precision,
    recall: m.recall,
    coverage: m.coverage,
    classes: m.classes,
    histogram: m.histogram,
    classesReached: m.classesReached,
    meanConfidence: m.meanConfidence,
    perClass: m.perClass,
    copyRatio: m.memorization?.copyRatio ?? null,
    flagged: m.memorization?.flagged ?? false,
  };
}

/** One stored evaluation of a run's checkpoint: the values a Quality chart draws, each measured as its provenance says. */
export const RunEvaluation = z.object({
  runId: Id,
  step: z.number().int().min(0).describe('The checkpoint whose generator made the images.'),
  datasetId: Id,
  seed: z.number().int(),
  weights: z.enum(['ema', 'generator']),
  provenance: MeasureProvenance.describe('Network, preprocessing, backend and N: values compare only when all of these match.'),
  fd: z.number().describe('Fréchet distance on the network’s features (not FID).'),
  kid: z.object({ mean: z.number(), std: z.number(), standardError: z.number() }).describe('KID on the network’s features: mean and spread over the subsets.'),
  precision: z.number(),
  recall: z.number(),
  coverage: z.number().nullable().describe('Null for evaluations stored before coverage was measured.'),
  copyRatio: z.number(),
  flagged: z.boolean().describe('The memorization check: the images sit closer to training images than unseen ones do.'),
  inDomain: InDomainSummary.nullable().describe('On the dataset’s classifier; null without one (or before it was trained).'),
  seconds: z.number().describe('Time the evaluation took in the trainer worker.'),
  createdAt: z.string(),
});
export type RunEvaluation = z.infer<typeof RunEvaluation>;

/** A run's evaluations, oldest checkpoint first, which checkpoints wait for one, and how its best checkpoint was chosen. */
export const RunEvaluations = z.object({
  runId: Id,
  evaluations: z.array(RunEvaluation).describe('Every evaluation of the run, also of checkpoints pruned since.'),
  pending: z.array(z.number().int()).describe('Steps of checkpoints queued for evaluation or being evaluated.'),
  best: z.object({ step: z.number().int(), by: BestBy }).nullable(),
});
export type RunEvaluations = z.infer<typeof RunEvaluations>;

/** What the event of one evaluation in a run says: queued, stored (with its values) or failed (with the reason). */
export const RunEvaluationEvent = z.object({
  runId: Id,
  step: z.number().int().min(0),
  status: z.enum(['pending', 'done', 'failed']),
  evaluation: RunEvaluation.nullable(),
  error: z.string().nullable(),
});
export type RunEvaluationEvent = z.infer<typeof RunEvaluationEvent>;
