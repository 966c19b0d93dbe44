/** ×2 resampling of feature maps and images: nearest-neighbour up (SNGAN's G, ProGAN's skip path) and average-pooled down. */
import * as tf from '@tensorflow/tfjs';

/**
 * Nearest-neighbour ×2, as SNGAN's G upsamples. Its gradient is the sum over each 2×2 block,
 * 4·avgPool(dy): given explicitly because the cpu backend's ResizeNearestNeighborGrad (tfjs 4.22)
 * is wrong for batches larger than one, and copying with stack instead is ~20× slower on wasm.
 */
const upsampleWithGrad = tf.customGrad<tf.Tensor4D>((...inputs) => {
  const x = inputs[0] as tf.Tensor4D;
  const [, h = 0, w = 0] = x.shape;
  return {
    value: tf.image.resizeNearestNeighbor(x, [h * 2, w * 2]),
    gradFunc: (dy: tf.Tensor4D) => tf.mul(tf.avgPool(dy, 2, 2, 'valid'), 4),
  };
});

export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return upsampleWithGrad(x);
}

export function downsample2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 2, 2, 'valid');
}
