/** Everything a translation run trains with: its U-Net translators and PatchGAN critics, one optimizer for the translators and one for the critics, the EMA of each translator, CycleGAN's image pools and the seeded streams. */
import type * as tf from '@tensorflow/tfjs';
import { Rng } from '../../common/rng';
import type { TrainingConfig } from '../../common/training-config';
import { translatorNorm } from '../../common/translator-plan';
import { validateTrainingData, type TrainingData } from '../batch-sampler';
import { buildPatchGan, buildUnet, type PatchCritic, type Translator } from '../nets';
import { extractorFits, frozenClassifierExtractor, type FrozenClassifier, type PerceptualExtractor } from '../objectives/perceptual';
import { NetOptimizer } from '../optim/net-optimizer';
import { WeightEma } from '../stabilizers/ema';
import { ImagePool } from '../stabilizers/image-pool';
import { createStreams, type Streams } from '../session/streams';
import { techniquesOf, type Techniques } from '../session/techniques';
import { degradedChannels, type Degradation } from './degradations';

/** The streams a translation run adds to a generate run's (stream numbers after theirs, so none shifts). */
export const TRANSLATION_STREAM_IDS = { degrade: 11, batchesB: 12, poolA: 13, poolB: 14 } as const;
/** The masks of the fixed validation inputs: derived from the seed, never advanced. */
export const VALIDATION_STREAM = 15;
export type TranslationStreamName = keyof typeof TRANSLATION_STREAM_IDS;

/** The data a translation run learns from: domain A (a paired run's only dataset), B for an unpaired run, and the images its validation reads. */
export interface TranslationData {
  a: TrainingData;
  b: TrainingData | null;
  /** Held-out images of A when the dataset has them (else the first training images, and `heldOut` false). */
  validationA: TrainingData;
  validationB: TrainingData | null;
  heldOut: boolean;
  /**
   * The targets' dataset's in-domain classifier, which a paired run with task.perceptualWeight > 0
   * trains with (ignored otherwise). Sessions that only translate (Try it, export, evaluation) leave it
   * out: such a session builds no extractor and refuses to step.
   */
  perceptual?: FrozenClassifier | null;
}

/** A translator and its critic: G_AB judged by D_B (paired: the critic of (input, output) pairs). */
export interface TranslationParts {
  readonly config: TrainingConfig;
  readonly data: TranslationData;
  readonly t: Techniques;
  /** pix2pix: D judges (input, output) pairs and G's step has the L1 to the target; CycleGAN: neither. */
  readonly paired: boolean;
  /** A paired task made on the fly: how the input is made from the target; null for stored pairs and unpaired runs. */
  readonly degradation: Degradation | null;
  readonly gAB: Translator;
  readonly dB: PatchCritic;
  readonly gBA: Translator | null;
  readonly dA: PatchCritic | null;
  readonly rng: Streams & Record<TranslationStreamName, Rng>;
  readonly poolA: ImagePool | null;
  readonly poolB: ImagePool | null;
  /** The frozen feature network of the perceptual loss (paired, task.perceptualWeight > 0); in no optimizer, EMA or checkpoint. */
  readonly perceptual: PerceptualExtractor | null;
  optG: NetOptimizer;
  optD: NetOptimizer;
  /** EMA of each translator's weights and BN statistics, for samples, validation, Try it and export. */
  emaAB: WeightEma | null;
  emaBA: WeightEma | null;
}

/** The degradation a paired task draws its inputs with, from the config's task; null for stored pairs. */
export function degradationOf(task: TrainingConfig['task']): Degradation | null {
  switch (task.source) {
    case 'pairs':
      return null;
    case 'inpaint':
      return { kind: 'inpaint', mask: task.mask };
    case 'superres':
      return { kind: 'superres', scale: task.scale === 4 ? 4 : 2, filter: task.filter };
    case 'colorize':
      return { kind: 'colorize' };
  }
}

function translator(config: TrainingConfig, size: number, inChannels: number, outChannels: number, name: string, seed: number): Translator {
  return buildUnet({ size, inChannels, outChannels, width: config.model.gWidth, depth: config.model.depth, ...translatorNorm(config.model.gNorm), seed, name });
}

function critic(config: TrainingConfig, size: number, inChannels: number, name: string, seed: number): PatchCritic {
  return buildPatchGan({ size, inChannels, width: config.model.dWidth, ...translatorNorm(config.model.dNorm), seed, name });
}

/** What the EMA follows: a translator's weights and its state, so BN statistics match the averaged weights. */
export function translatorVariables(g: Translator): Map<string, tf.Variable> {
  return new Map([...g.trainable, ...g.state]);
}

