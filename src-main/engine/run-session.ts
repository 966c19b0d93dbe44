/** The session a run trains with, chosen by its task: a TrainingSession (generate) or a TranslationSession (paired, unpaired); what the training loop needs of either. */
import type { CatalogueValues } from '../common/metric-keys';
import type { TrainingConfig } from '../common/training-config';
import type { TrainingData } from './batch-sampler';
import type { CheckpointState } from './checkpoint-state';
import type { MetricValues } from './session/metrics';
import type { SampleGrids } from './session/render';
import { TrainingSession } from './training-session';
import { TranslationSession, type TranslationData } from './translate/translation-session';

export interface RunSession {
  readonly stepCount: number;
  step(): Promise<MetricValues>;
  sampleGrids(): Promise<SampleGrids>;
  exportState(): Promise<CheckpointState>;
  importState(state: CheckpointState): Promise<void>;
  dispose(): void;
  /** A translation run's measures on its validation images at each sample step (a generate run's sample diversity is the loop's). */
  validate?(): Promise<CatalogueValues>;
}

/** What a translation run reads beside its main dataset: domain B, and the images its validation measures. */
export type TranslationExtras = Omit<TranslationData, 'a'>;

/** The dataset's first images as a stand-in validation set, for a dataset without a held-out split. */
export function firstImages(data: TrainingData, count: number): TrainingData {
  const n = Math.min(count, data.count);
  return { ...data, count: n, images: data.images.subarray(0, n * data.size * data.size * data.channels) };
}

export function createRunSession(config: TrainingConfig, data: TrainingData, extras: TranslationExtras | null): RunSession {
  if (config.task.kind === 'generate') return new TrainingSession({ config, data });
  const rest = extras ?? { b: null, validationA: firstImages(data, 64), validationB: null, heldOut: false };
  return new TranslationSession({ config, data: { a: data, ...rest } });
}
