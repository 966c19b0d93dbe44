/** One update of a translation run's translators on the batch the critics just saw: pix2pix's adversarial + λ·L1 (+ λ_p·perceptual), or CycleGAN's two adversarial terms + cycle consistency + identity; then the optimizer and the EMAs. */
import * as tf from '@tensorflow/tfjs';
import { sampleDiffAugment } from '../augment/diff-augment';
import { generatorLoss } from '../objectives/adversarial';
import { perceptualLoss } from '../objectives/perceptual';
import { l1Distance } from '../objectives/reconstruction';
import type { GradientPair } from '../optim/net-optimizer';
import { instanceNoiseStd } from '../stabilizers/instance-noise';
import { gradientPairs, weightedSum } from '../session/forward';
import type { StepMetrics } from '../session/metrics';
import { criticInput, type TranslationBatch } from './critic-step';
import type { TranslationParts } from './translation-parts';

/** `step` counts translator updates done before this one. */
export async function translatorStep(p: TranslationParts, step: number, metrics: StepMetrics, batch: TranslationBatch): Promise<void> {
  const { config: cfg, t } = p;
  const n = batch.a.shape[0];
  const size = batch.a.shape[1];
  const sigma = instanceNoiseStd(cfg.stabilizers.instanceNoise, step);
  const task = cfg.task;
  const translators = [p.gAB, ...(p.gBA === null ? [] : [p.gBA])];
  let pairs: GradientPair[] = [];
  tf.tidy(() => {
    const diff = t.diffAugment.length > 0 ? sampleDiffAugment(t.diffAugment, 1, n, size, p.rng.diffAugment) : null;
    const { value, grads } = tf.variableGrads(() => {
      const fakeB = p.gAB.apply(batch.a, true);
      const condition = p.paired ? batch.a : null;
      const advB = generatorLoss(cfg.loss.type, p.dB.apply(criticInput(condition, fakeB, diff, sigma, p.rng.instanceNoise), true).logits);
      if (p.gBA === null || p.dA === null) {
        // pix2pix: the output must fool D and stay near the target (L1 keeps the low frequencies, D the sharp ones).
        metrics.add('g_loss_adv', advB);
        const l1 = l1Distance(fakeB, batch.b);
        metrics.add('g_l1', l1);
        const terms: [tf.Scalar, number][] = [
          [advB, 1],
          [l1, task.l1Weight],
        ];
        if (p.perceptual !== null) {
          // The classifier's features of the output against the target's: G's loss only, and the classifier is
          // not in this tape's variable list, so it gets no gradient and is never trained.
          const perceptual = perceptualLoss(p.perceptual, fakeB, batch.b);
          metrics.add('perceptual', perceptual);
          terms.push([perceptual, task.perceptualWeight]);
        }
        return weightedSum(terms);
      }
      const fakeA = p.gBA.apply(batch.b, true);
      const advA = generatorLoss(cfg.loss.type, p.dA.apply(criticInput(null, fakeA, diff, sigma, p.rng.instanceNoise), true).logits);
      const adv = tf.add(advA, advB) as tf.Scalar;
      metrics.add('g_loss_adv', adv);
      // CycleGAN: A → B → A and B → A → B must come back to where they started.
      const cycle = tf.add(l1Distance(p.gBA.apply(fakeB, true), batch.a), l1Distance(p.gAB.apply(fakeA, true), batch.b)) as tf.Scalar;
      metrics.add('cycle', cycle);
      const terms: [tf.Scalar, number][] = [
        [adv, 1],
        [cycle, task.cycleWeight],
      ];
      const identityWeight = task.identityWeight * task.cycleWeight;
      if (identityWeight > 0) {
        // A translator given an image of its own target domain should leave it alone (keeps colours).
        const identity = tf.add(l1Distance(p.gAB.apply(batch.b, true), batch.b), l1Distance(p.gBA.apply(batch.a, true), batch.a)) as tf.Scalar;
        metrics.add('identity', identity);
        terms.push([identity, identityWeight]);
      }
      return weightedSum(terms);
    }, translators.flatMap((g) => [...g.trainable.values()]));
    metrics.add('g_loss', value);
    pairs = translators.flatMap((g, i) => gradientPairs(g, grads).map((pair) => ({ ...pair, name: `${i === 0 ? 'ab' : 'ba'}/${pair.name}`, grad: tf.keep(pair.grad) })));
  });
  try {
    const { lr, gradNorm } = await p.optG.apply(pairs, step);
    metrics.addNumber('g_grad_norm', gradNorm);
    metrics.addNumber('lr_g', lr);
  } finally {
    tf.dispose(pairs.map((pair) => pair.grad));
  }
  p.emaAB?.update(step + 1);
  p.emaBA?.update(step + 1);
}
