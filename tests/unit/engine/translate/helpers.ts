/** Shared fixtures of the translation tests: MNIST as domain A, its colour-inverted digits as an unpaired domain B, tiny translation configs. */
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import type { TrainingData } from '../../../../src-main/engine/batch-sampler';
import { firstImages } from '../../../../src-main/engine/run-session';
import { TranslationSession, type TranslationData } from '../../../../src-main/engine/translate/translation-session';
import { mnistData, tinyConfig } from '../session/helpers';

/** The MNIST digits with black and white swapped: a second domain of the same shapes, with no pairs used. */
export function invertedDigits(): TrainingData {
  const a = mnistData();
  return { ...a, images: a.images.map((v) => 255 - v) };
}

/** Paired on the fly: the digits; stored pairs and unpaired: digits → inverted digits (for pairs, image i's target is its own inversion). Validation on the first images (the fixture has no held-out split). */
export function translationData(config: TrainingConfig): TranslationData {
  const a = mnistData();
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
