/** Soft discriminator targets: one-sided label smoothing (Salimans et al. 2016) and the article's two-sided random targets. */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../common/training-config';
import type { Rng } from '../../common/rng';
import type { LabelTargets } from './adversarial';

export type LabelSmoothingConfig = TrainingConfig['stabilizers']['labelSmoothing'];

function assertRange(what: string, min: number, max: number): void {
  if (!(min >= 0 && max <= 1 && min <= max)) throw new Error(`label smoothing ${what} range [${min}, ${max}] must lie in [0, 1] with min ≤ max`);
}

/** n values uniform in [min, max), from the seeded stream so a run replays exactly. */
function uniform(rng: Rng, n: number, min: number, max: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = min + (max - min) * rng.nextFloat();
  return out;
}

/**
 * The BCE targets for one discriminator batch of n reals and n fakes.
 * - none: real 1, fake 0.
 * - one-sided: real `realTarget` (0.9), fake 0. Only the real side is softened: a soft fake
 *   target would reward D for keeping its belief in fakes where data is absent (Salimans §3.4).
 * - two-sided: a fresh target per sample, real in [realMin, realMax], fake in [fakeMin, fakeMax]
 *   (the article's 0.7–0.9 and 0.1–0.3). Draws n reals then n fakes from `rng` (2n floats);
 *   the other modes draw nothing.
 * Tensors in the result belong to the caller: tf.dispose([t.real, t.fake]) after the loss.
 */
export function labelTargets(cfg: LabelSmoothingConfig, n: number, rng: Rng): LabelTargets {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`label targets need a positive batch size, got ${n}`);
  switch (cfg.mode) {
    case 'none':
      return { real: 1, fake: 0 };
    case 'one-sided':
      assertRange('real target', cfg.realTarget, cfg.realTarget);
      return { real: cfg.realTarget, fake: 0 };
    case 'two-sided': {
      assertRange('real', cfg.realMin, cfg.realMax);
      assertRange('fake', cfg.fakeMin, cfg.fakeMax);
      const real = uniform(rng, n, cfg.realMin, cfg.realMax);
      const fake = uniform(rng, n, cfg.fakeMin, cfg.fakeMax);
      return { real: tf.tensor1d(real), fake: tf.tensor1d(fake) };
    }
    default: {
      const mode: never = cfg.mode;
      throw new Error(`unknown label smoothing mode ${String(mode)}`);
    }
  }
}
