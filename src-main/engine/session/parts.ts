/** Everything one run trains with: the two nets, their optimizers, the stabilizers, ADA and the random streams, built from the config. */
import type * as tf from '@tensorflow/tfjs';
import { progressivePhases, progressiveProblem, type Phase } from '../../common/progressive';
import type { TrainingConfig } from '../../common/training-config';
import { AdaController } from '../augment/ada';
import { samplingPool, validateTrainingData, type TrainingData } from '../batch-sampler';
import { buildDiscriminator, buildGenerator, type Discriminator, type Generator, type NetShape } from '../nets';
import { NetOptimizer } from '../optim/net-optimizer';
import { WeightEma } from '../stabilizers/ema';
import { ParameterAverage } from '../stabilizers/parameter-average';
import { createStreams, type Streams } from './streams';
import { techniquesOf, type Techniques } from './techniques';

/**
 * The mutable parts are replaced whole by importState (a fork may bring other optimizer types,
 * or none of the EMA/averages/ADA state): the nets and the streams are only ever written in place.
 */
export interface SessionParts {
  readonly config: TrainingConfig;
  readonly data: TrainingData;
  readonly shape: NetShape;
  readonly t: Techniques;
  /** Progressive growing's phases in steps (common/progressive.ts), or null for a run that does not grow. */
  readonly phases: Phase[] | null;
  /** Classes the conditional nets know (0 for an unconditional run). */
  readonly numClasses: number;
  /** Indices a conditional run draws reals from (labelled images only); null = all. */
  readonly pool: Int32Array | null;
  readonly g: Generator;
  readonly d: Discriminator;
  readonly rng: Streams;
  optG: NetOptimizer;
  optD: NetOptimizer;
  /** EMA of G's weights and batch-norm statistics, for samples and export. */
  ema: WeightEma | null;
  /** Running averages of past parameters (historical averaging). */
  averageG: ParameterAverage | null;
  averageD: ParameterAverage | null;
  ada: AdaController;
}

/** What the EMA follows: G's trainable weights and its state (so BN statistics match the averaged weights). */
export function emaVariables(g: Generator): Map<string, tf.Variable> {
  return new Map([...g.trainable, ...g.state]);
}

export function newEma(p: Pick<SessionParts, 'config' | 'g'>): WeightEma {
  const { halfLifeImages, rampup, startStep } = p.config.stabilizers.ema;
  return new WeightEma(emaVariables(p.g), { halfLifeImages, rampup, startStep, batchSize: p.config.batchSize });
}

export function createParts(config: TrainingConfig, data: TrainingData): SessionParts {
  validateTrainingData(data);
  const growing = progressiveProblem(config, data.size);
  if (growing !== null) throw new Error(growing);
  const t = techniquesOf(config);
  const pool = samplingPool(data, t.conditional);
  const numClasses = t.conditional ? (data.numClasses ?? 0) : 0;
  const progressiveFrom = config.progressive.enabled ? config.progressive.startSize : null;
  const shape: NetShape = { size: data.size, channels: data.channels, numClasses, latentSize: config.latentSize, seed: config.seed, progressiveFrom };
  const g = buildGenerator(config.model, shape);
  let d: Discriminator | null = null;
  try {
    const fm = config.stabilizers.featureMatching;
    d = buildDiscriminator(config.model, shape, fm.enabled ? fm.layer : 0);
    const parts: SessionParts = {
      config,
      data,
      shape,
      t,
      phases: progressivePhases(config, data.size),
      numClasses,
      pool,
      g,
      d,
      rng: createStreams(config.seed),
      optG: new NetOptimizer(config.optimizerG, config.steps),
      optD: new NetOptimizer(config.optimizerD, config.steps),
      ema: null,
      averageG: t.haG ? new ParameterAverage(g.trainable) : null,
      averageD: t.averageD ? new ParameterAverage(d.trainable) : null,
      ada: new AdaController(config.augment.ada, config.batchSize),
    };
    if (t.ema) parts.ema = newEma(parts);
    // The history starts with the initial parameters, so the penalty bites from the second update.
    parts.averageG?.update();
    parts.averageD?.update();
    return parts;
  } catch (error) {
    g.dispose();
    d?.dispose();
    throw error;
  }
}

export function disposeParts(p: SessionParts): void {
  p.g.dispose();
  p.d.dispose();
  p.optG.dispose();
  p.optD.dispose();
  p.ema?.dispose();
  p.averageG?.dispose();
  p.averageD?.dispose();
}
