/** How fast the generator's EMA forgets (StyleGAN2-ADA's ema_kimg and ema_rampup), and when it has warmed up enough to show alone. */

/** The EMA's schedule: its half-life in images, the ramp-up fraction (0 = none), the images per step and the step it starts averaging after. */
export interface EmaSchedule {
  halfLifeImages: number;
  rampup: number;
  batchSize: number;
  startStep: number;
}

/** Half-lives of images G must have seen since the EMA started before the EMA shows alone: the starting weights then weigh under 2⁻⁴. */
export const WARM_HALF_LIVES = 4;

/** The half-life after G has seen `imagesSeen` images: halfLifeImages, capped by rampup · imagesSeen while that is smaller. */
export function emaHalfLife(s: EmaSchedule, imagesSeen: number): number {
  return s.rampup > 0 ? Math.min(s.halfLifeImages, imagesSeen * s.rampup) : s.halfLifeImages;
}

/**
 * β of the update G makes after seeing `imagesSeen` images (StyleGAN2-ADA's cur_nimg, counted before
 * the update): θ_ema ← β·θ_ema + (1 − β)·θ with β = 0.5^(batchSize / half-life). With ramp-up the
 * first update copies (β = 0) and the EMA's memory grows with the run, so it never holds on to the
 * initial weights the way a fixed 0.999 from step 0 does.
 */
export function emaBeta(s: EmaSchedule, imagesSeen: number): number {
  return 0.5 ** (s.batchSize / Math.max(emaHalfLife(s, imagesSeen), 1e-8));
}

/**
 * Whether, after `steps` generator updates, the EMA still lags G enough that a sample grid should show
 * the raw G beside it. It is warming up while ramp-up still caps the half-life (its memory is still
 * growing) or while G has seen fewer than WARM_HALF_LIVES half-lives of images since the EMA started
 * averaging (the weights it started from still weigh over 1/16). Up to startStep the EMA is a copy
 * of G, so there is nothing to show beside it.
 */
export function emaWarming(s: EmaSchedule, steps: number): boolean {
  if (steps <= s.startStep) return false;
  const imagesSeen = steps * s.batchSize;
  const ramping = s.rampup > 0 && imagesSeen * s.rampup < s.halfLifeImages;
  return ramping || (steps - s.startStep) * s.batchSize < WARM_HALF_LIVES * s.halfLifeImages;
}
