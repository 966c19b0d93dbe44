/** Random hole masks for inpainting (one rectangle, or DeepFill-style free-form brush strokes), drawn in plain TS from a seeded Rng. */
import type { Rng } from '../../common/rng';

export type MaskKind = 'rect' | 'strokes';

/** An integer uniform in [lo, hi]. */
function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.nextInt(Math.max(0, hi - lo) + 1);
}

/** One axis-aligned rectangle, sides uniform in [size/4, size/2] and wholly inside the image. */
function drawRect(mask: Float32Array, offset: number, size: number, rng: Rng): void {
  const lo = Math.max(1, Math.ceil(size / 4));
  const hi = Math.max(lo, Math.floor(size / 2));
  const h = between(rng, lo, hi);
  const w = between(rng, lo, hi);
  const top = rng.nextInt(size - h + 1);
  const left = rng.nextInt(size - w + 1);
  for (let y = top; y < top + h; y++) mask.fill(1, offset + y * size + left, offset + y * size + left + w);
}

/** Marks every pixel whose centre lies within `radius` of the segment (x0, y0)–(x1, y1): a round-capped brush stroke. */
function drawSegment(mask: Float32Array, offset: number, size: number, from: [number, number], to: [number, number], radius: number): void {
  const [x0, y0] = from;
  const [x1, y1] = to;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const yLo = Math.max(0, Math.floor(Math.min(y0, y1) - radius));
  const yHi = Math.min(size - 1, Math.ceil(Math.max(y0, y1) + radius));
  const xLo = Math.max(0, Math.floor(Math.min(x0, x1) - radius));
  const xHi = Math.min(size - 1, Math.ceil(Math.max(x0, x1) + radius));
  for (let y = yLo; y <= yHi; y++) {
    for (let x = xLo; x <= xHi; x++) {
      const px = x + 0.5 - x0;
      const py = y + 0.5 - y0;
      const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, (px * dx + py * dy) / len2));
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey <= radius * radius) mask[offset + y * size + x] = 1;
    }
  }
}

/**
 * 2–4 polylines of 2–4 segments with a brush ~size/10 wide, as DeepFill v2's free-form masks
 * (random start, turning angle and length per vertex). A segment that would leave the image turns
 * back instead of being clipped, so every stroke keeps its length and the cover stays in a useful
 * range (≈5–60%) rather than collapsing at the borders.
 */
function drawStrokes(mask: Float32Array, offset: number, size: number, rng: Rng): void {
  const strokes = between(rng, 2, 4);
  for (let s = 0; s < strokes; s++) {
    const radius = Math.max(0.75, (size / 10) * (0.8 + 0.4 * rng.nextFloat())) / 2;
    const segments = between(rng, 2, 4);
    let at: [number, number] = [rng.nextFloat() * size, rng.nextFloat() * size];
    for (let k = 0; k < segments; k++) {
      const angle = rng.nextFloat() * 2 * Math.PI;
      const length = size * (0.2 + 0.2 * rng.nextFloat());
      const next: [number, number] = [bounce(at[0] + length * Math.cos(angle), size), bounce(at[1] + length * Math.sin(angle), size)];
      drawSegment(mask, offset, size, at, next, radius);
      at = next;
    }
  }
}

/** Reflects a coordinate that left [0, size] back inside. */
function bounce(v: number, size: number): number {
  if (v < 0) return Math.min(size, -v);
  if (v > size) return Math.max(0, 2 * size - v);
  return v;
}

/**
 * Masks [n, size, size, 1] of 0/1 (1 = missing). Draws from `rng` only, image by image in a fixed
 * order, so the same stream state always gives the same masks.
 */
export function drawMasks(kind: MaskKind, n: number, size: number, rng: Rng): Float32Array {
  const mask = new Float32Array(n * size * size);
  for (let i = 0; i < n; i++) {
    if (kind === 'rect') drawRect(mask, i * size * size, size, rng);
    else drawStrokes(mask, i * size * size, size, rng);
  }
  return mask;
}
