/** What the two architectures share: how a config's norm choice maps to layers, and the body signatures. */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../common/training-config';
import type { NormKind } from './normalization';
import type { NetPlan } from './plan';

export type ModelConfig = TrainingConfig['model'];
type NormChoice = ModelConfig['gNorm'];

/** How one network normalizes: statistics-based norm layers, and/or spectral norm on every weight. */
export interface NetNorm {
  kind: NormKind;
  spectral: boolean;
  /** ≥ 2 when the norm layers are class-conditional (G's cbn), else 0. */
  numClasses: number;
}

/**
 * Spectral norm replaces norm layers. Conditional BN (cbn) needs normalized activations to modulate,
 * so with none or spectral it brings batch statistics, as BigGAN pairs spectral norm with
 * conditional BN; with layer or instance norm the per-class γ/β modulate those instead.
 */
export function resolveNorm(choice: NormChoice, conditionalClasses: number): NetNorm {
  const spectral = choice === 'spectral';
  const base: NormKind = choice === 'spectral' ? 'none' : choice;
  const kind: NormKind = conditionalClasses >= 2 && base === 'none' ? 'batch' : base;
  return { kind, spectral, numClasses: conditionalClasses >= 2 ? conditionalClasses : 0 };
}

/** Batch and instance norm subtract a per-channel mean, so a bias right before them is dead weight. */
export function biasBefore(kind: NormKind): boolean {
  return kind !== 'batch' && kind !== 'instance';
}

export interface GeneratorBodyOptions {
  plan: NetPlan;
  /** Length of the vector the body starts from: z, or z with the class embedding. */
  inDim: number;
  channels: number;
  width: number;
  norm: NetNorm;
  /** DCGAN: a norm layer after the dense projection (with none, the projection gets a bias). */
  projectionNorm: boolean;
}

/** `classes` is the one-hot [N, K] label matrix when the norms are conditional, else null. */
export type GeneratorBody = (z: tf.Tensor2D, classes: tf.Tensor2D | null, training: boolean) => tf.Tensor4D;

export interface DiscriminatorBodyOptions {
  plan: NetPlan;
  channels: number;
  width: number;
  norm: NetNorm;
  /** Append ProGAN's minibatch-stddev map before the last conv. */
  stddev: boolean;
}

export interface DiscriminatorBody {
  /** F: length of the feature vector apply returns. */
  featureSize: number;
  /** Images -> last hidden features [N, F]. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
}
