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

/** Resolve the compute backend, report it, and exit (for `doctor` and the UI's backend badge). */
export interface ProbeBackend {
  type: 'probe';
  backend?: string;
}

export type HostToTrainer = StartTraining | ProbeBackend | { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export type TrainerToHost =
  | { type: 'ready' }
  | { type: 'probed'; backend: BackendReport | null; error?: string }
  | { type: 'started'; runId: string; backend: BackendReport; fromStep: number }
  | { type: 'metrics'; runId: string; points: MetricPoint[] }
  | { type: 'sample'; runId: string; step: number; file: string }
  | { type: 'checkpoint'; runId: string; step: number; dir: string; metric: number | null; best: boolean; pruned: number[] }
  | { type: 'paused'; runId: string; step: number; reason?: string }
  | { type: 'resumed'; runId: string; step: number }
  | { type: 'finished'; runId: string; status: 'completed' | 'stopped' | 'failed'; step: number; error?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
