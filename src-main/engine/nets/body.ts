/** What the two architectures share: the body signatures (how norm choices map to layers is in common/net-plan). */
import type * as tf from '@tensorflow/tfjs';
import type { NetNorm, NetPlan } from '../../common/net-plan';
import type { Stage } from '../../common/progressive';
import type { TrainingConfig } from '../../common/training-config';

export type ModelConfig = TrainingConfig['model'];
export interface GeneratorBodyOptions {
  plan: NetPlan;
  /** Length of the vector the body starts from: z, or z with the class embedding. */
  inDim: number;
  channels: number;
  width: number;
  norm: NetNorm;
  /** DCGAN: a norm layer after the dense projection (with none, the projection gets a bias). */
  projectionNorm: boolean;
  /** Pixel norm after every hidden layer (ProGAN). */
  pixelNorm: boolean;
  /** Every kernel with an equalized learning rate. */
  equalized: boolean;
  /** Progressive growing: the smallest image side it draws, with an output layer per side below the full one; null for a fixed net. */
  progressiveFrom: number | null;
}

/**
 * `classes` is the one-hot [N, K] label matrix when the norms are conditional, else null; `stage`
 * the resolution and fade of a progressive net (null: the full size).
 */
export type GeneratorBody = (z: tf.Tensor2D, classes: tf.Tensor2D | null, training: boolean, stage: Stage | null) => tf.Tensor4D;

export interface DiscriminatorBodyOptions {
  plan: NetPlan;
  channels: number;
  width: number;
  norm: NetNorm;
  /** Append ProGAN's minibatch-stddev map before the last conv. */
  stddev: boolean;
  equalized: boolean;
  /** As in GeneratorBodyOptions: an input layer per image side below the full one. */
  progressiveFrom: number | null;
}

export interface DiscriminatorFeatures {
  /** The last hidden features [N, F] the output layer and the heads read. */
  last: tf.Tensor2D;
  /** Each block's output map from the input on: blocks[k - 1] is block k's (feature matching's layer k). */
  blocks: tf.Tensor4D[];
}

export interface DiscriminatorBody {
  /** F: length of the last feature vector. */
  featureSize: number;
  apply(x: tf.Tensor4D, training: boolean, stage: Stage | null): DiscriminatorFeatures;
}
