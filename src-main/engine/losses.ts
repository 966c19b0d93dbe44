/** Non-saturating GAN losses on raw logits, in the numerically stable sigmoid-cross-entropy form. */
import * as tf from '@tensorflow/tfjs';

/** Mean of max(x,0) - x*z + log(1 + exp(-|x|)): BCE(sigmoid(x), z) without overflow for large |x|. */
export function sigmoidCrossEntropy(logits: tf.Tensor, label: 0 | 1): tf.Scalar {
  return tf.tidy(() => {
    const positive = tf.relu(logits);
    const softTerm = tf.log1p(tf.exp(tf.neg(tf.abs(logits))));
    const perItem = label === 1 ? tf.add(tf.sub(positive, logits), softTerm) : tf.add(positive, softTerm);
    return tf.mean(perItem);
  });
}

/** Discriminator: real images labelled 1, generated ones 0; the two means are added. */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(sigmoidCrossEntropy(realLogits, 1), sigmoidCrossEntropy(fakeLogits, 0)));
}

/** Generator (non-saturating): maximise log D(G(z)) rather than minimise log(1 - D(G(z))). */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return sigmoidCrossEntropy(fakeLogits, 1);
}
