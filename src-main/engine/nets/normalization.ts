/** Batch (Ioffe & Szegedy 2015), layer (Ba et al. 2016) and instance (Ulyanov et al. 2016) norm, and their class-conditional form (de Vries et al. 2017). */
import * as tf from '@tensorflow/tfjs';
import type { NormKind } from '../../common/net-plan';
import { filled, type ParamStore } from './params';

export type { NormKind };

/** `classes` is the one-hot label matrix [N, K] for conditional norms, else null. */
export type Norm = (x: tf.Tensor4D, classes: tf.Tensor2D | null, training: boolean) => tf.Tensor4D;

export const NORM_EPS = 1e-5;
/** Fast enough that inference-mode samples track the batch statistics within ~10 steps (as dcgan.ts). */
export const BN_MOMENTUM = 0.9;

/** Axes the statistics are taken over, NHWC: batch over N,H,W; layer per sample; instance per sample and channel. */
const STAT_AXES: Record<Exclude<NormKind, 'none'>, number[]> = { batch: [0, 1, 2], layer: [1, 2, 3], instance: [1, 2] };

export interface NormOptions {
  kind: NormKind;
  channels: number;
  /** ≥ 2: γ and β are per-class rows [K, C] picked by the label (conditional norm); 0: plain [C]. */
  numClasses: number;
  /** γ starts at N(1, gammaStd²): DCGAN's 0.02; 0 gives exactly 1. */
  gammaStd: number;
}

/**
 * Plain ops (no fused batchNorm kernel): tfjs's FusedBatchNorm gradient cannot itself be
 * differentiated, and the gradient penalties need second derivatives. Batch norm normalizes with
 * batch statistics and updates the moving averages while training, and uses the averages otherwise.
 */
export function norm(store: ParamStore, name: string, opts: NormOptions): Norm {
  const { kind, channels: c, numClasses: k } = opts;
  if (kind === 'none') return (x) => x;
  const rows = k >= 2 ? k : 1;
  const gammaInit = opts.gammaStd > 0 ? store.normals(`${name}/gamma`, [rows * c], opts.gammaStd, 1) : filled(rows * c, 1);
  const gammaShape = k >= 2 ? [k, c] : [c];
  const gamma = store.addTrainable(`${name}/gamma`, gammaShape, gammaInit);
  const beta = store.addTrainable(`${name}/beta`, gammaShape, filled(rows * c, 0));
  const moving =
    kind === 'batch'
      ? { mean: store.addState(`${name}/movingMean`, [c], filled(c, 0)), variance: store.addState(`${name}/movingVariance`, [c], filled(c, 1)) }
      : null;
  const axes = STAT_AXES[kind];

  return (x, classes, training) => {
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (moving !== null && !training) {
      mean = moving.mean;
      variance = moving.variance;
    } else {
      ({ mean, variance } = tf.moments(x, axes, kind !== 'batch'));
      if (moving !== null) {
        moving.mean.assign(tf.add(tf.mul(moving.mean, BN_MOMENTUM), tf.mul(mean, 1 - BN_MOMENTUM)));
        moving.variance.assign(tf.add(tf.mul(moving.variance, BN_MOMENTUM), tf.mul(variance, 1 - BN_MOMENTUM)));
      }
    }
    const inv = tf.rsqrt(tf.add(variance, NORM_EPS));
    if (k < 2) return tf.add(tf.mul(tf.sub(x, mean), tf.mul(inv, gamma)), beta) as tf.Tensor4D;
    if (classes === null) throw new Error(`${name}: conditional norm needs class labels`);
    const n = x.shape[0];
    // Per-sample γ_y, β_y [N,1,1,C]: a one-hot matmul rather than a gather, whose gradient
    // (UnsortedSegmentSum) the wasm backend lacks.
    const gammaY = tf.reshape(tf.matMul(classes, gamma as tf.Tensor2D), [n, 1, 1, c]);
    const betaY = tf.reshape(tf.matMul(classes, beta as tf.Tensor2D), [n, 1, 1, c]);
    return tf.add(tf.mul(tf.sub(x, mean), tf.mul(inv, gammaY)), betaY) as tf.Tensor4D;
  };
}
