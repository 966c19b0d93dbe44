/**
 * How much memory a training config needs: its parameters and what training holds beside them.
 * All tensors are float32 (4 bytes a value). With P_G, P_D the trainable values of G and D,
 * S_G, S_D their state (batch-norm statistics, spectral-norm u) and n the batch size:
 *
 *   weights   = 4·(P_G + S_G + P_D + S_D)
 *   optimizer = 4·(k_G·P_G + k_D·P_D), k the slots per value: Adam 2 (m, v); RMSProp 1, +1 with
 *               momentum; SGD 0, +1 with momentum
 *   copies    = 4·(P_G + S_G) with EMA, + 4·P_G with historical averaging of G,
 *               + 4·P_D with historical averaging of D or G trained against the averaged D
 *   step      = 4·max(D step, G step) + 4·max(P_G, P_D) (a gradient per trainable value)
 *   total     = weights + optimizer + copies + step
 *
 * A(m), the values a forward pass of a net on m images holds, is m·a + m²·a_pair + a_batch
 * (net-size.ts). Then D step = 3·(A_D(2n) + 3·A_D(n) per gradient penalty, WGAN-GP or R1) and
 * G step = 3·(A_G(n) + A_D(n)), with 2·A_D(n) when feature matching also runs D on reals. The 3:
 * the forward values stay on the gradient tape and the backward pass holds about twice as many
 * until the step ends; a penalty runs D on n more images and differentiates that twice.
 *
 * weights, optimizer and copies are exact; the step is an estimate, within about 20% of the
 * tf.memory() peak of real steps (tests/unit/engine/session/memory-estimate.test.ts holds it
 * within a factor of 1.5).
 */
import type { Dataset } from './domain';
import { LOSS_FAMILIES } from './loss-families';
import { batchLevelD } from './net-plan';
import { discriminatorSize, generatorSize, type DataShape, type NetSize } from './net-size';
import { translationNetSizes } from './translator-size';
import type { OptimizerConfig, TrainingConfig } from './training-config';

export type { DataShape, NetSize } from './net-size';

const BYTES_PER_VALUE = 4;
/** Forward values on the tape, and about twice as many during the backward pass (measured on tfjs 4.22). */
const BACKWARD_FACTOR = 3;
/** A gradient penalty runs D on n more images and differentiates that twice (measured likewise). */
const PENALTY_FACTOR = 3;

export interface ModelSizeEstimate {
  /** Trainable values of G and D. */
  parameters: number;
  generator: NetSize;
  discriminator: NetSize;
  bytes: {
    weights: number;
    optimizer: number;
    copies: number;
    step: number;
    total: number;
  };
}

/** Slots an optimizer keeps per trainable value (net-optimizer.ts). */
export function optimizerSlots(o: OptimizerConfig): number {
  if (o.type === 'adam') return 2;
  if (o.type === 'rmsprop') return o.momentum > 0 ? 2 : 1;
  return o.momentum > 0 ? 1 : 0;
}

/** The data shape a config trains on with a dataset: its classes count only when a net is conditional. */
export function datasetShape(config: TrainingConfig, dataset: Pick<Dataset, 'size' | 'channels' | 'classes'>): DataShape {
  const conditional = config.model.gConditioning !== 'none' || config.model.dConditioning !== 'none';
  return { size: dataset.size, channels: dataset.channels, numClasses: conditional ? dataset.classes.length : 0 };
}

/** Values one forward pass of a net on `images` images holds. */
function forwardValues(net: NetSize, images: number): number {
  return images * net.activationsPerImage + images * images * net.activationsPerPair + net.activationsPerBatch;
}

/**
 * The estimate for `config` on images of `data`'s shape. Throws when the image size does not fit
 * the config's depth (as building the nets would); call planNet first for a friendlier message.
 */
