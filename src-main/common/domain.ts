/** Plain shapes of the workbench's domain objects as they cross the API: datasets, runs, metrics, samples. */
import { z } from 'zod';
import { TrainingConfig } from './training-config';

export const Id = z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, 'must be a workbench id');

export const Channels = z.union([z.literal(1), z.literal(3)]);
export const ImageSize = z.number().int().min(8).max(256);

export const RejectedFile = z.object({
  file: z.string().describe('Path relative to the imported folder.'),
  reason: z.string(),
});
export type RejectedFile = z.infer<typeof RejectedFile>;

export const Dataset = z.object({
  id: Id,
  name: z.string(),
  sourcePath: z.string(),
  size: ImageSize,
  channels: Channels,
  count: z.number().int().min(0),
  classes: z.array(z.string()),
  rejectedCount: z.number().int().min(0),
  createdAt: z.string(),
  previewPath: z.string().nullable().describe('Grid of the first images, relative to the data directory.'),
});
export type Dataset = z.infer<typeof Dataset>;

export const RunStatus = z.enum(['queued', 'running', 'paused', 'completed', 'stopped', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused'];

export const Run = z.object({
  id: Id,
  name: z.string(),
  datasetId: Id,
  status: RunStatus,
  config: TrainingConfig,
  step: z.number().int().min(0).describe('Last step whose metrics were stored.'),
  backend: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  lastCheckpointStep: z.number().int().nullable(),
  parentRunId: Id.nullable(),
  parentStep: z.number().int().nullable(),
});
export type Run = z.infer<typeof Run>;

/** One metrics point as the trainer reports it: every value measured at one step. */
export const MetricPoint = z.object({
  step: z.number().int().min(0),
  time: z.number().describe('Seconds since the run started training.'),
  values: z.record(z.string(), z.number()),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

/** A downsampled series: each bucket keeps the true min and max along with the mean. */
export const SeriesBucket = z.object({
  step: z.number(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
});
export const Series = z.object({ key: z.string(), points: z.array(SeriesBucket) });
export type Series = z.infer<typeof Series>;

export const Checkpoint = z.object({
  runId: Id,
  step: z.number().int().min(0),
  path: z.string().describe('Folder relative to the data directory.'),
  createdAt: z.string(),
  metric: z.number().nullable().describe('Value of the run’s best-metric key at this step.'),
  best: z.boolean().describe('The best checkpoint by the run’s chosen metric.'),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export const RunEvent = z.object({
  id: z.number().int(),
  runId: z.string().nullable(),
  kind: z.string(),
  message: z.string(),
  createdAt: z.string(),
});
export type RunEvent = z.infer<typeof RunEvent>;

export const Sample = z.object({
  runId: Id,
  step: z.number().int().min(0),
  path: z.string().describe('PNG file relative to the data directory.'),
});
export type Sample = z.infer<typeof Sample>;

export const BackendReport = z.object({
  name: z.string(),
  reasons: z.record(z.string(), z.string()).describe('Why each other backend was not chosen.'),
});
export type BackendReport = z.infer<typeof BackendReport>;
