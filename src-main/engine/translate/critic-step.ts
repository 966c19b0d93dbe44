/** One update of a translation run's critics: the reals of the batch (with classic augmentation), the translators' outputs (through CycleGAN's image pool), DiffAugment and instance noise, each PatchGAN's adversarial loss and penalties, the optimizer and clipping. */
import * as tf from '@tensorflow/tfjs';
import { augmentReals } from '../augment/real-batch';
import type { DiffAugmentParams } from '../augment/diff-augment';
import { sampleRealBatch, type TrainingData } from '../batch-sampler';
import type { PatchCritic } from '../nets';
import { discriminatorLoss, type LabelTarget, type LabelTargets } from '../objectives/adversarial';
import { labelTargets } from '../objectives/label-smoothing';
import { clipWeights, gradientPenalty, r1Penalty } from '../objectives/penalties';
import type { GradientPair } from '../optim/net-optimizer';
import type { ImagePool } from '../stabilizers/image-pool';
import { instanceNoiseStd } from '../stabilizers/instance-noise';
import { gradientPairs, toDInput, weightedSum, withStateRestored } from '../session/forward';
import type { StepMetrics } from '../session/metrics';
import { uniforms } from '../session/streams';
import { degrade } from './degradations';
import type { TranslationParts } from './translation-parts';
import type { Rng } from '../../common/rng';

/** The batch of one step, kept for the translators' update (pix2pix and CycleGAN update G on the batch D just saw). */
export interface TranslationBatch {
  /** Paired: the degraded input; unpaired: domain A's images. */
  a: tf.Tensor4D;
  /** Paired: the target; unpaired: domain B's images. */
  b: tf.Tensor4D;
}

export function disposeBatch(batch: TranslationBatch | null): void {
  if (batch !== null) tf.dispose([batch.a, batch.b]);
}

/** D's per-image score: the mean of its patch logits (what the penalties differentiate). */
export function perImage(d: PatchCritic, x: tf.Tensor4D, training: boolean): tf.Tensor1D {
  const { logits, patches } = d.apply(x, training);
  return tf.mean(tf.reshape(logits, [x.shape[0], patches]), 1) as tf.Tensor1D;
}

/** A per-image BCE target repeated for each of its P patch logits (sample-major, as the PatchGAN flattens them). */
export function perPatch(target: LabelTarget, patches: number): LabelTarget {
  if (typeof target === 'number') return target;
  return tf.reshape(tf.tile(tf.reshape(target, [-1, 1]), [1, patches]), [-1]) as tf.Tensor1D;
}

/** What a critic sees: the image, and for a paired run the input it was made from on the channels before it; each part gets the same DiffAugment draw. */
export function criticInput(condition: tf.Tensor4D | null, image: tf.Tensor4D, diff: DiffAugmentParams | null, sigma: number, rng: Rng): tf.Tensor4D {
  const seen = toDInput(image, diff, sigma, rng);
  if (condition === null) return seen;
  return tf.concat([toDInput(condition, diff, sigma, rng), seen], 3);
}

/** Draws n images scaled to [-1, 1] and applies the classic augmentations (and draws DiffAugment's parameters). */
function reals(p: TranslationParts, data: TrainingData, rng: Rng, n: number): { images: tf.Tensor4D; diff: DiffAugmentParams | null } {
  const batch = sampleRealBatch(data, n, rng);
  const raw = tf.tensor4d(batch.pixels, [n, data.size, data.size, data.channels]);
  return augmentReals(raw, p.config.augment, 1, p.rng);
}

/**
 * Stored pairs: image i of A with image i of B, one index draw for both. B is augmented with the
 * augmentation streams rewound to where A's draws started, so a flip or crop moves input and target alike.
 */
function pairedReals(p: TranslationParts, a: TrainingData, b: TrainingData, n: number): { a: tf.Tensor4D; b: tf.Tensor4D; diff: DiffAugmentParams | null } {
  const indices = Int32Array.from({ length: n }, () => p.rng.batches.nextInt(a.count));
  const values = a.size * a.size * a.channels;
  const pick = (d: TrainingData) => {
    const out = new Float32Array(n * values);
    indices.forEach((index, k) => {
      for (let i = 0; i < values; i++) out[k * values + i] = (d.images[index * values + i] ?? 0) / 127.5 - 1;
    });
    return tf.tensor4d(out, [n, a.size, a.size, a.channels]);
  };
  const start = { augment: p.rng.augment.getState(), diffAugment: p.rng.diffAugment.getState() };
  const first = augmentReals(pick(a), p.config.augment, 1, p.rng);
  p.rng.augment.setState(start.augment);
  p.rng.diffAugment.setState(start.diffAugment);
  const second = augmentReals(pick(b), p.config.augment, 1, p.rng);
  return { a: first.images, b: second.images, diff: first.diff };
}

/** The step's real images: A's inputs (degraded from the targets, or stored) and B's targets or images, with the DiffAugment draws for D_B and D_A. */
export function drawBatch(p: TranslationParts, n: number): { a: tf.Tensor4D; b: tf.Tensor4D; diffB: DiffAugmentParams | null; diffA: DiffAugmentParams | null } {
  if (p.paired && p.data.b !== null) {
    const pair = pairedReals(p, p.data.a, p.data.b, n);
    return { a: pair.a, b: pair.b, diffB: pair.diff, diffA: null };
  }
  const first = reals(p, p.data.a, p.rng.batches, n);
  if (p.paired) {
    // Made on the fly: the input is made from the (augmented) target, so the pair stays aligned.
    const a = p.degradation === null ? first.images : degrade(p.degradation, first.images, p.rng.degrade);
    return { a, b: first.images, diffB: first.diff, diffA: null };
  }
  if (p.data.b === null) throw new Error('an unpaired run needs domain B');
  const second = reals(p, p.data.b, p.rng.batchesB, n);
  return { a: first.images, b: second.images, diffB: first.diff, diffA: second.diff };
}

