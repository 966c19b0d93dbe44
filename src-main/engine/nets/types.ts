/** The contract of the functional Generator and Discriminator: plain functions over named tf.Variables. */
import type * as tf from '@tensorflow/tfjs';
import type { Stage } from '../../common/progressive';

export interface NetParams {
  /** Trainable variables by stable name, e.g. 'block0/conv1/kernel'. Stable across runs: checkpoints and averaging key on it. */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  /** Non-trainable state by stable name: batch-norm moving mean/variance, spectral-norm u vectors. */
  readonly state: ReadonlyMap<string, tf.Variable>;
  dispose(): void;
}

export interface Generator extends NetParams {
  /** A progressive net's resolution and fade, which apply draws at (the session sets it each step); null: the full size. */
  stage: Stage | null;
  /** z [N, latent] (+ integer class labels [N] when conditional) -> images [N, S, S, C] in [-1, 1], S the stage's side. */
  apply(z: tf.Tensor2D, labels: tf.Tensor1D | null, training: boolean): tf.Tensor4D;
}

export interface DiscriminatorOutput {
  /** [N] raw D(x) / critic value. */
  logits: tf.Tensor1D;
  /** [N, F] what feature matching reads: the last hidden features (before the output layer), or the chosen block's output flattened. */
  features: tf.Tensor2D;
  /** [N, K] ACGAN auxiliary classifier, else null. */
  classLogits: tf.Tensor2D | null;
}

export interface Discriminator extends NetParams {
  /** As the Generator's: the side D reads and the fade of its newest block. */
  stage: Stage | null;
  apply(x: tf.Tensor4D, labels: tf.Tensor1D | null, training: boolean): DiscriminatorOutput;
}

export interface NetShape {
  size: number;
  channels: 1 | 3;
  numClasses: number;
  latentSize: number;
  seed: number;
  /** Progressive growing's first image side (the nets get a layer per side from it); null for fixed nets. */
  progressiveFrom?: number | null;
}
