/**
 * The augmentation of a real batch before D, in one place for the D step and the augmentation
 * preview: the classic ops on reals (their own stream), then one DiffAugment draw (its own stream)
 * that D's loss applies to reals and fakes alike.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../common/rng';
import { augmentBatch, describeAugment, type AugmentConfig } from './classic';
import { sampleDiffAugment, type DiffAugmentParams } from './diff-augment';

/** The two seeded streams the augmentation draws from (a session's, or fresh ones with the run's seed for a preview). */
export interface AugmentStreams {
  augment: Rng;
  diffAugment: Rng;
}

export interface AugmentedReals {
  /** The reals after the classic ops (the input itself when none is on). */
  images: tf.Tensor4D;
  /** The DiffAugment draw for this batch, to apply to reals and fakes; null without policies. */
  diff: DiffAugmentParams | null;
}

/** Whether any classic op (not DiffAugment, not ADA) can change an image. */
export function hasClassicAugment(augment: AugmentConfig): boolean {
  return describeAugment(augment).some((op) => !op.startsWith('diffAugment.') && op !== 'ada');
}

/** `diffP` is the probability of each DiffAugment policy: ADA's current p in training, the user's choice in a preview. */
export function augmentReals(raw: tf.Tensor4D, augment: AugmentConfig, diffP: number, streams: AugmentStreams): AugmentedReals {
  const [n, size] = raw.shape;
  const images = hasClassicAugment(augment) ? augmentBatch(raw, augment, streams.augment) : raw;
  const diff = augment.diffAugment.length > 0 ? sampleDiffAugment(augment.diffAugment, diffP, n, size, streams.diffAugment) : null;
  return { images, diff };
}
