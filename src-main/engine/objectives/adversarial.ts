/** Adversarial losses on raw logits: minimax and non-saturating (Goodfellow et al. 2014), WGAN (Arjovsky et al. 2017), hinge (Lim & Ye 2017; Miyato et al. 2018), LSGAN (Mao et al. 2017). */
import * as tf from '@tensorflow/tfjs';
import { labelSmoothingLosses, LOSS_FAMILIES, type LossType } from '../../common/loss-families';

/** A BCE target: one value for the whole batch, or one per sample ([N], as two-sided label smoothing draws). */
export type LabelTarget = tf.Tensor1D | number;
export interface LabelTargets {
  real: LabelTarget;
  fake: LabelTarget;
}

function unknownLoss(type: never): never {
  throw new Error(`unknown loss type ${String(type)}`);
}

/** Rank 1 is enforced at run time: a [N,1] logit against an [N] target would silently broadcast to [N,N]. */
function assertLogits(what: string, t: tf.Tensor): void {
  if (t.rank !== 1) throw new Error(`${what} must be rank 1 [N], got shape [${t.shape.join(',')}]; reshape the critic output first`);
}

function assertTarget(what: string, target: LabelTarget, logits: tf.Tensor1D): void {
  if (typeof target === 'number') {
    if (!(target >= 0 && target <= 1)) throw new Error(`${what} target must be in [0, 1], got ${target}`);
    return;
  }
  if (target.rank !== 1 || target.shape[0] !== logits.shape[0]) {
    throw new Error(`${what} targets have shape [${target.shape.join(',')}], logits [${logits.shape.join(',')}]`);
  }
}

/** log(1 + e^x) written as max(x, 0) + log1p(e^−|x|), so e^x never overflows for large logits. */
export function stableSoftplus(x: tf.Tensor): tf.Tensor {
  return tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}

/**
 * Mean binary cross-entropy between σ(x) and target z, on logits.
 * With log σ(x) = −softplus(−x), log(1 − σ(x)) = −softplus(x) and softplus(−x) = softplus(x) − x:
 *   −z·log σ(x) − (1 − z)·log(1 − σ(x)) = softplus(x) − z·x,
 * exact for soft targets too, and finite for any logit.
 */
export function bceWithLogits(logits: tf.Tensor1D, target: LabelTarget): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(stableSoftplus(logits), tf.mul(logits, target))));
}

function isHardTargets(t: LabelTargets): boolean {
  return t.real === 1 && t.fake === 0;
}

/**
 * The discriminator's (critic's) loss, to minimise. Every term is a batch mean.
 * - minimax, non-saturating: BCE(D(x), t_real) + BCE(D(G(z)), t_fake); t defaults to 1 and 0.
 * - wgan, wgan-gp: E[D(G(z))] − E[D(x)] (the gradient penalty is separate: penalties.ts).
 * - hinge: E[relu(1 − D(x))] + E[relu(1 + D(G(z)))].
 * - lsgan (a = 0, b = 1): ½E[(D(x) − 1)²] + ½E[D(G(z))²].
 * `targets` (label smoothing) exist only for the BCE losses; other losses accept only the hard 1/0.
 */
export function discriminatorLoss(type: LossType, realLogits: tf.Tensor1D, fakeLogits: tf.Tensor1D, targets?: LabelTargets): tf.Scalar {
  assertLogits('real logits', realLogits);
  assertLogits('fake logits', fakeLogits);
  if (targets !== undefined) {
    if (!LOSS_FAMILIES[type].labelSmoothing && !isHardTargets(targets)) throw new Error(`label smoothing needs a BCE loss (${labelSmoothingLosses()}), not ${type}`);
    assertTarget('real', targets.real, realLogits);
    assertTarget('fake', targets.fake, fakeLogits);
  }
  return tf.tidy(() => {
    switch (type) {
      case 'minimax':
      case 'non-saturating':
        return tf.add(bceWithLogits(realLogits, targets?.real ?? 1), bceWithLogits(fakeLogits, targets?.fake ?? 0));
      case 'wgan':
      case 'wgan-gp':
        return tf.sub(tf.mean(fakeLogits), tf.mean(realLogits));
      case 'hinge':
        return tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits))));
      case 'lsgan':
        return tf.add(tf.mul(0.5, tf.mean(tf.square(tf.sub(realLogits, 1)))), tf.mul(0.5, tf.mean(tf.square(fakeLogits))));
      default:
        return unknownLoss(type);
    }
  });
}

/**
 * The generator's loss, to minimise.
 * - minimax (saturating, the original game): E[log(1 − σ(D(G(z))))] = −E[softplus(D(G(z)))],
 *   i.e. −BCE(D(G(z)), 0). Its gradient vanishes when D confidently rejects fakes; kept for study.
 * - non-saturating: BCE(D(G(z)), 1) = E[softplus(−D(G(z)))], i.e. maximise log D(G(z)).
 * - wgan, wgan-gp, hinge: −E[D(G(z))] (hinge's G side is the Wasserstein one, Miyato et al. 2018).
 * - lsgan (c = 1): ½E[(D(G(z)) − 1)²].
 */
export function generatorLoss(type: LossType, fakeLogits: tf.Tensor1D): tf.Scalar {
  assertLogits('fake logits', fakeLogits);
  return tf.tidy(() => {
    switch (type) {
      case 'minimax':
        return tf.neg(tf.mean(stableSoftplus(fakeLogits)));
      case 'non-saturating':
        return bceWithLogits(fakeLogits, 1);
      case 'wgan':
      case 'wgan-gp':
      case 'hinge':
        return tf.neg(tf.mean(fakeLogits));
      case 'lsgan':
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeLogits, 1))));
      default:
        return unknownLoss(type);
    }
  }) as tf.Scalar;
}
