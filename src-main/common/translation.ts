/** What an image-to-image translation run asks of its datasets, checked on create and fork before a trainer starts: the task's refusals with the field and the reason. */
import { CLASSIFIER_UNAVAILABLE, classifierUnavailable, type DatasetClassifier } from './classifier';
import type { TrainingConfig } from './training-config';

export interface DatasetShapeFacts {
  id: string;
  size: number;
  channels: number;
  count: number;
  /** What the perceptual loss needs of the targets' dataset (absent reads as no classes, no split, no classifier). */
  classes?: readonly string[];
  heldOut?: number;
  classifier?: DatasetClassifier | null;
}

/** Why the dataset's classifier cannot serve the perceptual loss now, or null when it is ready. */
function classifierProblem(d: DatasetShapeFacts): string | null {
  const c = d.classifier ?? null;
  if (c?.status === 'ready') return null;
  const unavailable = classifierUnavailable({ classes: d.classes ?? [], heldOut: d.heldOut ?? 0 });
  if (unavailable !== null) return `dataset ${d.id} has no classifier: ${CLASSIFIER_UNAVAILABLE[unavailable]}`;
  if (c === null) return `dataset ${d.id} has no trained classifier yet: train it first (datasets.trainClassifier, or train-classifier on the command line)`;
  if (c.status === 'training') return `dataset ${d.id}'s classifier is still training: start the run when it is ready`;
  return `the training of dataset ${d.id}'s classifier failed (${c.error}): train it again first`;
}

export interface TranslationProblem {
  path: string;
  message: string;
}

/** The dataset whose classifier the perceptual loss uses (the targets' domain: the run's dataset on the fly, task.datasetB for stored pairs), or null when the run has no perceptual loss. */
export function perceptualDatasetId(config: TrainingConfig, datasetId: string): string | null {
  const task = config.task;
  if (task.kind !== 'paired' || task.perceptualWeight === 0) return null;
  return task.source === 'pairs' ? task.datasetB : datasetId;
}

/** Why this translation task cannot learn from these datasets, or null when it can (always null for a generate run). */
export function translationDataProblem(config: TrainingConfig, a: DatasetShapeFacts, b: DatasetShapeFacts | null): TranslationProblem | null {
  const task = config.task;
  if (task.kind === 'generate') return null;
  const pairs = task.kind === 'paired' && task.source === 'pairs';
  if (task.kind === 'unpaired' || pairs) {
    if (b === null) return { path: 'config.task.datasetB', message: `no dataset with id ${task.datasetB ?? '(none)'} for ${pairs ? 'the targets' : 'domain B'}` };
    if (pairs && b.count !== a.count) {
      return { path: 'config.task.datasetB', message: `dataset ${a.id} holds ${a.count} inputs and dataset ${b.id} ${b.count} targets: pairs need one target per input (import them together as a paired dataset)` };
    }
    if (b.size !== a.size || b.channels !== a.channels) {
      return {
        path: 'config.task.datasetB',
        message: `dataset ${a.id} (domain A) holds ${a.size} × ${a.size} images with ${a.channels} channel(s) and dataset ${b.id} (domain B) ${b.size} × ${b.size} with ${b.channels}: import both at one size and channel count`,
      };
    }
  }
  if (a.size % 4 !== 0) {
    return { path: 'config.task.kind', message: `a U-Net halves the image at least twice: dataset ${a.id}'s side ${a.size} must be a multiple of 4` };
  }
  if (task.kind === 'paired' && task.source === 'colorize' && a.channels !== 3) {
    return { path: 'config.task.source', message: `colorization needs colour images; dataset ${a.id} is greyscale` };
  }
  if (task.kind === 'paired' && task.source === 'superres' && (a.size % task.scale !== 0 || a.size / task.scale < 4)) {
    return { path: 'config.task.scale', message: `super-resolution ×${task.scale} needs a side divisible by ${task.scale} with at least 4 pixels left; dataset ${a.id}'s side is ${a.size}` };
  }
  if (task.kind === 'paired' && task.perceptualWeight > 0) {
    // The features are the targets' domain's: the dataset itself on the fly, the targets' dataset for stored pairs.
    const why = classifierProblem(pairs && b !== null ? b : a);
    if (why !== null) return { path: 'config.task.perceptualWeight', message: `the perceptual loss uses the targets' in-domain classifier: ${why}` };
  }
  return null;
}
