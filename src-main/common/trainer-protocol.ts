/** Messages between the TrainerHost and the trainer process (utilityProcess or forked child). */
import type { BackendReport, MetricPoint } from './domain';
import type { TrainingConfig } from './training-config';

export interface StartTraining {
  type: 'start';
  runId: string;
  /** Absolute folder of the run: config.json, samples/, checkpoints/. */
  runDir: string;
  /** Absolute folder of the packed dataset. */
  datasetDir: string;
  config: TrainingConfig;
  /** Force a backend by name instead of resolving the best one. */
  backend?: string;
}

export type HostToTrainer = StartTraining | { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export type TrainerToHost =
  | { type: 'ready' }
  | { type: 'started'; runId: string; backend: BackendReport; fromStep: number }
  | { type: 'metrics'; runId: string; points: MetricPoint[] }
  | { type: 'sample'; runId: string; step: number; file: string }
  | { type: 'checkpoint'; runId: string; step: number; dir: string }
  | { type: 'paused'; runId: string; step: number }
  | { type: 'resumed'; runId: string; step: number }
  | { type: 'finished'; runId: string; status: 'completed' | 'stopped' | 'failed'; step: number; error?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
