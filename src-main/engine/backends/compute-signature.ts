/** The backend and thread count a checkpoint was computed on: resume is bit-exact only when both are the same. */
import * as tf from '@tensorflow/tfjs';
import type { CheckpointState } from '../checkpoint-state';
import { wasmThreadCount } from './wasm-threads';

export interface ComputeSignature {
  /** tfjs's name of the active backend ('wasm', 'cpu', 'tensorflow', …). */
  backend: string;
  /** Threads, where the workbench chooses them (wasm); null elsewhere. */
  threads: number | null;
}

export function computeSignature(): ComputeSignature {
  const backend = tf.getBackend();
  return { backend, threads: backend === 'wasm' ? wasmThreadCount() : null };
}

function describe(c: ComputeSignature): string {
  return c.threads === null ? c.backend : `${c.backend} with ${c.threads} thread${c.threads === 1 ? '' : 's'}`;
}

function isSignature(value: unknown): value is ComputeSignature {
  const v = value as Partial<ComputeSignature> | null;
  return typeof v?.backend === 'string' && (v.threads === null || (typeof v.threads === 'number' && Number.isInteger(v.threads)));
}

/**
 * A sentence for the run's events when `state` (checkpoint `step`) was computed on another backend
 * or thread count than this process uses now; null when they match or the checkpoint predates the record.
 */
export function computeChange(state: CheckpointState, step: number): string | null {
  const stored = state.meta['compute'];
  if (!isSignature(stored)) return null;
  const now = computeSignature();
  if (stored.backend === now.backend && stored.threads === now.threads) return null;
  return (
    `checkpoint ${step} was computed on ${describe(stored)}; this run continues on ${describe(now)}, ` +
    'so it is not bit-exact with an uninterrupted run (resume on the same backend and thread count for that)'
  );
}
