/** Shared fixtures of the translation tests: MNIST as domain A, its colour-inverted digits as an unpaired domain B, tiny translation configs. */
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import type { TrainingData } from '../../../../src-main/engine/batch-sampler';
import { buildDomainClassifier } from '../../../../src-main/engine/evaluators/feature-nets/domain-classifier';
import type { FrozenClassifier } from '../../../../src-main/engine/objectives/perceptual';
import { firstImages } from '../../../../src-main/engine/run-session';
import { TranslationSession, type TranslationData } from '../../../../src-main/engine/translate/translation-session';
import { mnistData, tinyConfig } from '../session/helpers';

/** The MNIST digits with black and white swapped: a second domain of the same shapes, with no pairs used. */
export function invertedDigits(): TrainingData {
  const a = mnistData();
  return { ...a, images: a.images.map((v) => 255 - v) };
}

/** A seeded, untrained in-domain classifier of the digits as plain weights: the perceptual loss's wiring does not depend on what it learned. */
export function frozenClassifier(channels: 1 | 3 = 1, seed = 4): FrozenClassifier {
  const shape = { size: 28, channels, classes: 10 };
  const model = buildDomainClassifier(shape, seed);
  try {
    return { shape, weights: model.getWeights().map((w) => ({ shape: w.shape, values: Float32Array.from(w.dataSync()) })) };
  } finally {
    model.dispose();
  }
}

/** Paired on the fly: the digits; stored pairs and unpaired: digits → inverted digits (for pairs, image i's target is its own inversion). Validation on the first images (the fixture has no held-out split). With task.perceptualWeight > 0, a seeded classifier of the digits. */
export function translationData(config: TrainingConfig): TranslationData {
  const a = mnistData();
  if (config.task.kind === 'paired' && config.task.perceptualWeight > 0) return { ...translationData({ ...config, task: { ...config.task, perceptualWeight: 0 } }), perceptual: frozenClassifier() };
  if (config.task.kind === 'paired' && config.task.source !== 'pairs') return { a, b: null, validationA: firstImages(a, 16), validationB: null, heldOut: false };
  const b = invertedDigits();
  return { a, b, validationA: firstImages(a, 16), validationB: firstImages(b, 16), heldOut: false };
}

export function pairedConfig(task: Record<string, unknown> = {}, config: Record<string, unknown> = {}): TrainingConfig {
  return tinyConfig({ evaluation: { everyCheckpoints: 0 }, ...config, task: { kind: 'paired', ...task } });
}

export function unpairedConfig(task: Record<string, unknown> = {}, config: Record<string, unknown> = {}): TrainingConfig {
  return tinyConfig({ evaluation: { everyCheckpoints: 0 }, ...config, task: { kind: 'unpaired', datasetB: 'ds_b', ...task } });
}

export function session(config: TrainingConfig): TranslationSession {
  return new TranslationSession({ config, data: translationData(config) });
}
