/** Reconstruction terms of image-to-image translation: pix2pix's L1 to the target, CycleGAN's cycle and identity L1s. */
import * as tf from '@tensorflow/tfjs';

/** Mean absolute difference over every value of two image batches of one shape (pixel units of [-1, 1]). */
export function l1Distance(a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar {
  if (a.shape.join() !== b.shape.join()) throw new Error(`L1 needs images of one shape, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar);
}
