/** One generator update: fresh z (and labels) → G → DiffAugment, instance noise → D (optionally with averaged weights) → G loss with every configured term → optimizer → averages and EMA. */
import * as tf from '@tensorflow/tfjs';
import { sampleDiffAugment } from '../augment/diff-augment';
import type { DiscriminatorOutput } from '../nets';
import { labelTensor } from '../nets/conditioning';
import { generatorLoss } from '../objectives/adversarial';
import { featureMatchingLoss } from '../objectives/feature-matching';
import { instanceNoiseStd } from '../stabilizers/instance-noise';
import type { RealForG } from './d-step';
import { classCrossEntropy, gradientPairs, requireClassLogits, toDInput, weightedSum, withStateRestored } from './forward';
import { imagesBefore } from '../../common/progressive';
import { phaseSettings } from './growth';
import type { GradientPair } from '../optim/net-optimizer';
import type { StepMetrics } from './metrics';
import type { SessionParts } from './parts';
import { uniformLabels } from './streams';

/**
 * `real` is the last critic step's real batch (feature matching only): it gets this step's
 * DiffAugment draw and noise like the fakes, and D's features of it are the target E f(x).
 * `step` counts generator updates done before this one. Async like the D step (the gradient norm's read-back).
 */
export async function generatorStep(p: SessionParts, step: number, metrics: StepMetrics, real: RealForG | null): Promise<void> {
  const { config: cfg, t } = p;
  const phase = phaseSettings(p, step);
  const n = phase.batchSize;
  const z = p.rng.noise.normals(n * cfg.latentSize);
  const fakeLabels = t.conditional ? uniformLabels(p.rng.labels, n, p.numClasses) : null;
  const sigma = instanceNoiseStd(cfg.stabilizers.instanceNoise, step);
  const fm = cfg.stabilizers.featureMatching;

  let pairs: GradientPair[] = [];
  tf.tidy(() => {
    const zT = tf.tensor2d(z, [n, cfg.latentSize]);
    const yFake = fakeLabels === null ? null : labelTensor(fakeLabels, p.numClasses);
    const diff = t.diffAugment.length > 0 ? sampleDiffAugment(t.diffAugment, p.ada.p, n, p.g.stage?.size ?? p.data.size, p.rng.diffAugment) : null;
    const realIn = t.fm && real !== null ? toDInput(real.images, diff, sigma, p.rng.instanceNoise) : null;

    const { value, grads } = tf.variableGrads(() => {
      const fake = p.g.apply(zT, t.condG ? yFake : null, true);
      const fakeIn = toDInput(fake, diff, sigma, p.rng.instanceNoise);
      const runD = (): { fake: DiscriminatorOutput; real: DiscriminatorOutput | null } => ({
        fake: p.d.apply(fakeIn, t.condD ? yFake : null, true),
        real: realIn === null ? null : p.d.apply(realIn, t.condD ? (real?.labels ?? null) : null, true),
      });
      // The article's historical averaging: G's gradient comes through D with θ̄_D; the
      // statistics that pass updates are put back, they belong to no trained D.
      const averaged = t.averagedDForG ? p.averageD : null;
      const out = averaged === null ? runD() : averaged.withAveraged(() => withStateRestored(p.d, runD));
      const adv = generatorLoss(cfg.loss.type, out.fake.logits);
      metrics.add('g_loss_adv', adv);
      const terms: [tf.Scalar, number][] = [[adv, t.fm ? fm.adversarialWeight : 1]];
      if (out.real !== null) {
        // `features` are the layer stabilizers.featureMatching.layer picks (createParts builds D with it).
        const matched = featureMatchingLoss(out.real.features, out.fake.features);
        metrics.add('fm', matched);
        terms.push([matched, fm.weight]);
      }
      if (t.acgan && yFake !== null) {
        const ce = classCrossEntropy(requireClassLogits(out.fake), yFake);
        metrics.add('g_acgan', ce);
        terms.push([ce, cfg.model.acganWeight]);
      }
      if (t.haG && p.averageG !== null) {
        const ha = p.averageG.penalty();
        metrics.add('ha_g', ha);
        terms.push([ha, cfg.stabilizers.historicalAveraging.gWeight]);
      }
      return weightedSum(terms);
    }, [...p.g.trainable.values()]);
    metrics.add('g_loss', value);
    // Kept past the tidy: the optimizer reads their norm back asynchronously.
    pairs = gradientPairs(p.g, grads, p.phases !== null).map((pair) => ({ ...pair, grad: tf.keep(pair.grad) }));
  });
  try {
    const { lr, gradNorm } = await p.optG.apply(pairs, step, phase.lrG);
    metrics.addNumber('g_grad_norm', gradNorm);
    metrics.addNumber('lr_g', lr);
  } finally {
    tf.dispose(pairs.map((pair) => pair.grad));
  }

  p.averageG?.update();
  // The EMA's step is the number of this update (1-based): it copies up to startStep, then averages
  // with β from the step · batchSize images G had seen before it.
  p.ema?.update(step + 1, p.phases === null ? undefined : { seen: imagesBefore(p.phases, step), batch: n });
}
