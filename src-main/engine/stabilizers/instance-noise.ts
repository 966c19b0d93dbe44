/** Instance noise (Sønderby et al. 2016): Gaussian noise on every discriminator input, annealed to zero. */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../common/training-config';
import type { Rng } from '../../common/rng';

export type InstanceNoiseConfig = TrainingConfig['stabilizers']['instanceNoise'];

/**
 * σ at `step`: cfg.std·max(0, 1 − step/annealSteps), so it reaches 0 at annealSteps; annealSteps = 0
 * keeps σ constant. Noise widens both distributions so they overlap and D cannot separate them
 * perfectly early on; annealing removes the bias it adds to the final model.
 */
export function instanceNoiseStd(cfg: InstanceNoiseConfig, step: number): number {
  if (!(cfg.std > 0)) return 0;
  if (cfg.annealSteps <= 0) return cfg.std;
  return cfg.std * Math.max(0, 1 - Math.max(0, step) / cfg.annealSteps);
}

/**
 * x + σ·n with n ~ N(0, 1) drawn from the seeded `rng` (x.size normals), so a run replays exactly;
 * tf.randomNormal without a seed would not. Apply it to real and fake inputs of D alike, in the D
 * step and in G's step. Always returns a new tensor the caller owns; σ = 0 draws nothing.
 */
export function addInstanceNoise(x: tf.Tensor4D, std: number, rng: Rng): tf.Tensor4D {
  if (!(std >= 0) || !Number.isFinite(std)) throw new Error(`instance noise σ must be a non-negative number, got ${std}`);
  if (std === 0) return tf.clone(x);
  const noise = rng.normals(x.size);
  for (let i = 0; i < noise.length; i++) noise[i] = (noise[i] ?? 0) * std;
  return tf.tidy(() => tf.add(x, tf.tensor4d(noise, x.shape)));
}
