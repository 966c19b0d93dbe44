/** Paths through latent space between two noise vectors: linear and spherical interpolation (Shoemake 1985; White 2016 for GANs). */

/** The modes a latent walk may take (the contract's GenerateSpec offers these). */
export const INTERPOLATION_MODES = ['lerp', 'slerp'] as const;
export type InterpolationMode = (typeof INTERPOLATION_MODES)[number];

/** Below this angle the two directions are treated as the same and slerp falls back to lerp (its formula divides by sin Ω). */
const PARALLEL = 1e-4;

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

function assertSameLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) throw new Error(`latent vectors differ in length: ${a.length} and ${b.length}`);
  if (a.length === 0) throw new Error('latent vectors are empty');
}

/** (1 − t)·a + t·b. */
export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  assertSameLength(a, b);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
  return out;
}

/**
 * Along the great circle between the directions of a and b: sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b.
 * A Gaussian latent in many dimensions lives near a sphere; the straight line between two samples
 * cuts through its low-density middle, which is why GAN walks look better on the arc.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  assertSameLength(a, b);
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i]! / na) * (b[i]! / nb);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot)));
  const sin = Math.sin(omega);
  // Parallel or opposite directions have no single great circle: the line is the honest answer.
  if (omega < PARALLEL || Math.PI - omega < PARALLEL) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / sin;
  const wb = Math.sin(t * omega) / sin;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i]! + wb * b[i]!;
  return out;
}

/** `frames` vectors from a to b inclusive, concatenated: frames × dim values, ready for a batch. */
export function latentPath(a: Float32Array, b: Float32Array, frames: number, mode: InterpolationMode): Float32Array {
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`a latent path needs at least 2 frames, not ${frames}`);
  const step = mode === 'slerp' ? slerp : lerp;
  const out = new Float32Array(frames * a.length);
  for (let f = 0; f < frames; f++) out.set(step(a, b, f / (frames - 1)), f * a.length);
  return out;
}

/** The latent vector of one cell of a row-major batch of `dim`-long vectors. */
export function latentAt(batch: Float32Array, dim: number, index: number): Float32Array {
  if (index < 0 || (index + 1) * dim > batch.length) throw new Error(`no latent vector ${index} in a batch of ${batch.length / dim}`);
  return batch.slice(index * dim, (index + 1) * dim);
}