/** The fakes D learns from: CycleGAN's pool hands back past ones for about half the batch. */
function pooled(fake: tf.Tensor4D, pool: ImagePool | null): tf.Tensor4D {
  if (pool === null) return fake;
  const n = fake.shape[0];
  return tf.tensor4d(pool.query(fake.dataSync() as Float32Array, n), fake.shape);
}

/** One critic's loss on a real and a fake input of the same n images: the adversarial term and the configured penalties. */
function criticLoss(p: TranslationParts, d: PatchCritic, realIn: tf.Tensor4D, fakeIn: tf.Tensor4D, targets: LabelTargets | undefined, epsilon: tf.Tensor4D | null, metrics: StepMetrics): tf.Scalar {
  const { config: cfg, t } = p;
  // Two calls: batch norm in a PatchGAN must not mix reals with fakes.
  const real = d.apply(realIn, true);
  const fake = d.apply(fakeIn, true);
  const patchTargets = targets === undefined ? undefined : { real: perPatch(targets.real, real.patches), fake: perPatch(targets.fake, fake.patches) };
  const adv = discriminatorLoss(cfg.loss.type, real.logits, fake.logits, patchTargets);
  metrics.add('d_loss_adv', adv);
  metrics.add('d_real', tf.mean(real.logits));
  metrics.add('d_fake', tf.mean(fake.logits));
  const terms: [tf.Scalar, number][] = [[adv, 1]];
  const critic = (x: tf.Tensor4D) => perImage(d, x, true);
  if (epsilon !== null) {
    const gp = withStateRestored(d, () => gradientPenalty(critic, realIn, fakeIn, epsilon));
    metrics.add('gp', gp);
    terms.push([gp, cfg.loss.gpWeight]);
  }
  if (t.r1) {
    const r1 = withStateRestored(d, () => r1Penalty(critic, realIn));
    metrics.add('r1', r1);
    terms.push([r1, cfg.loss.r1Gamma / 2]);
  }
  return weightedSum(terms);
}

/**
 * Updates D_B (and D_A for an unpaired run) once and returns the batch for the translators' step
 * (the caller disposes it). `step` counts translator updates done so far.
 */
export async function criticStep(p: TranslationParts, step: number, metrics: StepMetrics): Promise<TranslationBatch> {
  const { config: cfg, t } = p;
  const n = cfg.batchSize;
  const sigma = instanceNoiseStd(cfg.stabilizers.instanceNoise, step);
  let batch: TranslationBatch | null = null;
  let pairs: GradientPair[] = [];
  try {
    tf.tidy(() => {
      const { a, b, diffB: diff, diffA: otherDiff } = drawBatch(p, n);
      const epsilons = () => (t.gp ? tf.tensor4d(uniforms(p.rng.gpEpsilon, n), [n, 1, 1, 1]) : null);
      const targetsB = t.bce ? labelTargets(cfg.stabilizers.labelSmoothing, n, p.rng.smoothing) : undefined;
      const targetsA = t.bce && p.dA !== null ? labelTargets(cfg.stabilizers.labelSmoothing, n, p.rng.smoothing) : undefined;
      // Outside the critics' tape: their step does not reach into the translators.
      const fakeB = pooled(p.gAB.apply(a, true), p.poolB);
      const fakeA = p.gBA === null ? null : pooled(p.gBA.apply(b, true), p.poolA);
      const condition = p.paired ? a : null;
      const realBIn = criticInput(condition, b, diff, sigma, p.rng.instanceNoise);
      const fakeBIn = criticInput(condition, fakeB, diff, sigma, p.rng.instanceNoise);
      const realAIn = fakeA === null ? null : criticInput(null, a, otherDiff, sigma, p.rng.instanceNoise);
      const fakeAIn = fakeA === null ? null : criticInput(null, fakeA, otherDiff, sigma, p.rng.instanceNoise);
      const epsilonB = epsilons();
      const epsilonA = p.dA === null ? null : epsilons();
      const critics = [p.dB, ...(p.dA === null ? [] : [p.dA])];
      const { value, grads } = tf.variableGrads(() => {
        const lossB = criticLoss(p, p.dB, realBIn, fakeBIn, targetsB, epsilonB, metrics);
        if (p.dA === null || realAIn === null || fakeAIn === null) return lossB;
        return tf.add(lossB, criticLoss(p, p.dA, realAIn, fakeAIn, targetsA, epsilonA, metrics)) as tf.Scalar;
      }, critics.flatMap((d) => [...d.trainable.values()]));
      metrics.add('d_loss', value);
      pairs = critics.flatMap((d, i) => gradientPairs(d, grads).map((pair) => ({ ...pair, name: `${i === 0 ? 'b' : 'a'}/${pair.name}`, grad: tf.keep(pair.grad) })));
      batch = { a: tf.keep(a), b: tf.keep(b) };
    });
    const { lr, gradNorm } = await p.optD.apply(pairs, step);
    metrics.addNumber('d_grad_norm', gradNorm);
    metrics.addNumber('lr_d', lr);
  } catch (error) {
    disposeBatch(batch);
    throw error;
  } finally {
    tf.dispose(pairs.map((pair) => pair.grad));
  }
  if (t.clip) tf.tidy(() => clipWeights([...p.dB.trainable.values(), ...(p.dA?.trainable.values() ?? [])], cfg.loss.clipValue));
  return batch as unknown as TranslationBatch;
}
