/** Shared pieces of the D and G steps: D's inputs, D on reals and fakes, the ACGAN cross-entropy, gradients by stable name. */
import * as tf from '@tensorflow/tfjs';
import { applyDiffAugment, type DiffAugmentParams } from '../augment/diff-augment';
import type { Discriminator, DiscriminatorOutput, NetParams } from '../nets';
import { oneHotLabels } from '../nets/conditioning';
import type { GradientPair } from '../optim/net-optimizer';
import type { Rng } from '../../common/rng';
import { addInstanceNoise } from '../stabilizers/instance-noise';

/** What D sees: the DiffAugment transform (when drawn) and then instance noise σ (when > 0). */
export function toDInput(x: tf.Tensor4D, diff: DiffAugmentParams | null, sigma: number, rng: Rng): tf.Tensor4D {
  const augmented = diff === null ? x : applyDiffAugment(x, diff);
  return sigma > 0 ? addInstanceNoise(augmented, sigma, rng) : augmented;
}

function part(out: DiscriminatorOutput, begin: number, size: number): DiscriminatorOutput {
  return {
    logits: tf.slice(out.logits, [begin], [size]),
    features: tf.slice(out.features, [begin, 0], [size, -1]),
    classLogits: out.classLogits === null ? null : tf.slice(out.classLogits, [begin, 0], [size, -1]),
  };
}

/**
 * D on the real and the fake batch in training mode. `separate` (batch norm or minibatch
 * features in D) makes two calls so batch statistics never mix reals and fakes; otherwise one call
 * on the concatenation, which is the same per sample and one pass instead of two.
 */
export function discriminate(
  d: Discriminator,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  realLabels: tf.Tensor1D | null,
  fakeLabels: tf.Tensor1D | null,
  separate: boolean,
): { real: DiscriminatorOutput; fake: DiscriminatorOutput } {
  if (separate) return { real: d.apply(real, realLabels, true), fake: d.apply(fake, fakeLabels, true) };
  const n = real.shape[0];
  const labels = realLabels === null || fakeLabels === null ? null : tf.concat([realLabels, fakeLabels]);
  const both = d.apply(tf.concat([real, fake]), labels, true);
  return { real: part(both, 0, n), fake: part(both, n, fake.shape[0]) };
}

/** Mean softmax cross-entropy of class logits [N, K] against integer labels [N] (ACGAN's log P(C = c | X)). */
export function classCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const k = logits.shape[1];
  return tf.tidy(() => tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(oneHotLabels(labels, k), logits), 1))));
}

export function requireClassLogits(out: DiscriminatorOutput): tf.Tensor2D {
  if (out.classLogits === null) throw new Error('ACGAN loss needs the discriminator’s class logits');
  return out.classLogits;
}

/**
 * variableGrads keys gradients by tfjs's generated variable names and leaves out variables that
 * did not affect the loss: pair each with its stable name, a missing gradient counting as zero.
 */
export function gradientPairs(net: NetParams, grads: tf.NamedTensorMap, usedOnly = false): GradientPair[] {
  // A growing net's layers of other sides are not in this stage's graph: left out, their Adam
  // moments do not move them while they wait (or after they faded out).
  const entries = usedOnly ? [...net.trainable].filter(([, variable]) => grads[variable.name] !== undefined) : [...net.trainable];
  return entries.map(([name, variable]) => ({ name, variable, grad: grads[variable.name] ?? tf.zerosLike(variable) }));
}

/** Terms of a loss, each with its weight: weight 1 adds the term as it is. */
export function weightedSum(terms: readonly [tf.Scalar, number][]): tf.Scalar {
  const scaled = terms.map(([t, w]) => (w === 1 ? t : tf.mul(t, w)));
  return (scaled.length === 1 ? scaled[0] : tf.addN(scaled)) as tf.Scalar;
}

/**
 * Runs `fn` and puts the net's state (batch-norm statistics, spectral-norm u) back afterwards:
 * for D's forward pass with averaged weights, whose statistics belong to no trained D.
 */
export function withStateRestored<T>(net: NetParams, fn: () => T): T {
  const saved = [...net.state.values()].map((v) => [v, tf.clone(v)] as const);
  try {
    return fn();
  } finally {
    for (const [v, value] of saved) v.assign(value);
    tf.dispose(saved.map(([, value]) => value));
  }
}
