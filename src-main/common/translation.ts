/** What an image-to-image translation run asks of its datasets, checked on create and fork before a trainer starts: the task's refusals with the field and the reason. */
import type { TrainingConfig } from './training-config';

export interface DatasetShapeFacts {
  id: string;
  size: number;
  channels: number;
  count: number;
}

export interface TranslationProblem {
  path: string;
  message: string;
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
  return null;
}
