/** Batch-level features for D: minibatch standard deviation (Karras et al. 2018, ProGAN) and minibatch discrimination (Salimans et al. 2016). */
import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from './params';

/** Keeps sqrt differentiable where a feature is identical across the batch. */
const STD_EPS = 1e-8;

/**
 * Appends one feature map: the std of every feature and position across the batch, averaged to a
 * scalar and broadcast to [N, H, W, 1]. A collapsed generator makes it small, which D can see.
 * It describes the whole batch, so real and fake images should go through D in separate calls.
 */
export function minibatchStddev(x: tf.Tensor4D): tf.Tensor4D {
  const [n = 0, h = 0, w = 0] = x.shape;
  const { variance } = tf.moments(x, 0);
  const stat = tf.mean(tf.sqrt(tf.add(variance, STD_EPS)));
  return tf.concat([x, tf.mul(tf.ones([n, h, w, 1]), stat)], 3) as tf.Tensor4D;
}

export type MinibatchDiscrimination = (f: tf.Tensor2D) => tf.Tensor2D;

/**
 * Features f [N, A] -> o [N, B] with T [A, B, C] (stored as [A, B·C]): M = f·T viewed as [N, B, C],
 * c_b(i,j) = exp(−‖M_i,b − M_j,b‖₁), o_b(x_i) = Σ_{j≠i} c_b(i,j). The self term (always exp(0) = 1)
 * is left out, so a batch of one gives 0 and o counts how many *other* samples are close.
 */
export function minibatchDiscrimination(store: ParamStore, name: string, inDim: number, kernels: number, kernelDim: number): MinibatchDiscrimination {
  const shape = [inDim, kernels * kernelDim];
  // Salimans et al. initialize T ~ N(0, 0.05²); with that scale distances start in exp's useful range.
  const t = store.addTrainable(`${name}/T`, shape, store.normals(`${name}/T`, shape, 0.05));
  return (f) => {
    const n = f.shape[0];
    const m = tf.reshape(tf.matMul(f, t as tf.Variable<tf.Rank.R2>), [n, kernels, kernelDim]);
    // [N,1,B,C] − [1,N,B,C] -> L1 over C -> [N, N, B].
    const l1 = tf.sum(tf.abs(tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0))), 3);
    return tf.sub(tf.sum(tf.exp(tf.neg(l1)), 1), 1) as tf.Tensor2D;
  };
}
