/** Learning-rate schedules (constant, linear decay, cosine: Loshchilov & Hutter 2017 without restarts) and global-norm clipping (Pascanu et al. 2013). */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../common/training-config';

export type LrSchedule = OptimizerConfig['schedule'];

/**
 * The rate at `step` of a run of `totalSteps`, with t = step clamped to [0, T]:
 * constant lr; linear lr·(1 − t/T); cosine lr·½(1 + cos(π·t/T)). Both decays reach 0 at t = T.
 * `step` counts generator updates done before this one (0-based), so the first update gets the
 * full rate; D under n_critic passes the same G step so both schedules end together.
 */
export function scheduledRate(schedule: LrSchedule, baseLr: number, step: number, totalSteps: number): number {
  const t = Math.min(Math.max(step, 0), totalSteps) / totalSteps;
  switch (schedule) {
    case 'constant':
      return baseLr;
    case 'linear':
      return baseLr * (1 - t);
    case 'cosine':
      return baseLr * 0.5 * (1 + Math.cos(Math.PI * t));
    default: {
      const unknown: never = schedule;
      throw new Error(`unknown learning-rate schedule ${String(unknown)}`);
    }
  }
}

/**
 * √(Σ‖g‖²) over every gradient of a network, as one number (one read from the backend). Async
 * because a GPU backend (webgpu) can only read back asynchronously.
 */
export async function globalNorm(grads: readonly tf.Tensor[]): Promise<number> {
  if (grads.length === 0) return 0;
  const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
  try {
    return (await norm.data())[0] ?? Number.NaN;
  } finally {
    norm.dispose();
  }
}

/**
 * The factor applied to every gradient: min(1, clip/norm), so the direction is kept and only the
 * length is capped. clip = 0 disables clipping.
 */
export function clipScale(norm: number, clip: number): number {
  return clip > 0 && norm > clip ? clip / norm : 1;
}