export function newTranslatorEma(config: TrainingConfig, g: Translator): WeightEma {
  const { halfLifeImages, rampup, startStep } = config.stabilizers.ema;
  return new WeightEma(translatorVariables(g), { halfLifeImages, rampup, startStep, batchSize: config.batchSize });
}

/** Throws the error a person can act on when the data cannot train this task. */
function checkData(config: TrainingConfig, data: TranslationData): void {
  validateTrainingData(data.a);
  if (config.task.kind === 'unpaired' || config.task.source === 'pairs') {
    const b = data.b;
    if (b === null) throw new Error('this run needs its second dataset (task.datasetB)');
    if (config.task.kind === 'paired' && b.count !== data.a.count) throw new Error(`pairs need one target per input: ${data.a.count} inputs, ${b.count} targets`);
    validateTrainingData(b);
    if (b.size !== data.a.size || b.channels !== data.a.channels) {
      throw new Error(`domain A's images are ${data.a.size} × ${data.a.size} × ${data.a.channels} and domain B's ${b.size} × ${b.size} × ${b.channels}: an unpaired run needs both of one size and channel count`);
    }
  }
}

/** The perceptual loss's frozen classifier, built on the active backend; throws when it was trained on images of another shape. */
function perceptualExtractor(frozen: FrozenClassifier, a: TrainingData): PerceptualExtractor {
  const extractor = frozenClassifierExtractor(frozen);
  const misfit = extractorFits(extractor, a.size, a.channels);
  if (misfit !== null) {
    extractor.dispose();
    throw new Error(`the perceptual loss's classifier does not fit this run: ${misfit}`);
  }
  return extractor;
}

export function createTranslationParts(config: TrainingConfig, data: TranslationData): TranslationParts {
  if (config.task.kind === 'generate') throw new Error('a generate run trains with a TrainingSession, not a translation');
  checkData(config, data);
  const { size, channels } = data.a;
  const unpaired = config.task.kind === 'unpaired';
  const degradation = unpaired ? null : degradationOf(config.task);
  const inChannels = degradation === null ? channels : degradedChannels(degradation, channels, size);
  const made: { dispose(): void }[] = [];
  try {
    const gAB = translator(config, size, inChannels, channels, 'generator', config.seed);
    made.push(gAB);
    // Paired: D judges the input beside the output (pix2pix's conditional D). Unpaired: an image alone.
    const dB = critic(config, size, unpaired ? channels : inChannels + channels, 'discriminator', config.seed);
    made.push(dB);
    const gBA = unpaired ? translator(config, size, channels, channels, 'generatorBA', config.seed + 1) : null;
    if (gBA !== null) made.push(gBA);
    const dA = unpaired ? critic(config, size, channels, 'discriminatorA', config.seed + 1) : null;
    if (dA !== null) made.push(dA);
    const base = createStreams(config.seed);
    const extra = Object.fromEntries(Object.entries(TRANSLATION_STREAM_IDS).map(([name, id]) => [name, new Rng(config.seed, id)])) as Record<TranslationStreamName, Rng>;
    const rng = { ...base, ...extra };
    const imageValues = size * size * channels;
    const pools = unpaired && config.task.poolSize > 0;
    const t = techniquesOf(config);
    const perceptual = unpaired || config.task.perceptualWeight === 0 || !data.perceptual ? null : perceptualExtractor(data.perceptual, data.a);
    if (perceptual !== null) made.push(perceptual);
    const parts: TranslationParts = {
      config,
      data,
      t,
      paired: !unpaired,
      degradation,
      gAB,
      dB,
      gBA,
      dA,
      rng,
      poolA: pools ? new ImagePool(config.task.poolSize, imageValues, rng.poolA) : null,
      poolB: pools ? new ImagePool(config.task.poolSize, imageValues, rng.poolB) : null,
      perceptual,
      optG: new NetOptimizer(config.optimizerG, config.steps),
      optD: new NetOptimizer(config.optimizerD, config.steps),
      emaAB: t.ema ? newTranslatorEma(config, gAB) : null,
      emaBA: t.ema && gBA !== null ? newTranslatorEma(config, gBA) : null,
    };
    return parts;
  } catch (error) {
    for (const m of made) m.dispose();
    throw error;
  }
}

export function disposeTranslationParts(p: TranslationParts): void {
  p.gAB.dispose();
  p.dB.dispose();
  p.gBA?.dispose();
  p.dA?.dispose();
  p.perceptual?.dispose();
  p.optG.dispose();
  p.optD.dispose();
  p.emaAB?.dispose();
  p.emaBA?.dispose();
}
