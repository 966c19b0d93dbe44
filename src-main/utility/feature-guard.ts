/** Refuses config values whose technique the engine does not train yet, so a run never silently ignores a setting. */
import type { TrainingConfig } from '../common/training-config';
import { defaultTrainingConfig } from '../common/training-config';

/** Keys the current engine honours; every other key must keep its default. */
const SUPPORTED = new Set([
  'seed',
  'steps',
  'batchSize',
  'latentSize',
  'model.gWidth',
  'model.dWidth',
  'optimizerG.lr',
  'optimizerG.beta1',
  'optimizerG.beta2',
  'optimizerD.lr',
  'optimizerD.beta1',
  'optimizerD.beta2',
  'intervals.metricsEvery',
  'intervals.sampleEvery',
  'intervals.checkpointEvery',
  'sampleGridSize',
  'bestMetric.key',
  'bestMetric.mode',
]);

function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

export function unsupportedSettings(config: TrainingConfig): string[] {
  const defaults = new Map(flatten(defaultTrainingConfig()));
  return flatten(config)
    .filter(([key, v]) => !SUPPORTED.has(key) && JSON.stringify(v) !== JSON.stringify(defaults.get(key)))
    .map(([key, v]) => `${key}=${JSON.stringify(v)}`);
}
