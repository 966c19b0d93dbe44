/** Pixel norm (Karras et al. 2018): each pixel's feature vector scaled to unit mean square, so no signal in G can grow without bound. */
import * as tf from '@tensorflow/tfjs';

export const PIXEL_NORM_EPS = 1e-8;

/** x / √(mean over channels of x² + ε), NHWC. */
export function pixelNorm(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), 3, true), PIXEL_NORM_EPS))));
}
