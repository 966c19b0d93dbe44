/** How many threads a training run computes on: --threads (WORKBENCH_THREADS) over the run's compute.threads, else every core. */
import { THREADS_ENV } from '../common/trainer-protocol';
import type { TrainingConfig } from '../common/training-config';
import { defaultThreadCount } from '../engine/backends/wasm-threads';

/** The override from the environment, or null; a malformed value is refused rather than ignored. */
export function threadsOverride(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env[THREADS_ENV];
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`${THREADS_ENV} must be a whole number from 1 to 64, got "${raw}"`);
  return n;
}

export function trainingThreads(compute: TrainingConfig['compute'] | null, env: NodeJS.ProcessEnv = process.env): number {
  return threadsOverride(env) ?? compute?.threads ?? defaultThreadCount();
}
