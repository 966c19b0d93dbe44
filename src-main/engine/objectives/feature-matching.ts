/** Feature matching (Salimans et al. 2016, §3.1): G matches the batch mean of an intermediate D layer's features. */
import * as tf from '@tensorflow/tfjs';

/**
 * ‖E f(x) − E f(G(z))‖₂², the squared L2 norm as TECHNIQUES.md writes it: a SUM over the feature
 * dimensions of the squared difference of the two batch means (not a mean over them), so its scale
 * grows with the layer's width; the config's weight absorbs that.
 * Both are [N, F] (flatten conv features first); the batch sizes may differ, F may not.
 * Call inside G's variableGrads: only G's variables are updated, so the real side acts as a constant.
 */
export function featureMatchingLoss(realFeatures: tf.Tensor2D, fakeFeatures: tf.Tensor2D): tf.Scalar {
  if (realFeatures.rank !== 2 || fakeFeatures.rank !== 2 || realFeatures.shape[1] !== fakeFeatures.shape[1]) {
    throw new Error(`feature matching needs [N, F] features of equal F, got [${realFeatures.shape.join(',')}] and [${fakeFeatures.shape.join(',')}]`);
  }
  return tf.tidy(() => tf.sum(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0))))) as tf.Scalar;
}
