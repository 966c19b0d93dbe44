/** A pretrained network that turns images into feature rows for the distribution measures (FD, KID); each ships with the app, none is fetched. */
import type * as tf from '@tensorflow/tfjs';

/**
 * What a value measured on a network's features depends on, stored with every such value: two
 * values are comparable only when all four match.
 */
export interface FeatureProvenance {
  /** FeatureNet.id. */
  network: string;
  /** FeatureNet.preprocessing. */
  preprocessing: string;
  /** Images embedded per side. */
  n: number;
  /** The TensorFlow.js backend that ran the network (tf.getBackend()). */
  backend: string;
}

export interface FeatureNet {
  /** Stable and descriptive: names the weights and the layer read, e.g. 'nsfwjs-mobilenet_v2_mid-1792'. */
  readonly id: string;
  /** For labels: what the numbers are features of, e.g. 'nsfwjs MobileNetV2 (1792-d)'. */
  readonly displayName: string;
  /** What measures on it are named after: `FD (${measureTag})`, e.g. 'nsfwjs MobileNetV2, 1792-d'. */
  readonly measureTag: string;
  /** Length of one feature row. */
  readonly dims: number;
  /** How images are brought to the network's input, in words (part of the provenance). */
  readonly preprocessing: string;
  /**
   * Feature rows of a batch of images: NHWC, values in [-1, 1] (the generator's range), 1 or 3
   * channels, any square or rectangular size. Returns N × dims float32 values, row after row.
   * The caller keeps and disposes `images`; nothing else outlives the call.
   */
  embed(images: tf.Tensor4D): Promise<Float32Array>;
  /** Frees the network's weights; embed fails afterwards. */
  dispose(): void;
}