export function estimateModelSize(config: TrainingConfig, data: DataShape): ModelSizeEstimate {
  if (config.task.kind !== 'generate') return estimateTranslation(config, data);
  const g = generatorSize(config.model, data, config.latentSize);
  const d = discriminatorSize(config.model, data);
  const n = config.batchSize;
  const s = config.stabilizers;
  const ha = s.historicalAveraging;
  const penalties = penaltyCount(config);
  const copies =
    (s.ema.enabled ? g.trainable + g.state : 0) + (ha.gWeight > 0 ? g.trainable : 0) + (ha.dWeight > 0 || ha.averagedDForG ? d.trainable : 0);
  // Reals and fakes go through D together (2n images) unless batch-level layers keep them apart.
  const dForward = batchLevelD(config.model) ? 2 * forwardValues(d, n) : forwardValues(d, 2 * n);
  const dStep = BACKWARD_FACTOR * (dForward + PENALTY_FACTOR * penalties * forwardValues(d, n));
  const gStep = BACKWARD_FACTOR * (forwardValues(g, n) + forwardValues(d, n) * (s.featureMatching.enabled ? 2 : 1));
  const step = Math.max(dStep, gStep) + Math.max(g.trainable, d.trainable);

  return estimate(config, g, d, copies, step);
}

/** Gradient penalties a D step differentiates: WGAN-GP's and R1, each when weighted. */
function penaltyCount(config: TrainingConfig): number {
  return (LOSS_FAMILIES[config.loss.type].lipschitz === 'gradient-penalty' && config.loss.gpWeight > 0 ? 1 : 0) + (config.loss.r1Gamma > 0 ? 1 : 0);
}

/** The bytes of G and D's weights and optimizer slots, with the copies and the step (in values) beside them. */
function estimate(config: TrainingConfig, g: NetSize, d: NetSize, copies: number, step: number): ModelSizeEstimate {
  const weights = g.trainable + g.state + d.trainable + d.state;
  const optimizer = optimizerSlots(config.optimizerG) * g.trainable + optimizerSlots(config.optimizerD) * d.trainable;
  const bytes = {
    weights: BYTES_PER_VALUE * weights,
    optimizer: BYTES_PER_VALUE * optimizer,
    copies: BYTES_PER_VALUE * copies,
    step: BYTES_PER_VALUE * step,
    total: 0,
  };
  bytes.total = bytes.weights + bytes.optimizer + bytes.copies + bytes.step;
  return { parameters: g.trainable + d.trainable, generator: g, discriminator: d, bytes };
}

/**
 * A translation run (translator-size.ts): G is its U-Net(s), D its PatchGAN(s), summed over both
 * directions for an unpaired run. The copies are the translators' EMAs and CycleGAN's two pools of
 * past fakes. D step as above on n real and n fake pairs; G step: the paired output and D on it,
 * or for an unpaired run every translator three times (the fake, the cycle back, the identity)
 * and each critic once.
 */
function estimateTranslation(config: TrainingConfig, data: DataShape): ModelSizeEstimate {
  const { g, d } = translationNetSizes(config, data);
  const n = config.batchSize;
  const unpaired = config.task.kind === 'unpaired';
  const penalties = penaltyCount(config);
  const pools = unpaired ? 2 * config.task.poolSize * data.size * data.size * data.channels : 0;
  const copies = (config.stabilizers.ema.enabled ? g.trainable + g.state : 0) + pools;
  const dStep = BACKWARD_FACTOR * (forwardValues(d, 2 * n) + PENALTY_FACTOR * penalties * forwardValues(d, n)) + forwardValues(g, n);
  const gStep = BACKWARD_FACTOR * ((unpaired ? 3 : 1) * forwardValues(g, n) + forwardValues(d, n));
  const step = Math.max(dStep, gStep) + Math.max(g.trainable, d.trainable);
  return estimate(config, g, d, copies, step);
}

export const BYTES_PER_MB = 1024 * 1024;

/** "420 MB", "3.4 GB": memory as people read it (MB = 2^20 bytes, as operating systems report memory). */
export function formatMemory(bytes: number): string {
  const mb = bytes / BYTES_PER_MB;
  return mb < 1024 ? `${Math.max(1, Math.round(mb))} MB` : `${(mb / 1024).toFixed(1)} GB`;
}

/** "950", "12 k", "3.4 M": a count of parameters at a glance. */
export function formatCount(n: number): string {
  for (const [unit, size] of [['G', 1e9], ['M', 1e6], ['k', 1e3]] as const) {
    if (n >= size) return `${(n / size).toFixed(n >= 10 * size ? 0 : 1)} ${unit}`;
  }
  return String(n);
}

/** The estimate in one line, e.g. "≈ 3.4 M parameters · ≈ 420 MB while training". */
export function describeEstimate(e: ModelSizeEstimate): string {
  return `≈ ${formatCount(e.parameters)} parameters · ≈ ${formatMemory(e.bytes.total)} while training`;
}
