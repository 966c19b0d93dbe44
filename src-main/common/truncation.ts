/**
 * ψ-truncation of latent noise (Brock et al. 2019, BigGAN; Karras et al. 2019, StyleGAN): fewer, more
 * typical images for less variety. `resample` redraws every coordinate outside ±ψ; `lerp` moves z
 * toward the mean latent, which for z ~ N(0, I) is 0, so z becomes ψ·z.
 */
import { z } from 'zod';
import type { Rng } from './rng';

export const TRUNCATION_MODES = ['resample', 'lerp'] as const;
export type TruncationMode = (typeof TRUNCATION_MODES)[number];

/** Each mode's range of ψ: resampling below 0.1 keeps under 8% of draws; a lerp past 1 moves away from the mean. */
export const PSI_RANGE: Record<TruncationMode, { min: number; max: number }> = {
  resample: { min: 0.1, max: 4 },
  lerp: { min: 0, max: 1 },
};

export const Truncation = z
  .object({
    psi: z.number().describe('ψ: the bound of each coordinate (resample) or the fraction of the way from the mean latent (lerp).'),
    mode: z.enum(TRUNCATION_MODES).default('resample').describe('resample: redraw coordinates outside ±ψ; lerp: z ← ψ·z (toward the mean latent, 0).'),
  })
  .strict()
  .superRefine((t, ctx) => {
    const { min, max } = PSI_RANGE[t.mode];
    if (!(t.psi >= min && t.psi <= max)) ctx.addIssue({ code: 'custom', path: ['psi'], message: `ψ must be between ${min} and ${max} for ${t.mode} truncation (got ${t.psi})` });
  });
export type Truncation = z.output<typeof Truncation>;

/**
 * The truncated copy of `noise`. Resampled values come from `rng` in coordinate order, so the same
 * noise, ψ and stream give the same latents; the input is left as it is.
 */
export function truncateNoise(noise: Float32Array, t: Truncation, rng: Rng): Float32Array {
  const out = new Float32Array(noise.length);
  if (t.mode === 'lerp') {
    for (let i = 0; i < noise.length; i++) out[i] = t.psi * noise[i]!;
    return out;
  }
  for (let i = 0; i < noise.length; i++) {
    // Compared as stored: a float64 draw just under ψ may round to a float32 just over it.
    let v = noise[i]!;
    while (Math.abs(Math.fround(v)) > t.psi) v = rng.nextNormal();
    out[i] = v;
  }
  return out;
}

/** The part of a file or folder name that tells how its images were drawn: '', '-psi0.7' or '-psi0.7lerp'. */
export function truncationTag(t: Truncation | null | undefined): string {
  return t ? `-psi${t.psi}${t.mode === 'lerp' ? 'lerp' : ''}` : '';
}

/** How a truncation is written in captions and messages: "ψ 0.7" or "ψ 0.7 (lerp)". */
export function describeTruncation(t: Truncation | null | undefined): string {
  if (!t) return 'no truncation';
  return t.mode === 'resample' ? `ψ ${t.psi}` : `ψ ${t.psi} (lerp)`;
}
