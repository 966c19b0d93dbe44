/** One discriminator (critic) update: real batch → classic augmentation → DiffAugment → instance noise → D loss with every configured term → optimizer → clipping, ADA, averaging. */
import * as tf from '@tensorflow/tfjs';
import { augmentReals } from '../augment/real-batch';
import { sampleRealBatch } from '../batch-sampler';
import { labelTensor } from '../nets/conditioning';
import { discriminatorLoss } from '../objectives/adversarial';
import { labelTargets } from '../objectives/label-smoothing';
import { clipWeights, gradientPenalty, r1Penalty, type Critic } from '../objectives/penalties';
import { instanceNoiseStd } from '../stabilizers/instance-noise';
import { classCrossEntropy, discriminate, gradientPairs, requireClassLogits, toDInput, weightedSum, withStateRestored } from './forward';
import { phaseSettings, realsAtStage } from './growth';
import type { GradientPair } from '../optim/net-optimizer';
import type { StepMetrics } from './metrics';
import type { SessionParts } from './parts';
import { uniformLabels, uniforms } from './streams';

/** The real batch of the last critic step, kept for feature matching in the G step (caller disposes). */
export interface RealForG {
  /** After classic augmentation, before DiffAugment and noise. */
  images: tf.Tensor4D;
  labels: tf.Tensor1D | null;
}

export function disposeReal(real: RealForG | null): void {
  if (real === null) return;
  real.images.dispose();
  real.labels?.dispose();
}

export interface DStepResult {
  /** D's logits on this step's reals, for ADA's r_t. */
  realLogits: Float32Array | null;
  real: RealForG | null;
}

/**
 * `step` counts generator updates done so far: it drives the learning-rate schedule and the
 * instance-noise annealing. Every random draw comes from its own stream in a fixed order.
 * Async because the optimizer reads the gradient norm back, which a GPU backend does only asynchronously.
 */
export async function discriminatorStep(p: SessionParts, step: number, metrics: StepMetrics, keepReal: boolean): Promise<DStepResult> {
  const { config: cfg, t, data } = p;
  const phase = phaseSettings(p, step);
  const n = phase.batchSize;
  const batch = sampleRealBatch(data, n, p.rng.batches, p.pool);
  const z = p.rng.noise.normals(n * cfg.latentSize);
  const fakeLabels = t.conditional ? uniformLabels(p.rng.labels, n, p.numClasses) : null;
  const sigma = instanceNoiseStd(cfg.stabilizers.instanceNoise, step);
  let realLogits: tf.Tensor1D | null = null;
  let real: RealForG | null = null;

  let pairs: GradientPair[] = [];
  tf.tidy(() => {
    // A growing run's reals are brought to the stage's side (and fade) before any augmentation.
    const raw = realsAtStage(tf.tensor4d(batch.pixels, [n, data.size, data.size, data.channels]), p.d.stage);
    const { images, diff } = augmentReals(raw, cfg.augment, p.ada.p, p.rng);
    const yReal = batch.labels === null ? null : labelTensor(batch.labels, p.numClasses);
    const yFake = fakeLabels === null ? null : labelTensor(fakeLabels, p.numClasses);
    const dReal = t.condD ? yReal : null;
    const dFake = t.condD ? yFake : null;
    // Outside D's tape: the D step does not reach into G.
    const fake = p.g.apply(tf.tensor2d(z, [n, cfg.latentSize]), t.condG ? yFake : null, true);
    const realIn = toDInput(images, diff, sigma, p.rng.instanceNoise);
    const fakeIn = toDInput(fake, diff, sigma, p.rng.instanceNoise);
    const targets = t.bce ? labelTargets(cfg.stabilizers.labelSmoothing, n, p.rng.smoothing) : undefined;
    const epsilon = t.gp ? tf.tensor4d(uniforms(p.rng.gpEpsilon, n), [n, 1, 1, 1]) : null;
    // Penalties differentiate D's input; a conditional critic sees the real labels (also on interpolates).
    // Their extra passes leave D's state (spectral norm's u) as the main pass left it.
    const critic: Critic = (x) => p.d.apply(x, dReal, true).logits;

    const { value, grads } = tf.variableGrads(() => {
      const out = discriminate(p.d, realIn, fakeIn, dReal, dFake, t.separateD);
      const adv = discriminatorLoss(cfg.loss.type, out.real.logits, out.fake.logits, targets);
      metrics.add('d_loss_adv', adv);
      metrics.add('d_real', tf.mean(out.real.logits));
      metrics.add('d_fake', tf.mean(out.fake.logits));
      if (t.ada) realLogits = tf.keep(out.real.logits);
      const terms: [tf.Scalar, number][] = [[adv, 1]];
      if (epsilon !== null) {
        const gp = withStateRestored(p.d, () => gradientPenalty(critic, realIn, fakeIn, epsilon));
        metrics.add('gp', gp);
        terms.push([gp, cfg.loss.gpWeight]);
      }
      if (t.r1) {
        const r1 = withStateRestored(p.d, () => r1Penalty(critic, realIn));
        metrics.add('r1', r1);
        terms.push([r1, cfg.loss.r1Gamma / 2]);
      }
      if (t.acgan && yReal !== null && yFake !== null) {
        // ACGAN: D maximizes log P(c | real) + log P(c | fake), i.e. minimizes both cross-entropies.
        const ce = tf.add(classCrossEntropy(requireClassLogits(out.real), yReal), classCrossEntropy(requireClassLogits(out.fake), yFake)) as tf.Scalar;
        metrics.add('d_acgan', ce);
        terms.push([ce, cfg.model.acganWeight]);
      }
      if (t.haD && p.averageD !== null) {
        const ha = p.averageD.penalty();
        metrics.add('ha_d', ha);
        terms.push([ha, cfg.stabilizers.historicalAveraging.dWeight]);
      }
      return weightedSum(terms);
    }, [...p.d.trainable.values()]);
    metrics.add('d_loss', value);
    if (keepReal) real = { images: tf.keep(images), labels: yReal === null ? null : tf.keep(yReal) };
    // Kept past the tidy: the optimizer reads their norm back asynchronously.
    pairs = gradientPairs(p.d, grads, p.phases !== null).map((pair) => ({ ...pair, grad: tf.keep(pair.grad) }));
  });

  try {
    const { lr, gradNorm } = await p.optD.apply(pairs, step, phase.lrD);
    metrics.addNumber('d_grad_norm', gradNorm);
    metrics.addNumber('lr_d', lr);
  } finally {
    tf.dispose(pairs.map((pair) => pair.grad));
  }
  if (t.clip) tf.tidy(() => clipWeights(p.d.trainable.values(), cfg.loss.clipValue));
  p.averageD?.update();
  let logits: Float32Array | null = null;
  if (realLogits !== null) {
    const kept = realLogits as tf.Tensor1D;
    try {
      logits = Float32Array.from(await kept.data());
    } finally {
      kept.dispose();
    }
    p.ada.observe(logits);
  }
  return { realLogits: logits, real };
}
